// Fragments: a non-first fragment carries no L4 header. Under `fragments: deny` it is dropped
// before the rules; under `l3-only` it is classified without ports, so only rules without
// src_ports/dst_ports can match it. A first fragment has its L4 header and is judged on it.
#include <optional>
#include <string>
#include <vector>

#include "guard_fixture.h"

namespace westworld::bpf_test {
namespace {

// Non-first fragments built with a UDP header behind the IP header: the guard must not read
// those bytes as ports (they would match the port rule below if it did).
Frame udp4_fragment(const std::string& dst, uint16_t offset_bytes, bool more) {
  return PacketBuilder()
      .ethernet()
      .ipv4("192.0.2.1", dst)
      .fragment(offset_bytes, more)
      .udp(5353, 53)
      .payload(16)
      .build();
}
Frame udp6_fragment(const std::string& dst, uint16_t offset_bytes, bool more) {
  return PacketBuilder()
      .ethernet()
      .ipv6("2001:db8::1", dst)
      .ipv6_fragment(offset_bytes, more)
      .udp(5353, 53)
      .payload(16)
      .build();
}
Frame tcp4_fragment(const std::string& dst, uint16_t offset_bytes, bool more) {
  return PacketBuilder()
      .ethernet()
      .ipv4("192.0.2.1", dst)
      .fragment(offset_bytes, more)
      .tcp(5353, 53)
      .build();
}

constexpr const char* kDenyFragmentsAllowAll = R"(
version: 1
charter:
  default: allow
  fragments: deny
  flows:
    - name: allow-everything
      action: allow
)";

// Rule 0 can only match packets with ports; rule 1 only needs addresses and the protocol.
constexpr const char* kL3OnlyPolicy = R"(
version: 1
charter:
  default: allow
  fragments: l3-only
  flows:
    - name: deny-dns-port
      action: deny
      proto: udp
      dst_ports: [53]
    - name: deny-udp-to-net
      action: deny
      proto: udp
      dst: [198.51.100.0/24, 2001:db8:100::/48]
)";
enum L3OnlyRule : uint32_t { kDenyDnsPort, kDenyUdpToNet };

class FragmentTest : public GuardTest {};

TEST_F(FragmentTest, NonFirstFragmentsDropUnderDenyEvenIfARuleAllowsEverything) {
  apply(kDenyFragmentsAllowAll);
  const std::vector<Frame> fragments = {
      udp4_fragment("198.51.100.1", 8, true),      // middle
      udp4_fragment("198.51.100.1", 1480, false),  // last
      udp6_fragment("2001:db8:100::1", 8, true),
      udp6_fragment("2001:db8:100::1", 1448, false),
  };
  for (size_t i = 0; i < fragments.size(); ++i) {
    SCOPED_TRACE("fragment " + std::to_string(i));
    const CounterSnapshot before = counters();
    EXPECT_EQ(run_xdp(fragments[i]), Verdict::drop);
    const CounterDelta delta = since(before);
    EXPECT_EQ(delta.drops(WW_DROP_FRAGMENT), 1u);
    EXPECT_EQ(delta.all_drops(), 1u);
    // Dropped before the charter: no rule and no action was counted.
    EXPECT_EQ(rule_counter(0).packets, 0u);
    EXPECT_EQ(delta.stat(WW_STAT_ACTION_ALLOW), 0u);
  }
}

TEST_F(FragmentTest, FirstFragmentsAreNotFragmentDrops) {
  apply(kDenyFragmentsAllowAll);
  const CounterSnapshot before = counters();
  EXPECT_EQ(run_xdp(udp4_fragment("198.51.100.1", 0, true)), Verdict::pass);
  EXPECT_EQ(run_xdp(udp6_fragment("2001:db8:100::1", 0, true)), Verdict::pass);
  const CounterDelta delta = since(before);
  EXPECT_EQ(delta.drops(WW_DROP_FRAGMENT), 0u);
  EXPECT_EQ(rule_counter(0).packets, 2u);
}

TEST_F(FragmentTest, L3OnlyFragmentsMatchOnlyRulesWithoutPorts) {
  apply(kL3OnlyPolicy);
  struct Case {
    std::string name;
    Frame frame;
    Verdict verdict;
    std::optional<uint32_t> rule;  // nullopt: the default applied
  };
  const std::vector<Case> cases = {
      {"ipv4 udp fragment into the denied net: the address rule, not the port rule",
       udp4_fragment("198.51.100.7", 8, true), Verdict::drop, kDenyUdpToNet},
      {"ipv6 udp fragment into the denied net", udp6_fragment("2001:db8:100::7", 8, false),
       Verdict::drop, kDenyUdpToNet},
      {"ipv4 udp fragment elsewhere: the port rule cannot match",
       udp4_fragment("203.0.113.7", 8, true), Verdict::pass, std::nullopt},
      {"ipv6 udp fragment elsewhere", udp6_fragment("2001:db8:200::7", 16, true), Verdict::pass,
       std::nullopt},
      {"ipv4 tcp fragment into the net: the protocol still counts",
       tcp4_fragment("198.51.100.7", 8, true), Verdict::pass, std::nullopt},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const CounterSnapshot before = counters();
    const uint64_t port_rule_before = rule_counter(kDenyDnsPort).packets;
    const uint64_t net_rule_before = rule_counter(kDenyUdpToNet).packets;

    EXPECT_EQ(run_xdp(c.frame), c.verdict);

    const CounterDelta delta = since(before);
    EXPECT_EQ(delta.drops(WW_DROP_FRAGMENT), 0u);
    EXPECT_EQ(rule_counter(kDenyDnsPort).packets - port_rule_before, 0u);
    EXPECT_EQ(rule_counter(kDenyUdpToNet).packets - net_rule_before,
              c.rule == kDenyUdpToNet ? 1u : 0u);
    EXPECT_EQ(delta.stat(WW_STAT_DEFAULT), c.rule ? 0u : 1u);
    EXPECT_EQ(delta.drops(WW_DROP_RULE), c.verdict == Verdict::drop ? 1u : 0u);
  }
}

TEST_F(FragmentTest, L3OnlyFirstFragmentsAreJudgedOnTheirPorts) {
  apply(kL3OnlyPolicy);
  const CounterSnapshot before = counters();
  // Offset 0 with more-fragments set: the UDP header is there, port 53 matches rule 0.
  EXPECT_EQ(run_xdp(udp4_fragment("203.0.113.7", 0, true)), Verdict::drop);
  EXPECT_EQ(run_xdp(udp6_fragment("2001:db8:200::7", 0, true)), Verdict::drop);
  // Into the denied net, rule 0 (port) still comes first.
  EXPECT_EQ(run_xdp(udp4_fragment("198.51.100.7", 0, true)), Verdict::drop);
  const CounterDelta delta = since(before);
  EXPECT_EQ(rule_counter(kDenyDnsPort).packets, 3u);
  EXPECT_EQ(rule_counter(kDenyUdpToNet).packets, 0u);
  EXPECT_EQ(delta.drops(WW_DROP_RULE), 3u);
  EXPECT_EQ(delta.drops(WW_DROP_FRAGMENT), 0u);
}

TEST_F(FragmentTest, FragmentModeDenyAppliesOnEgressToo) {
  apply(kDenyFragmentsAllowAll);
  const CounterSnapshot before = counters();
  EXPECT_EQ(run_tc(udp4_fragment("198.51.100.1", 8, true)), Verdict::drop);
  const CounterDelta delta = since(before);
  EXPECT_EQ(delta.drops(WW_DROP_FRAGMENT, kEgress), 1u);
  EXPECT_EQ(delta.drops(WW_DROP_FRAGMENT, kIngress), 0u);
}

}  // namespace
}  // namespace westworld::bpf_test

// Charter rules in the kernel: first match wins, the default, directions, protocols, address
// prefixes of both families and port ranges. Every case checks the verdict and which rule
// (or the default) counted the packet.
#include <optional>
#include <string>
#include <vector>

#include "guard_fixture.h"

namespace westworld::bpf_test {
namespace {

constexpr std::optional<uint32_t> kDefault = std::nullopt;
constexpr uint8_t kIcmpEchoRequest = 8;
constexpr uint8_t kIcmpv6EchoRequest = 128;

struct Case {
  std::string name;
  Frame frame;
  Verdict verdict;
  std::optional<uint32_t> rule;
};

class RulesTest : public GuardTest {
 protected:
  void expect_cases(uint8_t dir, const std::vector<Case>& cases) {
    for (const Case& c : cases) {
      SCOPED_TRACE(c.name);
      expect_decision(dir, c.frame, c.verdict, c.rule);
    }
  }
};

TEST_F(RulesTest, FirstMatchingRuleInFileOrderWins) {
  apply(R"(
version: 1
charter:
  default: allow
  flows:
    - name: allow-dns-from-ten
      action: allow
      proto: udp
      src: [10.0.0.0/8]
      dst_ports: [53]
    - name: deny-other-dns
      action: deny
      proto: udp
      dst_ports: [53]
    - name: deny-rest-of-ten
      action: deny
      src: [10.0.0.0/8]
)");
  expect_cases(kIngress, {
                             {"dns from ten: rule 0 before rules 1 and 2",
                              udp4("10.1.1.1", "192.0.2.1", 999, 53), Verdict::pass, 0},
                             {"dns from elsewhere: rule 1",
                              udp4("192.168.1.1", "192.0.2.1", 999, 53), Verdict::drop, 1},
                             {"web from ten: rule 2", tcp4("10.1.1.1", "192.0.2.1", 999, 80),
                              Verdict::drop, 2},
                             {"web from elsewhere: default",
                              tcp4("192.168.1.1", "192.0.2.1", 999, 80), Verdict::pass, kDefault},
                         });
}

TEST_F(RulesTest, ReorderingTheSameRulesChangesTheVerdict) {
  apply(R"(
version: 1
charter:
  default: allow
  flows:
    - name: deny-other-dns
      action: deny
      proto: udp
      dst_ports: [53]
    - name: allow-dns-from-ten
      action: allow
      proto: udp
      src: [10.0.0.0/8]
      dst_ports: [53]
)");
  expect_cases(kIngress, {
                             {"dns from ten now hits the deny first",
                              udp4("10.1.1.1", "192.0.2.1", 999, 53), Verdict::drop, 0},
                         });
}

TEST_F(RulesTest, DefaultAllowPassesUnmatchedPackets) {
  apply(R"(
version: 1
charter:
  default: allow
  flows:
    - {name: deny-ssh, action: deny, proto: tcp, dst_ports: [22]}
)");
  const CounterSnapshot before = counters();
  expect_decision(kIngress, udp4("192.0.2.1", "192.0.2.2", 1, 2), Verdict::pass, kDefault);
  EXPECT_EQ(since(before).stat(WW_STAT_ACTION_ALLOW), 1u);
}

TEST_F(RulesTest, DefaultDenyDropsUnmatchedPacketsWithReasonDefault) {
  apply(R"(
version: 1
charter:
  default: deny
  flows:
    - {name: allow-ssh, action: allow, proto: tcp, dst_ports: [22]}
)");
  const CounterSnapshot before = counters();
  expect_decision(kIngress, udp4("192.0.2.1", "192.0.2.2", 1, 2), Verdict::drop, kDefault);
  expect_decision(kIngress, tcp6("2001:db8::1", "2001:db8::2", 1, 22), Verdict::pass, 0);
  const CounterDelta delta = since(before);
  EXPECT_EQ(delta.stat(WW_STAT_ACTION_DENY), 1u);
  EXPECT_EQ(delta.stat(WW_STAT_ACTION_ALLOW), 1u);
  EXPECT_EQ(delta.drops(WW_DROP_DEFAULT), 1u);
  EXPECT_EQ(delta.drops(WW_DROP_RULE), 0u);
}

TEST_F(RulesTest, DirectionDecidesWhichHookARuleAppliesTo) {
  apply(R"(
version: 1
charter:
  default: allow
  flows:
    - {name: in-only, action: deny, direction: ingress, proto: udp, dst_ports: [1001]}
    - {name: out-only, action: deny, direction: egress, proto: udp, dst_ports: [1002]}
    - {name: both-ways, action: deny, direction: both, proto: udp, dst_ports: [1003]}
    - {name: implicit-both, action: deny, proto: udp, dst_ports: [1004]}
)");
  auto frame = [](uint16_t dport) { return udp4("192.0.2.1", "192.0.2.2", 5000, dport); };
  expect_cases(kIngress, {
                             {"ingress rule on XDP", frame(1001), Verdict::drop, 0},
                             {"egress rule on XDP: ignored", frame(1002), Verdict::pass, kDefault},
                             {"both on XDP", frame(1003), Verdict::drop, 2},
                             {"no direction on XDP", frame(1004), Verdict::drop, 3},
                         });
  expect_cases(kEgress, {
                            {"ingress rule on tc: ignored", frame(1001), Verdict::pass, kDefault},
                            {"egress rule on tc", frame(1002), Verdict::drop, 1},
                            {"both on tc", frame(1003), Verdict::drop, 2},
                            {"no direction on tc", frame(1004), Verdict::drop, 3},
                        });
}

TEST_F(RulesTest, ProtocolSelectsRules) {
  apply(R"(
version: 1
charter:
  default: allow
  flows:
    - {name: deny-icmp, action: deny, proto: icmp}
    - {name: deny-icmpv6, action: deny, proto: icmpv6}
    - {name: deny-udp-dns, action: deny, proto: udp, dst_ports: [53]}
    - {name: deny-tcp-from, action: deny, proto: tcp, src: [10.9.0.0/16]}
    - {name: deny-any-from, action: deny, proto: any, src: [10.8.0.0/16]}
)");
  const Frame gre_from_ten_eight =
      PacketBuilder().ethernet().ipv4("10.8.0.1", "192.0.2.2").payload(8).ip_protocol(47).build();
  expect_cases(
      kIngress,
      {
          {"icmp",
           PacketBuilder()
               .ethernet()
               .ipv4("192.0.2.1", "192.0.2.2")
               .icmp(kIcmpEchoRequest, 0)
               .build(),
           Verdict::drop, 0},
          {"icmpv6",
           PacketBuilder()
               .ethernet()
               .ipv6("2001:db8::1", "2001:db8::2")
               .icmpv6(kIcmpv6EchoRequest, 0)
               .build(),
           Verdict::drop, 1},
          {"udp 53", udp4("192.0.2.1", "192.0.2.2", 7, 53), Verdict::drop, 2},
          {"tcp 53: not udp", tcp4("192.0.2.1", "192.0.2.2", 7, 53), Verdict::pass, kDefault},
          {"tcp from 10.9", tcp4("10.9.1.1", "192.0.2.2", 7, 80), Verdict::drop, 3},
          {"udp from 10.9: not tcp", udp4("10.9.1.1", "192.0.2.2", 7, 80), Verdict::pass, kDefault},
          {"udp from 10.8: any protocol", udp4("10.8.1.1", "192.0.2.2", 7, 80), Verdict::drop, 4},
          {"icmp from 10.8: the icmp rule comes first",
           PacketBuilder()
               .ethernet()
               .ipv4("10.8.1.1", "192.0.2.2")
               .icmp(kIcmpEchoRequest, 0)
               .build(),
           Verdict::drop, 0},
          {"GRE (no ports) from 10.8: any protocol", gre_from_ten_eight, Verdict::drop, 4},
      });
}

TEST_F(RulesTest, Ipv4PrefixesMatchByContainmentInRuleOrder) {
  apply(R"(
version: 1
charter:
  default: allow
  flows:
    - {name: deny-ten-ssh, action: deny, proto: tcp, src: [10.0.0.0/8], dst_ports: [22]}
    - {name: allow-lab, action: allow, src: [10.1.2.0/24]}
    - {name: deny-site, action: deny, src: [10.1.0.0/16]}
    - {name: deny-host, action: deny, src: [192.168.7.7]}
    - {name: deny-to-net, action: deny, dst: [198.51.100.0/25, 203.0.113.128/25]}
    - {name: deny-all-v4-web, action: deny, proto: tcp, src: [0.0.0.0/0], dst_ports: [80]}
)");
  expect_cases(
      kIngress,
      {
          {"ssh from the lab: the /8 rule comes first even though /24 is more specific",
           tcp4("10.1.2.3", "192.0.2.1", 999, 22), Verdict::drop, 0},
          {"lab, not ssh", tcp4("10.1.2.3", "192.0.2.1", 999, 443), Verdict::pass, 1},
          {"site outside the lab", tcp4("10.1.3.3", "192.0.2.1", 999, 443), Verdict::drop, 2},
          {"ten outside the site", tcp4("10.2.0.1", "192.0.2.1", 999, 443), Verdict::pass,
           kDefault},
          {"the host", udp4("192.168.7.7", "192.0.2.1", 1, 2), Verdict::drop, 3},
          {"the host's neighbour", udp4("192.168.7.8", "192.0.2.1", 1, 2), Verdict::pass, kDefault},
          {"into the first dst net", udp4("192.0.2.1", "198.51.100.127", 1, 2), Verdict::drop, 4},
          {"just past the first dst net", udp4("192.0.2.1", "198.51.100.128", 1, 2), Verdict::pass,
           kDefault},
          {"into the second dst net", udp4("192.0.2.1", "203.0.113.200", 1, 2), Verdict::drop, 4},
          {"0.0.0.0/0 matches any IPv4", tcp4("172.16.5.5", "192.0.2.1", 1, 80), Verdict::drop, 5},
          {"0.0.0.0/0 does not match IPv6", tcp6("2001:db8::5", "2001:db8::1", 1, 80),
           Verdict::pass, kDefault},
      });
}

TEST_F(RulesTest, Ipv6PrefixesMatchByContainmentAndNeverMatchIpv4) {
  apply(R"(
version: 1
charter:
  default: allow
  flows:
    - {name: allow-lab6, action: allow, src: ["2001:db8:1:2::/64"]}
    - {name: deny-site6, action: deny, src: ["2001:db8:1::/48"]}
    - {name: deny-host6, action: deny, dst: ["2001:db8:ff::7"]}
    - {name: deny-v4-ten, action: deny, src: [10.1.0.0/16]}
    - {name: deny-mixed, action: deny, proto: udp, src: [172.16.0.0/12, "fd00::/8"]}
)");
  expect_cases(
      kIngress,
      {
          {"lab", tcp6("2001:db8:1:2::9", "2001:db8::1", 1, 2), Verdict::pass, 0},
          {"site outside the lab", tcp6("2001:db8:1:3::9", "2001:db8::1", 1, 2), Verdict::drop, 1},
          {"outside the site", tcp6("2001:db8:2::9", "2001:db8::1", 1, 2), Verdict::pass, kDefault},
          {"to the host", udp6("2001:db8::1", "2001:db8:ff::7", 1, 2), Verdict::drop, 2},
          {"to the host's neighbour", udp6("2001:db8::1", "2001:db8:ff::8", 1, 2), Verdict::pass,
           kDefault},
          // 0a01:0203:: begins with the bytes of 10.1.2.3: the family must keep them apart.
          {"ipv6 address with the bytes of 10.1.x.x", udp6("a01:203::1", "2001:db8::1", 1, 2),
           Verdict::pass, kDefault},
          {"mixed rule, ipv4 half", udp4("172.20.0.1", "192.0.2.1", 1, 2), Verdict::drop, 4},
          {"mixed rule, ipv6 half", udp6("fd12::1", "2001:db8::1", 1, 2), Verdict::drop, 4},
      });
}

TEST_F(RulesTest, PortsAndRangesIncludeBothEnds) {
  apply(R"(
version: 1
charter:
  default: allow
  flows:
    - {name: deny-dst, action: deny, proto: udp, dst_ports: [53, 1000-2000, 65535]}
    - {name: deny-src-and-dst, action: deny, proto: tcp, src_ports: [1024-65535],
       dst_ports: [0, 8080]}
)");
  auto udp_to = [](uint16_t port) { return udp4("192.0.2.1", "192.0.2.2", 40000, port); };
  auto tcp_from_to = [](uint16_t sport, uint16_t dport) {
    return tcp4("192.0.2.1", "192.0.2.2", sport, dport);
  };
  expect_cases(kIngress, {
                             {"52", udp_to(52), Verdict::pass, kDefault},
                             {"53", udp_to(53), Verdict::drop, 0},
                             {"54", udp_to(54), Verdict::pass, kDefault},
                             {"999", udp_to(999), Verdict::pass, kDefault},
                             {"1000", udp_to(1000), Verdict::drop, 0},
                             {"1500", udp_to(1500), Verdict::drop, 0},
                             {"2000", udp_to(2000), Verdict::drop, 0},
                             {"2001", udp_to(2001), Verdict::pass, kDefault},
                             {"65534", udp_to(65534), Verdict::pass, kDefault},
                             {"65535", udp_to(65535), Verdict::drop, 0},
                             {"0", udp_to(0), Verdict::pass, kDefault},
                             {"tcp 1024 -> 8080", tcp_from_to(1024, 8080), Verdict::drop, 1},
                             {"tcp 65535 -> 0", tcp_from_to(65535, 0), Verdict::drop, 1},
                             {"tcp 1023 -> 8080: src port out of range", tcp_from_to(1023, 8080),
                              Verdict::pass, kDefault},
                             {"tcp 5000 -> 8081: dst port out of range", tcp_from_to(5000, 8081),
                              Verdict::pass, kDefault},
                             {"udp 5000 -> 8080: tcp rule",
                              udp4("192.0.2.1", "192.0.2.2", 5000, 8080), Verdict::pass, kDefault},
                         });
}

// A rule without ports matches packets without ports (ICMP) through the "no ports" vector.
TEST_F(RulesTest, RulesWithoutPortsMatchPacketsWithoutPorts) {
  apply(R"(
version: 1
charter:
  default: allow
  flows:
    - {name: deny-udp-high, action: deny, proto: udp, dst_ports: [0-65535]}
    - {name: audit-from-net, action: audit, src: [192.0.2.0/24]}
)");
  expect_cases(kIngress, {
                             {"icmp from the net",
                              PacketBuilder()
                                  .ethernet()
                                  .ipv4("192.0.2.1", "192.0.2.2")
                                  .icmp(kIcmpEchoRequest, 0)
                                  .build(),
                              Verdict::pass, 1},
                             {"udp from the net: all ports", udp4("192.0.2.1", "192.0.2.2", 1, 0),
                              Verdict::drop, 0},
                         });
}

TEST_F(RulesTest, AuditPassesAndCountsAsAudit) {
  apply(R"(
version: 1
charter:
  default: deny
  flows:
    - {name: watch-dns, action: audit, proto: udp, dst_ports: [53]}
)");
  const CounterSnapshot before = counters();
  expect_decision(kIngress, udp4("192.0.2.1", "192.0.2.2", 999, 53), Verdict::pass, 0);
  const CounterDelta delta = since(before);
  EXPECT_EQ(delta.stat(WW_STAT_ACTION_AUDIT), 1u);
  EXPECT_EQ(delta.stat(WW_STAT_ACTION_ALLOW), 0u);
  EXPECT_EQ(delta.stat(WW_STAT_PASS), 1u);
}

// With no rules at all only the default decides, for both families and hooks.
TEST_F(RulesTest, EmptyCharterAppliesTheDefault) {
  apply("version: 1\ncharter: {default: deny}\n");
  expect_decision(kIngress, udp4("192.0.2.1", "192.0.2.2", 1, 2), Verdict::drop, kDefault);
  expect_decision(kIngress, tcp6("2001:db8::1", "2001:db8::2", 1, 2), Verdict::drop, kDefault);
  expect_decision(kEgress, udp4("192.0.2.1", "192.0.2.2", 1, 2), Verdict::drop, kDefault);
}

}  // namespace
}  // namespace westworld::bpf_test

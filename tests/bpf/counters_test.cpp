// Counters: every frame is seen once and ends as exactly one pass or one drop; decisions are
// counted per action; rule counters carry packets and bytes and start at zero for a freshly
// applied policy.
#include <vector>

#include "guard_fixture.h"

namespace westworld::bpf_test {
namespace {

constexpr const char* kMixedPolicy = R"(
version: 1
charter:
  default: deny
  fragments: deny
  flows:
    - {name: allow-dns, action: allow, proto: udp, dst_ports: [53]}
    - {name: deny-telnet, action: deny, proto: tcp, dst_ports: [23]}
    - {name: audit-web, action: audit, proto: tcp, dst_ports: [80]}
)";
enum MixedRule : uint32_t { kAllowDns, kDenyTelnet, kAuditWeb };

class CountersTest : public GuardTest {};

TEST_F(CountersTest, EveryFrameIsSeenOnceAndEndsAsOnePassOrOneDrop) {
  apply(kMixedPolicy);
  const Frame dns = udp4("10.0.0.1", "192.0.2.1", 999, 53);
  const std::vector<Frame> frames = {
      dns,
      tcp4("10.0.0.1", "192.0.2.1", 999, 23),
      tcp6("2001:db8::1", "2001:db8::2", 999, 80),
      udp4("10.0.0.1", "192.0.2.1", 999, 54),  // default deny
      PacketBuilder().ethernet().arp().build(),
      Frame(dns.begin(), dns.begin() + 20),  // truncated
      PacketBuilder().ethernet().ipv4("10.0.0.1", "192.0.2.1").ipv4_ihl(3).udp(1, 2).build(),
      PacketBuilder()
          .ethernet()
          .ipv4("10.0.0.1", "192.0.2.1")
          .fragment(64, false)
          .payload(8)
          .build(),
  };
  const CounterSnapshot before = counters();
  uint64_t bytes = 0, pass_bytes = 0, passed = 0;
  for (const Frame& frame : frames) {
    const Verdict verdict = run_xdp(frame);
    bytes += frame.size();
    if (verdict == Verdict::pass) {
      ++passed;
      pass_bytes += frame.size();
    }
  }
  const CounterDelta delta = since(before);
  EXPECT_EQ(passed, 3u);  // dns, audit-web, ARP
  EXPECT_EQ(delta.stat(WW_STAT_SEEN), frames.size());
  EXPECT_EQ(delta.stat_bytes(WW_STAT_SEEN), bytes);
  EXPECT_EQ(delta.stat(WW_STAT_PASS), passed);
  EXPECT_EQ(delta.stat_bytes(WW_STAT_PASS), pass_bytes);
  EXPECT_EQ(delta.stat(WW_STAT_DROP), frames.size() - passed);
  EXPECT_EQ(delta.stat_bytes(WW_STAT_DROP), bytes - pass_bytes);
  EXPECT_EQ(delta.all_drops(), frames.size() - passed);
  EXPECT_EQ(delta.drops(WW_DROP_RULE), 1u);
  EXPECT_EQ(delta.drops(WW_DROP_DEFAULT), 1u);
  EXPECT_EQ(delta.drops(WW_DROP_TRUNCATED), 1u);
  EXPECT_EQ(delta.drops(WW_DROP_MALFORMED), 1u);
  EXPECT_EQ(delta.drops(WW_DROP_FRAGMENT), 1u);
  // Nothing of this went the other way.
  EXPECT_EQ(delta.stat(WW_STAT_SEEN, kEgress), 0u);
}

TEST_F(CountersTest, DecisionsAreCountedPerActionWithTheirBytes) {
  apply(kMixedPolicy);
  const CounterSnapshot before = counters();
  const Frame allowed = udp4("10.0.0.1", "192.0.2.1", 999, 53, 100);
  const Frame denied = tcp4("10.0.0.1", "192.0.2.1", 999, 23);
  const Frame audited = tcp4("10.0.0.1", "192.0.2.1", 999, 80);
  const Frame unmatched = udp4("10.0.0.1", "192.0.2.1", 999, 54, 7);
  for (int i = 0; i < 3; ++i) run_xdp(allowed);
  for (int i = 0; i < 2; ++i) run_xdp(denied);
  for (int i = 0; i < 4; ++i) run_xdp(audited);
  run_xdp(unmatched);

  const CounterDelta delta = since(before);
  EXPECT_EQ(delta.stat(WW_STAT_ACTION_ALLOW), 3u);
  EXPECT_EQ(delta.stat_bytes(WW_STAT_ACTION_ALLOW), 3 * allowed.size());
  EXPECT_EQ(delta.stat(WW_STAT_ACTION_DENY), 2u + 1u);  // the default's deny included
  EXPECT_EQ(delta.stat_bytes(WW_STAT_ACTION_DENY), 2 * denied.size() + unmatched.size());
  EXPECT_EQ(delta.stat(WW_STAT_ACTION_AUDIT), 4u);
  EXPECT_EQ(delta.stat_bytes(WW_STAT_ACTION_AUDIT), 4 * audited.size());
  EXPECT_EQ(delta.stat(WW_STAT_DEFAULT), 1u);
  EXPECT_EQ(delta.stat_bytes(WW_STAT_DEFAULT), unmatched.size());
  EXPECT_EQ(rule_counter(kAllowDns).packets, 3u);
  EXPECT_EQ(rule_counter(kDenyTelnet).packets, 2u);
  EXPECT_EQ(rule_counter(kAuditWeb).packets, 4u);
}

TEST_F(CountersTest, RuleBytesAreTheSumOfFrameLengths) {
  apply(kMixedPolicy);
  uint64_t bytes = 0;
  for (size_t payload : {0, 1, 17, 200, 1400}) {
    const Frame frame = udp4("10.0.0.1", "192.0.2.1", 999, 53, payload);
    bytes += frame.size();
    EXPECT_EQ(run_xdp(frame), Verdict::pass);
  }
  EXPECT_EQ(rule_counter(kAllowDns).packets, 5u);
  EXPECT_EQ(rule_counter(kAllowDns).bytes, bytes);
}

// A half is reused every second apply; its rule counters must not carry the counts of the
// policy that lived there two applies ago. The global counters, though, are cumulative.
TEST_F(CountersTest, AFreshlyAppliedPolicysRuleCountersStartAtZero) {
  apply(kMixedPolicy);
  const uint32_t first_gen = active_gen();
  for (int i = 0; i < 3; ++i) run_xdp(udp4("10.0.0.1", "192.0.2.1", 999, 53));
  ASSERT_EQ(rule_counter(kAllowDns).packets, 3u);

  apply("version: 1\ncharter:\n  flows:\n    - {name: other, action: allow}\n");
  apply(kMixedPolicy);
  ASSERT_EQ(active_gen(), first_gen);
  EXPECT_EQ(rule_counter(kAllowDns).packets, 0u);
  EXPECT_EQ(rule_counter(kAllowDns).bytes, 0u);
  EXPECT_EQ(counters().packets(kIngress, WW_STAT_ACTION_ALLOW), 3u);
}

}  // namespace
}  // namespace westworld::bpf_test

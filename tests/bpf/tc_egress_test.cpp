// The tc egress program: same parser and charter as XDP, counted in the egress direction,
// and no anti-meave (quotas protect the router from others, not from itself).
#include <optional>
#include <vector>

#include "guard_fixture.h"

namespace westworld::bpf_test {
namespace {

constexpr const char* kEgressPolicy = R"(
version: 1
charter:
  default: allow
  flows:
    - name: no-telemetry-export
      action: deny
      direction: egress
      proto: udp
      dst: [198.51.100.0/24, "2001:db8:ff::/48"]
      dst_ports: [4317, 9000-9100]
    - name: no-inbound-ssh
      action: deny
      direction: ingress
      proto: tcp
      dst_ports: [22]
)";
enum EgressRule : uint32_t { kNoTelemetryExport, kNoInboundSsh };

class TcEgressTest : public GuardTest {};

TEST_F(TcEgressTest, AnEgressRuleDropsOnTcAndCountsAsEgress) {
  apply(kEgressPolicy);
  const Frame export_v4 = udp4("192.0.2.1", "198.51.100.9", 40000, 4317);
  const Frame export_v6 = udp6("2001:db8::1", "2001:db8:ff::9", 40000, 9050);

  const CounterSnapshot before = counters();
  expect_decision(kEgress, export_v4, Verdict::drop, kNoTelemetryExport);
  expect_decision(kEgress, export_v6, Verdict::drop, kNoTelemetryExport);
  const CounterDelta delta = since(before);
  EXPECT_EQ(delta.drops(WW_DROP_RULE, kEgress), 2u);
  EXPECT_EQ(delta.stat(WW_STAT_ACTION_DENY, kEgress), 2u);
  EXPECT_EQ(delta.stat(WW_STAT_SEEN, kEgress), 2u);
  EXPECT_EQ(delta.stat(WW_STAT_SEEN, kIngress), 0u);

  // The same frame arriving is not an export.
  expect_decision(kIngress, export_v4, Verdict::pass, std::nullopt);
}

TEST_F(TcEgressTest, AnIngressOnlyRuleDoesNotAffectTc) {
  apply(kEgressPolicy);
  const Frame ssh = tcp4("192.0.2.1", "192.0.2.2", 40000, 22);
  expect_decision(kEgress, ssh, Verdict::pass, std::nullopt);
  expect_decision(kIngress, ssh, Verdict::drop, kNoInboundSsh);
}

TEST_F(TcEgressTest, QuotasAndTheShareCapDoNotApplyOnEgress) {
  apply(R"(
version: 1
anti_meave:
  quota: {pps: 1, burst: 1}
  max_share: 0.01
)");
  const Frame frame = udp4("192.0.2.1", "198.51.100.9", 40000, 53);
  const CounterSnapshot before = counters();
  for (int i = 0; i < 30; ++i) EXPECT_EQ(run_tc(frame), Verdict::pass) << "packet " << i;
  const CounterDelta delta = since(before);
  EXPECT_EQ(delta.stat(WW_STAT_QUOTA_EXCEEDED, kEgress), 0u);
  EXPECT_EQ(delta.stat(WW_STAT_SHARE_EXCEEDED, kEgress), 0u);
  EXPECT_EQ(delta.stat(WW_STAT_SOURCES_NEW, kEgress), 0u);
  EXPECT_EQ(delta.all_drops(kEgress), 0u);
  EXPECT_EQ(source_count(), 0u) << "egress traffic must not create sources";

  // The same policy does limit that source on ingress: the quota is real.
  EXPECT_EQ(run_xdp(frame), Verdict::pass);
  EXPECT_EQ(run_xdp(frame), Verdict::drop);
  EXPECT_EQ(since(before).drops(WW_DROP_QUOTA, kIngress), 1u);
}

TEST_F(TcEgressTest, TcParsesLikeXdp) {
  apply(
      "version: 1\ncharter:\n  flows:\n    - {name: deny-dns, action: deny, proto: udp, "
      "dst_ports: [53]}\n");
  const Frame dns = udp4("192.0.2.1", "192.0.2.2", 1, 53);
  const Frame qinq_dns = PacketBuilder()
                             .ethernet()
                             .vlan(0x88a8, 1)
                             .vlan(0x8100, 2)
                             .ipv4("192.0.2.1", "192.0.2.2")
                             .udp(1, 53)
                             .build();
  const Frame ext_dns = PacketBuilder()
                            .ethernet()
                            .ipv6("2001:db8::1", "2001:db8::2")
                            .hop_by_hop()
                            .routing()
                            .udp(1, 53)
                            .build();
  const CounterSnapshot before = counters();
  EXPECT_EQ(run_tc(qinq_dns), Verdict::drop);
  EXPECT_EQ(run_tc(ext_dns), Verdict::drop);
  // Cut inside UDP: the kernel's skb test run itself refuses frames with a cut IP header.
  EXPECT_EQ(run_tc(Frame(dns.begin(), dns.begin() + 38)), Verdict::drop);
  EXPECT_EQ(run_tc(PacketBuilder().ethernet().arp().build()), Verdict::pass);
  const CounterDelta delta = since(before);
  EXPECT_EQ(delta.drops(WW_DROP_RULE, kEgress), 2u);
  EXPECT_EQ(delta.drops(WW_DROP_TRUNCATED, kEgress), 1u);
  EXPECT_EQ(delta.stat(WW_STAT_NON_IP, kEgress), 1u);
  EXPECT_EQ(delta.stat(WW_STAT_SEEN, kIngress), 0u);
}

TEST_F(TcEgressTest, WithoutAPolicyTcFailsClosed) {
  const CounterSnapshot before = counters();
  EXPECT_EQ(run_tc(udp4("192.0.2.1", "192.0.2.2", 1, 53)), Verdict::drop);
  EXPECT_EQ(since(before).drops(WW_DROP_NO_POLICY, kEgress), 1u);
}

}  // namespace
}  // namespace westworld::bpf_test

// The tc egress program enforces egress rules on what the router itself sends.
#include "guard_test.h"

namespace westworld::integration {
namespace {

class EgressTest : public GuardTest {};

constexpr uint32_t kPackets = 100;

TEST_F(EgressTest, EgressDenyRuleStopsRouterTrafficToThatPortOnly) {
  const VethLink& src1 = link(1);
  const auto policy =
      write_policy("deny-egress.yaml", harness::deny_port_policy({.name = "no-egress-to-src1-port",
                                                                  .ports = {kDeniedPort},
                                                                  .direction = "egress",
                                                                  .dst = {src1.source_ipv4}}));
  start_agent(policy, {src1.router_iface});

  TrafficReceiver denied = receive(src1.source_ns, kDeniedPort);
  TrafficReceiver allowed = receive(src1.source_ns, kAllowedPort);
  const SendResult to_denied = send(router_ns(), {src1.source_ipv4, kDeniedPort, kPackets});
  const SendResult to_allowed = send(router_ns(), {src1.source_ipv4, kAllowedPort, kPackets});
  const Received at_denied = denied.finish();
  const Received at_allowed = allowed.finish();

  // A tc drop is reported to the sending socket, so the denied datagrams may count as errors.
  EXPECT_EQ(to_denied.sent + to_denied.errors, kPackets);
  ASSERT_EQ(to_allowed.sent, kPackets);
  EXPECT_EQ(at_denied.total, 0u);
  EXPECT_EQ(at_allowed.from(src1.router_ipv4), kPackets);

  const json now = status();
  EXPECT_EQ(rule_packets(now, "no-egress-to-src1-port"), kPackets);
  EXPECT_EQ(drop_packets(now, "egress", "rule"), kPackets);
  EXPECT_EQ(drop_packets(now, "ingress", "rule"), 0u);
  EXPECT_TRUE(our_tc_filter_on(src1.router_iface));
}

}  // namespace
}  // namespace westworld::integration

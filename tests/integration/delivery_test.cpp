// A charter deny rule drops exactly the packets it names, in native XDP, and the counters,
// wwctl status and the kernel agree on what happened.
#include "guard_test.h"

namespace westworld::integration {
namespace {

class DeliveryTest : public GuardTest {};

constexpr uint32_t kPackets = 200;

TEST_F(DeliveryTest, DeniedPortGetsNothingWhileAllowedPortGetsEverything) {
  const auto policy = write_deny_port_policy();
  const VethLink& src1 = link(1);
  start_agent(policy, {src1.router_iface}, "native");

  TrafficReceiver denied = receive(router_ns(), kDeniedPort);
  TrafficReceiver allowed = receive(router_ns(), kAllowedPort);
  const SendResult to_denied = send(src1.source_ns, {src1.router_ipv4, kDeniedPort, kPackets});
  const SendResult to_allowed = send(src1.source_ns, {src1.router_ipv4, kAllowedPort, kPackets});
  const Received at_denied = denied.finish();
  const Received at_allowed = allowed.finish();

  ASSERT_EQ(to_denied.sent, kPackets);
  ASSERT_EQ(to_allowed.sent, kPackets);
  EXPECT_EQ(at_denied.total, 0u);
  EXPECT_EQ(at_allowed.from(src1.source_ipv4), kPackets);
  EXPECT_EQ(at_allowed.total, kPackets);

  const json now = status();
  EXPECT_EQ(rule_packets(now, "deny-udp-port"), kPackets);
  EXPECT_EQ(drop_packets(now, "ingress", "rule"), kPackets);

  const auto iface = interface_status(now, src1.router_iface);
  ASSERT_TRUE(iface) << now.dump(2);
  EXPECT_EQ(iface->at("xdp_mode"), "native");
  EXPECT_TRUE(iface->at("xdp_attached").get<bool>());
  const XdpLinkState kernel = xdp_on(src1.router_iface);
  EXPECT_EQ(kernel.mode_flag, "xdp") << "native XDP shows as `xdp`, generic as `xdpgeneric`";
  EXPECT_NE(kernel.prog_id, 0u);
  EXPECT_EQ(kernel.prog_id, iface->at("xdp_prog_id").get<uint32_t>());
  EXPECT_TRUE(our_tc_filter_on(src1.router_iface));
}

}  // namespace
}  // namespace westworld::integration

// Flow rules match IPv6 source prefixes, and only IPv6 traffic from them.
#include "guard_test.h"

namespace westworld::integration {
namespace {

class Ipv6Test : public GuardTest {};

constexpr uint32_t kPackets = 100;

TEST_F(Ipv6Test, DenyRuleOnIpv6PrefixBlocksOnlyThatPrefix) {
  const auto policy = write_policy("deny-ipv6-prefix.yaml", R"(version: 1
charter:
  default: allow
  flows:
    - name: deny-src1-ipv6
      action: deny
      direction: ingress
      proto: udp
      src: [${NET1_IPV6}]
)");
  const VethLink& src1 = link(1);
  const VethLink& src2 = link(2);
  start_agent(policy, {src1.router_iface, src2.router_iface});

  TrafficReceiver receiver = receive(router_ns(), kAllowedPort);
  ASSERT_EQ(send(src1.source_ns, {src1.router_ipv6, kAllowedPort, kPackets}).sent, kPackets);
  ASSERT_EQ(send(src2.source_ns, {src2.router_ipv6, kAllowedPort, kPackets}).sent, kPackets);
  // The same source over IPv4 is outside the IPv6 prefix.
  ASSERT_EQ(send(src1.source_ns, {src1.router_ipv4, kAllowedPort, kPackets}).sent, kPackets);
  const Received received = receiver.finish();

  EXPECT_EQ(received.from(src1.source_ipv6), 0u);
  EXPECT_EQ(received.from(src2.source_ipv6), kPackets);
  EXPECT_EQ(received.from(src1.source_ipv4), kPackets);
  EXPECT_EQ(received.total, 2 * kPackets);

  const json now = status();
  EXPECT_EQ(rule_packets(now, "deny-src1-ipv6"), kPackets);
  EXPECT_EQ(drop_packets(now, "ingress", "rule"), kPackets);
}

}  // namespace
}  // namespace westworld::integration

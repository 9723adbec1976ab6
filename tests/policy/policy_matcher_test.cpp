// Hand-picked packets against a small policy, through both matchers.
#include <gtest/gtest.h>

#include "policy_test_util.h"
#include "westworld/policy/compiled_policy.h"
#include "westworld/policy/matcher.h"

namespace westworld::policy {
namespace {

using testing::cidr;
using testing::load_clean;

class PolicyMatcher : public ::testing::Test {
 protected:
  Policy policy = load_clean(R"(version: 1
charter:
  flows:
    - {name: ssh-admin, action: allow, direction: ingress, proto: tcp, src: [10.20.0.0/16],
       dst_ports: [22]}
    - {name: ssh, action: deny, direction: ingress, proto: tcp, dst_ports: [22]}
    - {name: v6-lab, action: audit, src: [fd00::/8], dst: [fd00::/8]}
    - {name: high-ports, action: allow, proto: udp, src_ports: [1024-65535]}
)");
  CompiledPolicy compiled = compile(policy);

  std::optional<uint32_t> both(const PacketFields& packet) {
    auto expected = reference_match(policy, packet);
    EXPECT_EQ(classify(compiled, packet), expected);
    return expected;
  }
};

PacketFields packet(uint8_t direction, const std::string& src, const std::string& dst,
                    uint8_t protocol, std::optional<std::pair<uint16_t, uint16_t>> ports) {
  PacketFields p;
  p.direction = direction;
  p.family = cidr(src).family;
  p.src = cidr(src).addr;
  p.dst = cidr(dst).addr;
  p.protocol = protocol;
  p.has_ports = ports.has_value();
  if (ports) std::tie(p.src_port, p.dst_port) = *ports;
  return p;
}

TEST_F(PolicyMatcher, FirstMatchingRuleWins) {
  EXPECT_EQ(both(packet(WW_DIR_INGRESS, "10.20.1.1", "192.0.2.1", 6, {{40000, 22}})), 0u);
  EXPECT_EQ(both(packet(WW_DIR_INGRESS, "10.21.1.1", "192.0.2.1", 6, {{40000, 22}})), 1u);
  EXPECT_EQ(both(packet(WW_DIR_EGRESS, "10.21.1.1", "192.0.2.1", 6, {{40000, 22}})), std::nullopt);
  EXPECT_EQ(both(packet(WW_DIR_INGRESS, "10.20.1.1", "192.0.2.1", 17, {{40000, 22}})), 3u);
  EXPECT_EQ(both(packet(WW_DIR_INGRESS, "10.20.1.1", "192.0.2.1", 17, {{1023, 22}})), std::nullopt);
}

TEST_F(PolicyMatcher, PacketsWithoutPortsMatchOnlyRulesWithoutPorts) {
  EXPECT_EQ(both(packet(WW_DIR_INGRESS, "10.20.1.1", "192.0.2.1", 6, std::nullopt)), std::nullopt);
  EXPECT_EQ(both(packet(WW_DIR_EGRESS, "fd00::1", "fd12::2", 6, std::nullopt)), 2u);
}

TEST_F(PolicyMatcher, AddressesMatchOnlyTheirOwnFamily) {
  EXPECT_EQ(both(packet(WW_DIR_EGRESS, "fd00::1", "fd00::2", 1, std::nullopt)), 2u);
  EXPECT_EQ(both(packet(WW_DIR_EGRESS, "fe80::1", "fd00::2", 1, std::nullopt)), std::nullopt);
  // 253.0.0.1 shares its first byte with fd00::/8, but not its family.
  EXPECT_EQ(both(packet(WW_DIR_EGRESS, "253.0.0.1", "253.0.0.2", 1, std::nullopt)), std::nullopt);
}

TEST(PolicyMatcherEdges, UnknownDirectionMatchesNothing) {
  Policy policy;
  policy.flows.resize(1);
  PacketFields packet;
  packet.direction = WW_DIR_MAX;
  EXPECT_EQ(classify(compile(policy), packet), std::nullopt);
  packet.direction = WW_DIR_EGRESS;
  EXPECT_EQ(classify(compile(policy), packet), 0u);
}

}  // namespace
}  // namespace westworld::policy

// `wwctl policy apply` swaps the running policy under traffic, and a bad policy changes
// nothing.
#include <chrono>
#include <stdexcept>

#include "guard_test.h"
#include "westworld/harness/polling.h"

namespace westworld::integration {
namespace {

using namespace std::chrono_literals;

class PolicyApplyTest : public GuardTest {
 protected:
  // Polls status until the guard has passed `packets` more IP packets on ingress than
  // `baseline` says: proof the stream is flowing, without guessing a sleep.
  void wait_for_passed_packets(const json& baseline, uint64_t packets) const {
    const uint64_t start = counter_packets(baseline, "ingress", "action_allow");
    const bool flowing = harness::eventually(60s, [&] {
      return counter_packets(status(), "ingress", "action_allow") >= start + packets;
    });
    if (!flowing) {
      throw std::runtime_error("the stream never got going");
    }
  }
};

constexpr uint32_t kStreamPackets = 2000;
constexpr uint32_t kStreamPps = 500;
constexpr uint32_t kPackets = 100;

TEST_F(PolicyApplyTest, ApplyUnderTrafficSwapsAtomicallyAndBadPolicyChangesNothing) {
  const auto allow_all = write_policy("a-allow-all.yaml", R"(version: 1
charter:
  default: allow
)");
  const auto deny_port = write_policy(
      "b-deny-port.yaml", harness::deny_port_policy({"deny-after-swap", {kDeniedPort}}));
  const auto invalid = write_policy("c-invalid.yaml", R"(version: 1
charter:
  default: sometimes
  flows:
    - name: Not_A_Valid_Name
      action: deny
      dst_ports: [70000]
)");
  const VethLink& src1 = link(1);
  start_agent(allow_all, {src1.router_iface});
  const json before = status();

  // A steady stream to the port policy B denies; B is applied once it is flowing.
  TrafficReceiver stream_receiver = receive(router_ns(), kDeniedPort);
  TrafficSender stream =
      start_sending(src1.source_ns, {src1.router_ipv4, kDeniedPort, kStreamPackets, kStreamPps});
  wait_for_passed_packets(before, 100);
  const CommandResult apply = wwctl({"policy", "apply", deny_port.string()});
  ASSERT_TRUE(apply.ok()) << apply.describe();
  const SendResult streamed = stream.finish();
  const Received delivered = stream_receiver.finish();

  ASSERT_EQ(streamed.sent, kStreamPackets);
  const uint64_t arrived = delivered.from(src1.source_ipv4);
  EXPECT_GT(arrived, 0u) << "policy A should have let the start of the stream through";
  EXPECT_LT(arrived, kStreamPackets) << "policy B should have stopped the rest";

  const json after_b = status();
  EXPECT_EQ(after_b["policy"]["generation"].get<uint64_t>(),
            before["policy"]["generation"].get<uint64_t>() + 1);
  EXPECT_NE(after_b["policy"]["digest"], before["policy"]["digest"]);
  const uint64_t denied_by_b = rule_packets(after_b, "deny-after-swap");
  EXPECT_GT(denied_by_b, 0u);
  EXPECT_EQ(arrived + denied_by_b, kStreamPackets)
      << "every packet is either delivered under A or denied under B: none lost in the swap";

  // An invalid policy is rejected with positions, and the running policy stays.
  const CommandResult rejected = wwctl({"policy", "apply", invalid.string()});
  EXPECT_EQ(rejected.exit_status, 1) << rejected.describe();
  const auto positioned = matching_lines(rejected.err, R"(c-invalid\.yaml:\d+:\d+: error: )");
  EXPECT_FALSE(positioned.empty()) << rejected.describe();
  for (const auto& line : positioned) {
    EXPECT_TRUE(line.starts_with(invalid.string() + ":")) << line;
  }

  const json after_invalid = status();
  EXPECT_EQ(after_invalid["policy"]["generation"], after_b["policy"]["generation"]);
  EXPECT_EQ(after_invalid["policy"]["digest"], after_b["policy"]["digest"]);

  TrafficReceiver denied = receive(router_ns(), kDeniedPort);
  TrafficReceiver allowed = receive(router_ns(), kAllowedPort);
  ASSERT_EQ(send(src1.source_ns, {src1.router_ipv4, kDeniedPort, kPackets}).sent, kPackets);
  ASSERT_EQ(send(src1.source_ns, {src1.router_ipv4, kAllowedPort, kPackets}).sent, kPackets);
  EXPECT_EQ(denied.finish().total, 0u) << "policy B still denies the port";
  EXPECT_EQ(allowed.finish().from(src1.source_ipv4), kPackets);
  EXPECT_EQ(rule_packets(status(), "deny-after-swap"), denied_by_b + kPackets);
}

}  // namespace
}  // namespace westworld::integration

// Enforcement outlives the agent: after kill -9 the pinned guard stays attached and
// enforcing, wwctl reads its state from the pins, and a restarted agent re-adopts it without
// a gap and without resetting counters.
#include <signal.h>

#include "guard_test.h"

namespace westworld::integration {
namespace {

class RestartTest : public GuardTest {
 protected:
  // Sends kPackets from source 1 to the denied and to the allowed port; expects none and all.
  void expect_enforcement(const char* when) {
    SCOPED_TRACE(when);
    const VethLink& src1 = link(1);
    TrafficReceiver denied = receive(router_ns(), kDeniedPort);
    TrafficReceiver allowed = receive(router_ns(), kAllowedPort);
    ASSERT_EQ(send(src1.source_ns, {src1.router_ipv4, kDeniedPort, kPackets}).sent, kPackets);
    ASSERT_EQ(send(src1.source_ns, {src1.router_ipv4, kAllowedPort, kPackets}).sent, kPackets);
    EXPECT_EQ(denied.finish().total, 0u);
    EXPECT_EQ(allowed.finish().from(src1.source_ipv4), kPackets);
  }

  static constexpr uint32_t kPackets = 100;
};

TEST_F(RestartTest, GuardSurvivesKillNineAndIsReadoptedWithCountersIntact) {
  const auto policy = write_deny_port_policy();
  const std::string iface = link(1).router_iface;
  start_agent(policy, {iface});
  ASSERT_NO_FATAL_FAILURE(expect_enforcement("with the agent running"));
  const json first = status();
  const auto attached = interface_status(first, iface);
  ASSERT_TRUE(attached) << first.dump(2);
  const uint32_t prog_id = attached->at("xdp_prog_id").get<uint32_t>();
  ASSERT_EQ(rule_packets(first, "deny-udp-port"), kPackets);

  agent().kill9();
  EXPECT_EQ(agent().exit_status(), kKilledBySignal + SIGKILL);

  EXPECT_EQ(xdp_on(iface).prog_id, prog_id) << "the program must stay attached";
  ASSERT_NO_FATAL_FAILURE(expect_enforcement("after kill -9"));

  const json orphaned = status();  // from the pins: no agent answers
  EXPECT_FALSE(orphaned["agent"]["running"].get<bool>()) << orphaned.dump(2);
  EXPECT_EQ(rule_packets(orphaned, "deny-udp-port"), 2 * kPackets);
  const auto still_attached = interface_status(orphaned, iface);
  ASSERT_TRUE(still_attached) << orphaned.dump(2);
  EXPECT_TRUE(still_attached->at("xdp_attached").get<bool>());
  EXPECT_EQ(still_attached->at("xdp_prog_id").get<uint32_t>(), prog_id);

  start_agent(policy, {iface});
  EXPECT_NE(agent().stderr_text().find("re-adopting"), std::string::npos) << agent().describe();
  const json readopted = status();
  EXPECT_TRUE(readopted["agent"]["running"].get<bool>());
  const auto readopted_iface = interface_status(readopted, iface);
  ASSERT_TRUE(readopted_iface) << readopted.dump(2);
  EXPECT_EQ(readopted_iface->at("xdp_prog_id").get<uint32_t>(), prog_id);
  EXPECT_EQ(xdp_on(iface).prog_id, prog_id);
  EXPECT_GE(rule_packets(readopted, "deny-udp-port"), 2 * kPackets);
  EXPECT_EQ(readopted["policy"]["generation"], first["policy"]["generation"])
      << "the same policy is not applied again";
  ASSERT_NO_FATAL_FAILURE(expect_enforcement("after the restart"));
}

}  // namespace
}  // namespace westworld::integration

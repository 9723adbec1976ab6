// `wwctl detach` removes the guard: from every interface (and then the pins, and the agent
// stops), or from one interface while the others stay guarded.
#include "guard_test.h"

namespace westworld::integration {
namespace {

using namespace std::chrono_literals;

class DetachTest : public GuardTest {
 protected:
  // How many of kPackets sent from source `number` to the denied port arrive.
  uint64_t delivered_to_denied_port(int number) {
    const VethLink& source = link(number);
    TrafficReceiver receiver = receive(router_ns(), kDeniedPort);
    send(source.source_ns, {source.router_ipv4, kDeniedPort, kPackets});
    return receiver.finish().from(source.source_ipv4);
  }

  static constexpr uint32_t kPackets = 50;
};

TEST_F(DetachTest, DetachRemovesProgramsAndPinsAndStopsTheAgent) {
  const std::string iface = link(1).router_iface;
  start_agent(write_deny_port_policy(), {iface});
  ASSERT_NE(xdp_on(iface).prog_id, 0u);
  ASSERT_TRUE(our_tc_filter_on(iface));
  ASSERT_EQ(delivered_to_denied_port(1), 0u);

  const CommandResult detached = wwctl({"detach"});
  ASSERT_TRUE(detached.ok()) << detached.describe();

  EXPECT_EQ(agent().wait_for_exit(60s), 0) << agent().describe();
  const XdpLinkState kernel = xdp_on(iface);
  EXPECT_EQ(kernel.prog_id, 0u);
  EXPECT_EQ(kernel.mode_flag, "");
  EXPECT_FALSE(our_tc_filter_on(iface));
  EXPECT_FALSE(pins_exist()) << pin_root();
  EXPECT_EQ(delivered_to_denied_port(1), kPackets) << "nothing filters any more";
}

TEST_F(DetachTest, DetachingOneInterfaceLeavesTheOtherGuarded) {
  const std::string detached_iface = link(1).router_iface;
  const std::string kept_iface = link(2).router_iface;
  start_agent(write_deny_port_policy(), {detached_iface, kept_iface});
  const uint32_t kept_prog_id = xdp_on(kept_iface).prog_id;
  ASSERT_NE(kept_prog_id, 0u);

  const CommandResult detached = wwctl({"detach", "--iface", detached_iface});
  ASSERT_TRUE(detached.ok()) << detached.describe();

  EXPECT_TRUE(agent().running()) << "an interface is left: the agent keeps serving";
  EXPECT_EQ(xdp_on(detached_iface).prog_id, 0u);
  EXPECT_FALSE(our_tc_filter_on(detached_iface));
  EXPECT_EQ(xdp_on(kept_iface).prog_id, kept_prog_id);
  EXPECT_TRUE(our_tc_filter_on(kept_iface));
  EXPECT_TRUE(pins_exist());

  const json now = status();
  EXPECT_FALSE(interface_status(now, detached_iface)) << now.dump(2);
  EXPECT_TRUE(interface_status(now, kept_iface)) << now.dump(2);

  EXPECT_EQ(delivered_to_denied_port(1), kPackets) << "the detached interface filters nothing";
  EXPECT_EQ(delivered_to_denied_port(2), 0u) << "the kept interface still enforces";
}

}  // namespace
}  // namespace westworld::integration

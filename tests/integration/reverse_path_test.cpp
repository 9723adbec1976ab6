// Spoofing resistance: a host on link 2 sends a flood in the name of link 1's source. Without the
// reverse-path check the flood spends the victim's quota (what a black-box probe found); with
// `reverse_path: strict` every spoofed packet is dropped as reverse_path before any per-source
// state is touched, and the victim keeps full delivery with nothing of its own dropped. With
// `loose`, a source the router has no route back to at all is dropped the same way.
#include "guard_test.h"
#include "westworld/harness/command.h"

namespace westworld::integration {
namespace {

constexpr uint32_t kSpoofedPackets = 3000;
constexpr uint32_t kVictimPackets = 100;
constexpr uint32_t kVictimPps = 50;  // a quarter of the quota

const std::string kQuota = "  quota: {pps: 200, burst: 50}\n";

class ReversePathTest : public GuardTest {
 protected:
  void SetUp() override {
    GuardTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    // A router forwards; the kernel's lookup (and so the check) needs it.
    harness::run_checked(
        {"ip", "netns", "exec", router_ns(), "sysctl", "-qw", "net.ipv4.conf.all.forwarding=1"});
  }

  // Gives link `spoofer`'s host the address `address` too, so it can send in its name.
  void lend_address(const VethLink& spoofer, const std::string& address) const {
    harness::run_checked({"ip", "-n", spoofer.source_ns, "addr", "add", address + "/32", "dev",
                          spoofer.source_iface});
  }

  struct Outcome {
    SendResult spoofed;
    uint64_t victim_received = 0;  // from the victim's address, spoofed or not
    json status;
  };

  // The spoofer floods from `spoofed_source` while the victim (link 1) sends modestly.
  Outcome spoof_while_victim_sends(const std::string& reverse_path,
                                   const std::string& spoofed_source) {
    const VethLink& victim = link(1);
    const VethLink& spoofer = link(2);
    start_agent(write_policy("rpf.yaml", "version: 1\nanti_meave:\n" + kQuota +
                                             "  reverse_path: " + reverse_path + "\n"),
                {victim.router_iface, spoofer.router_iface});
    lend_address(spoofer, spoofed_source);
    TrafficReceiver receiver = receive(router_ns(), kAllowedPort);
    TrafficSender victim_sender = start_sending(
        victim.source_ns, {victim.router_ipv4, kAllowedPort, kVictimPackets, kVictimPps});
    Outcome outcome;
    outcome.spoofed = send(spoofer.source_ns, {.dst = spoofer.router_ipv4,
                                               .dport = kAllowedPort,
                                               .count = kSpoofedPackets,
                                               .pps = 0,
                                               .src = spoofed_source});
    EXPECT_EQ(victim_sender.finish().sent, kVictimPackets);
    outcome.victim_received = receiver.finish().from(victim.source_ipv4);
    outcome.status = status();
    return outcome;
  }
};

TEST_F(ReversePathTest, WithoutTheCheckASpooferSpendsItsVictimsQuota) {
  const Outcome off = spoof_while_victim_sends("off", link(1).source_ipv4);
  ASSERT_EQ(off.spoofed.sent, kSpoofedPackets);
  const auto victim = source_status(off.status, link(1).source_ipv4);
  ASSERT_TRUE(victim) << off.status.dump(2);
  // The harm the check exists for: the spoofed flood was counted as the victim's traffic.
  EXPECT_GT(victim->at("packets").get<uint64_t>(), kSpoofedPackets / 2) << victim->dump();
  EXPECT_GT(victim->at("dropped_quota").get<uint64_t>(), 0u) << victim->dump();
  EXPECT_EQ(drop_packets(off.status, "ingress", "reverse_path"), 0u);
}

TEST_F(ReversePathTest, StrictDropsTheSpooferAndTheVictimKeepsFullDelivery) {
  const Outcome strict = spoof_while_victim_sends("strict", link(1).source_ipv4);
  ASSERT_EQ(strict.spoofed.sent, kSpoofedPackets);
  EXPECT_GE(drop_packets(strict.status, "ingress", "reverse_path"), kSpoofedPackets * 99 / 100)
      << "the spoofed packets arrived on link 2, but the route back to their source is link 1";
  // Only the victim's own packets reached the receiver in its name, all of them.
  EXPECT_GE(strict.victim_received, kVictimPackets * 99 / 100);
  EXPECT_LE(strict.victim_received, kVictimPackets);
  const auto victim = source_status(strict.status, link(1).source_ipv4);
  ASSERT_TRUE(victim) << strict.status.dump(2);
  EXPECT_LE(victim->at("packets").get<uint64_t>(), kVictimPackets) << victim->dump();
  EXPECT_EQ(victim->at("dropped_quota").get<uint64_t>(), 0u) << victim->dump();
  EXPECT_EQ(drop_packets(strict.status, "ingress", "quota"), 0u);
  // The spoofer's own address is routed back through its link: it passes the check.
  const SendResult own = send(link(2).source_ns, {link(2).router_ipv4, kAllowedPort, 20, 0});
  EXPECT_EQ(own.sent, 20u);
  EXPECT_EQ(counter_packets(status(), "ingress", "drop"),
            counter_packets(strict.status, "ingress", "drop"));
}

TEST_F(ReversePathTest, LooseDropsASourceWithNoRouteBack) {
  // The router has routes to its two links only: 192.0.2.0/24 (TEST-NET-1) leads nowhere.
  const Outcome loose = spoof_while_victim_sends("loose", "192.0.2.99");
  ASSERT_EQ(loose.spoofed.sent, kSpoofedPackets);
  EXPECT_GE(drop_packets(loose.status, "ingress", "reverse_path"), kSpoofedPackets * 99 / 100);
  EXPECT_FALSE(source_status(loose.status, "192.0.2.99")) << "no source state for a spoofer";
  EXPECT_GE(loose.victim_received, kVictimPackets * 99 / 100);
}

}  // namespace
}  // namespace westworld::integration

// Anti-meave: a source that floods is held to its quota while a modest source, sharing the
// router, keeps getting through.
#include <chrono>

#include "guard_test.h"

namespace westworld::integration {
namespace {

class QuotaTest : public GuardTest {};

constexpr uint32_t kQuotaPps = 200;
constexpr uint32_t kQuotaBurst = 50;
constexpr uint32_t kFloodPackets = 3000;
constexpr uint32_t kModestPackets = 100;
constexpr uint32_t kModestPps = 50;  // a quarter of the quota

TEST_F(QuotaTest, FloodingSourceIsHeldToItsQuotaWhileModestSourceGetsThrough) {
  const std::string quota =
      "{pps: " + std::to_string(kQuotaPps) + ", burst: " + std::to_string(kQuotaBurst) + "}";
  const auto policy =
      write_policy("quota.yaml", "version: 1\nanti_meave:\n  quota: " + quota + "\n");
  const VethLink& flooder = link(1);
  const VethLink& modest = link(2);
  start_agent(policy, {flooder.router_iface, modest.router_iface});

  TrafficReceiver receiver = receive(router_ns(), kAllowedPort);
  TrafficSender modest_sender = start_sending(
      modest.source_ns, {modest.router_ipv4, kAllowedPort, kModestPackets, kModestPps});
  const auto flood_start = std::chrono::steady_clock::now();
  const SendResult flood =
      send(flooder.source_ns, {flooder.router_ipv4, kAllowedPort, kFloodPackets, /*pps=*/0});
  const std::chrono::duration<double> flood_time = std::chrono::steady_clock::now() - flood_start;
  const SendResult modest_sent = modest_sender.finish();
  const Received received = receiver.finish();

  // The most a source within its quota can deliver while the flood lasted: the burst plus the
  // rate over the flood's duration (measured generously: process start to exit, plus a second
  // for packets still queued on the veth), plus a margin.
  const double quota_allowance = kQuotaBurst + kQuotaPps * (flood_time.count() + 1.0) + 50;
  ASSERT_GT(static_cast<double>(flood.sent), quota_allowance)
      << "the flood was too small to exceed the quota; nothing to measure";
  EXPECT_LE(static_cast<double>(received.from(flooder.source_ipv4)), quota_allowance)
      << "flood of " << flood.sent << " packets took " << flood_time.count() << " s";
  EXPECT_GT(received.from(flooder.source_ipv4), 0u) << "the quota is a rate, not a ban";

  ASSERT_EQ(modest_sent.sent, kModestPackets);
  EXPECT_GE(received.from(modest.source_ipv4), kModestPackets * 98 / 100);

  const json now = status();
  EXPECT_GT(drop_packets(now, "ingress", "quota"), 0u);
  const auto flooder_source = source_status(now, flooder.source_ipv4);
  const auto modest_source = source_status(now, modest.source_ipv4);
  ASSERT_TRUE(flooder_source) << now.dump(2);
  ASSERT_TRUE(modest_source) << now.dump(2);
  EXPECT_GT(flooder_source->at("dropped_quota").get<uint64_t>(), 0u);
  EXPECT_EQ(modest_source->at("dropped_quota").get<uint64_t>(), 0u);
}

}  // namespace
}  // namespace westworld::integration

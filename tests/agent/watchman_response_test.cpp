// The watchman's responses, driven in-process: an in-memory GuardView stands in for
// the agent and its maps, and a ManualClock for time, so each window is one call and
// no test waits. The root-only watchman tests drive the same code through the agent.
#include <gtest/gtest.h>

// clang-format off
#include <utility>  // before Asio: Boost 1.74 needs std::exchange declared under C++20
#include <boost/asio.hpp>
// clang-format on
#include <chrono>
#include <filesystem>
#include <map>
#include <string>

#include "memory_guard.h"
#include "westworld/agent/metrics.h"
#include "westworld/agent/policy_freeze.h"
#include "westworld/agent/watchman.h"
#include "westworld/common/clock.h"
#include "westworld/harness/pid_tag.h"

namespace westworld::agent_test {
namespace {

using namespace std::chrono_literals;

constexpr uint64_t kNsPerSecond = 1'000'000'000ULL;
constexpr uint32_t kBanSeconds = 10;
constexpr uint32_t kQuietSeconds = 3;
constexpr int kWarmupWindows = 3;
constexpr int kPersistence = 2;

const std::string kFlooder = "10.238.0.1";
const std::string kProtectedHost = "10.238.0.2";  // in the protected class `core`
const std::vector<std::string> kNormalHosts = {"10.238.0.3", "10.238.0.4", "10.238.0.5"};

// A rate jump quarantines (drop, kBanSeconds); share creep is off so only one detector speaks.
const std::string kPolicy = R"(version: 1
anti_meave:
  quota: {pps: 200000, burst: 200000}
  classes:
    - {name: core, src: [10.238.0.2/32], quota: unlimited, protected: true}
  detect:
    interval_ms: 1000
    rate_jump: {warmup_windows: 3, min_pps: 1000, persistence: 2}
    share_creep: {enabled: false}
    quarantine: {action: drop, ban_s: 10, quiet_pps: 100, quiet_s: 3}
)";

class WatchmanResponses : public ::testing::Test {
 protected:
  WatchmanResponses()
      : state_dir_(harness::make_tagged_directory("ww-watchman-unit-")),
        freeze_(state_dir_.string(), clock_),
        watchman_(io_, guard_, freeze_, metrics_, nullptr, clock_) {}
  ~WatchmanResponses() override { std::filesystem::remove_all(state_dir_); }

  // One window of `pps` per source, then the watchman's look at it.
  void window(const std::map<std::string, uint64_t>& pps) {
    for (const auto& [address, rate] : pps) guard_.send(address, rate);
    clock_.advance(1s);
    watchman_.run_window();
  }

  // Normal hosts at 200 pps each and `loud` at `loud_pps`, for `windows` windows.
  void traffic(const std::string& loud, uint64_t loud_pps, int windows) {
    for (int i = 0; i < windows; ++i) {
      std::map<std::string, uint64_t> pps{{loud, loud_pps}};
      for (const auto& host : kNormalHosts) pps[host] = 200;
      window(pps);
    }
  }

  // Warms `source`'s baseline up at 200 pps, then floods from it until the
  // detector has had the windows it needs to flag it.
  void flood_after_warmup(const std::string& source) {
    traffic(source, 200, kWarmupWindows + 2);
    traffic(source, 20000, kPersistence + 1);
  }

  std::vector<control::AlertView> alerts_about(const std::string& subject) const {
    std::vector<control::AlertView> found;
    for (const auto& alert : watchman_.alerts(100).alerts)
      if (alert.subject == subject) found.push_back(alert);
    return found;
  }

  bool responded(const std::string& action, const std::string& subject) const {
    for (const auto& r : watchman_.alerts(100).responses)
      if (r.action == action && r.subject == subject) return true;
    return false;
  }

  common::ManualClock clock_{common::UnixSeconds{std::chrono::seconds(1'700'000'000)}};
  std::filesystem::path state_dir_;
  MemoryGuard guard_{kPolicy};
  agent::PolicyFreeze freeze_;
  agent::Metrics metrics_;
  boost::asio::io_context io_;  // never run: the timer never fires, windows are driven by hand
  agent::Watchman watchman_;
};

TEST_F(WatchmanResponses, HearsOfAppliesThroughTheView) {
  EXPECT_EQ(guard_.observer(), &watchman_);
}

TEST_F(WatchmanResponses, ASourceWhoseRateJumpsIsQuarantinedThroughTheView) {
  traffic(kFlooder, 200, kWarmupWindows + 2);
  traffic(kFlooder, 20000, kPersistence - 1);
  EXPECT_EQ(guard_.quarantine_count(), 0u) << "one loud window is not yet a jump";
  traffic(kFlooder, 20000, 1);

  const auto entry = guard_.quarantine_of(kFlooder);
  ASSERT_TRUE(entry.has_value()) << "the flooder should be quarantined";
  EXPECT_EQ(guard_.quarantine_count(), 1u) << "only the flooder";
  EXPECT_EQ(entry->action, WW_QUARANTINE_DROP);
  EXPECT_EQ(entry->origin, WW_QUARANTINE_RATE_JUMP);
  EXPECT_EQ(entry->since_ns, clock_.monotonic_ns());
  EXPECT_EQ(entry->until_ns, clock_.monotonic_ns() + kBanSeconds * kNsPerSecond);

  const auto alerts = alerts_about(kFlooder);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].detector, "rate_jump");
  EXPECT_NE(alerts[0].response.find("quarantined " + kFlooder), std::string::npos)
      << alerts[0].response;
  EXPECT_TRUE(responded("quarantine", kFlooder));
  EXPECT_EQ(watchman_.summary().quarantined, 1u);
}

TEST_F(WatchmanResponses, AProtectedClassIsNeverQuarantined) {
  flood_after_warmup(kProtectedHost);
  const auto alerts = alerts_about(kProtectedHost);
  ASSERT_FALSE(alerts.empty()) << "the detector should still see the flood";
  for (const auto& alert : alerts)
    EXPECT_NE(alert.response.find("is protected (protected class 'core'"), std::string::npos)
        << alert.response;
  EXPECT_EQ(guard_.quarantine_count(), 0u);
  EXPECT_TRUE(responded("decline", kProtectedHost));
}

TEST_F(WatchmanResponses, TheRoutersOwnAddressIsNeverQuarantined) {
  guard_.add_router_address(kFlooder + "/32");
  flood_after_warmup(kFlooder);
  const auto alerts = alerts_about(kFlooder);
  ASSERT_FALSE(alerts.empty());
  for (const auto& alert : alerts)
    EXPECT_NE(alert.response.find("is protected (router address " + kFlooder), std::string::npos)
        << alert.response;
  EXPECT_EQ(guard_.quarantine_count(), 0u);

  // Nor by hand.
  control::QuarantineAddRequest request;
  request.source = kFlooder;
  const auto manual = watchman_.quarantine(request);
  ASSERT_FALSE(manual.ok());
  EXPECT_NE(manual.error().message.find("is protected"), std::string::npos);
  EXPECT_EQ(guard_.quarantine_count(), 0u);
}

TEST_F(WatchmanResponses, AQuarantineEndsAfterItsTermOnceTheSourceIsQuiet) {
  flood_after_warmup(kFlooder);
  const auto entry = guard_.quarantine_of(kFlooder);
  ASSERT_TRUE(entry.has_value());
  const uint64_t quarantined_at = entry->since_ns;

  // Quiet from now on: held for the whole ban, released at most a few windows after
  // the ban and the quiet time have both passed.
  int windows = 0;
  while (guard_.quarantine_of(kFlooder)) {
    traffic(kFlooder, 0, 1);
    ASSERT_LT(++windows, 100) << "the quarantine was never released";
  }
  const uint64_t held_ns = clock_.monotonic_ns() - quarantined_at;
  EXPECT_GE(held_ns, kBanSeconds * kNsPerSecond);
  EXPECT_LE(held_ns, (kBanSeconds + kQuietSeconds + 2) * kNsPerSecond);
  EXPECT_TRUE(responded("release", kFlooder));
  EXPECT_EQ(watchman_.summary().quarantined, 0u);
}

TEST_F(WatchmanResponses, ALoudSourceStaysQuarantinedPastItsTerm) {
  flood_after_warmup(kFlooder);
  ASSERT_TRUE(guard_.quarantine_of(kFlooder).has_value());
  traffic(kFlooder, 20000, static_cast<int>(kBanSeconds + kQuietSeconds) + 5);
  const auto entry = guard_.quarantine_of(kFlooder);
  ASSERT_TRUE(entry.has_value()) << "a source still flooding must not be released";
  EXPECT_GT(entry->until_ns, clock_.monotonic_ns()) << "its ban is extended, not left to lapse";
  EXPECT_TRUE(responded("extend", kFlooder));
  EXPECT_FALSE(responded("release", kFlooder));
}

}  // namespace
}  // namespace westworld::agent_test

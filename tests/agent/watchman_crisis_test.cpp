// Crises opened by the watchman's contained floods, driven in-process as in
// watchman_response_test.cpp (an in-memory GuardView, a ManualClock) with the real crisis board
// on a scratch quests database, wired as the agent's main.cpp wires it. A contained flood opens
// one crisis; a declined one (a protected source) opens none; a burst of alerts while it is open
// opens no second; it closes exactly 12 h after it opened.
#include <gtest/gtest.h>

// clang-format off
#include <utility>  // before Asio: Boost 1.74 needs std::exchange declared under C++20
#include <boost/asio.hpp>
// clang-format on
#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "memory_guard.h"
#include "westworld/agent/metrics.h"
#include "westworld/agent/policy_freeze.h"
#include "westworld/agent/watchman.h"
#include "westworld/common/clock.h"
#include "westworld/harness/pid_tag.h"
#include "westworld/quests/crisis_board.h"

namespace westworld::agent_test {
namespace {

using namespace std::chrono_literals;

constexpr int kWarmupWindows = 3;
constexpr int kPersistence = 2;

const std::string kFlooder = "10.238.0.1";
const std::string kSecondFlooder = "10.238.0.6";
const std::string kProtectedHost = "10.238.0.2";  // in the protected class `core`
const std::vector<std::string> kNormalHosts = {"10.238.0.3", "10.238.0.4", "10.238.0.5"};

// A rate jump quarantines (drop, 10 s); share creep is off so only one detector speaks.
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

class WatchmanCrises : public ::testing::Test {
 protected:
  WatchmanCrises()
      : state_dir_(harness::make_tagged_directory("ww-watchman-crisis-")),
        board_(state_dir_ / "quests.db", true),
        freeze_(state_dir_.string(), clock_),
        watchman_(io_, guard_, freeze_, metrics_, nullptr, clock_,
                  [this](const anomaly::Alert& alert) {
                    ++told_;
                    // As main.cpp's open_flood_crisis: the alert's own time is the opening.
                    const auto at = std::chrono::floor<std::chrono::seconds>(
                        std::chrono::sys_time<std::chrono::nanoseconds>(
                            std::chrono::nanoseconds(alert.unix_ns)));
                    board_.open(quests::CrisisKind::flood, alert.subject, alert.id, at);
                  }) {}
  ~WatchmanCrises() override { std::filesystem::remove_all(state_dir_); }

  // Normal hosts at 200 pps each and each of `loud` at its rate, for `windows` windows.
  void traffic(const std::map<std::string, uint64_t>& loud, int windows) {
    for (int i = 0; i < windows; ++i) {
      std::map<std::string, uint64_t> pps = loud;
      for (const auto& host : kNormalHosts) pps[host] = 200;
      for (const auto& [address, rate] : pps) guard_.send(address, rate);
      clock_.advance(1s);
      watchman_.run_window();
    }
  }

  // Warms `source`'s baseline up at 200 pps, then floods from it until the detector has had
  // the windows it needs to flag it.
  void flood_after_warmup(const std::string& source) {
    traffic({{source, 200}}, kWarmupWindows + 2);
    traffic({{source, 20000}}, kPersistence + 1);
  }

  std::vector<control::AlertView> alerts_about(const std::string& subject) const {
    std::vector<control::AlertView> found;
    for (const auto& alert : watchman_.alerts(100).alerts)
      if (alert.subject == subject) found.push_back(alert);
    return found;
  }

  std::vector<quests::Crisis> every_crisis() { return board_.closing_after(common::UnixSeconds{}); }

  common::ManualClock clock_{common::UnixSeconds{std::chrono::seconds(1'700'000'000)}};
  std::filesystem::path state_dir_;
  quests::CrisisBoard board_;
  MemoryGuard guard_{kPolicy};
  agent::PolicyFreeze freeze_;
  agent::Metrics metrics_;
  boost::asio::io_context io_;  // never run: the timer never fires, windows are driven by hand
  int told_ = 0;                // contained floods the watchman passed on
  agent::Watchman watchman_;
};

TEST_F(WatchmanCrises, AContainedFloodOpensACrisisThatClosesTwelveHoursLater) {
  flood_after_warmup(kFlooder);
  ASSERT_TRUE(guard_.quarantine_of(kFlooder)) << "the flooder should be quarantined";
  const auto alerts = alerts_about(kFlooder);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_TRUE(alerts[0].contained) << alerts[0].response;
  EXPECT_EQ(told_, 1);

  const std::vector<quests::Crisis> crises = every_crisis();
  ASSERT_EQ(crises.size(), 1u);
  const quests::Crisis& crisis = crises[0];
  EXPECT_EQ(crisis.kind, quests::CrisisKind::flood);
  EXPECT_EQ(crisis.subject, kFlooder);
  EXPECT_EQ(crisis.alert_id, alerts[0].id);
  EXPECT_EQ(static_cast<uint64_t>(crisis.opened_at.time_since_epoch().count()),
            alerts[0].unix_ns / 1'000'000'000ULL);

  // Open in its last second, closed at 12 h exactly, on the watchman's clock.
  clock_.set(crisis.opened_at + 12h - 1s);
  EXPECT_TRUE(board_.newest_open(quests::CrisisKind::flood, clock_.now()));
  clock_.advance(1s);
  EXPECT_EQ(clock_.now(), crisis.opened_at + 12h);
  EXPECT_FALSE(board_.newest_open(quests::CrisisKind::flood, clock_.now()));
}

TEST_F(WatchmanCrises, ADeclinedFloodOpensNoCrisis) {
  flood_after_warmup(kProtectedHost);
  const auto alerts = alerts_about(kProtectedHost);
  ASSERT_FALSE(alerts.empty()) << "the detector should still see the flood";
  for (const auto& alert : alerts) {
    EXPECT_FALSE(alert.contained) << alert.response;
    EXPECT_NE(alert.response.find("is protected"), std::string::npos) << alert.response;
  }
  EXPECT_EQ(told_, 0);
  EXPECT_TRUE(every_crisis().empty());
}

TEST_F(WatchmanCrises, FloodsWhileACrisisIsOpenOpenNoOther) {
  flood_after_warmup(kFlooder);
  ASSERT_EQ(every_crisis().size(), 1u);
  const int64_t first = every_crisis()[0].id;

  // The flooder keeps at it while a second source warms up and floods too: more contained
  // alerts, all while the crisis is open.
  traffic({{kFlooder, 20000}, {kSecondFlooder, 200}}, kWarmupWindows + 2);
  traffic({{kFlooder, 20000}, {kSecondFlooder, 20000}}, kPersistence + 1);
  ASSERT_TRUE(guard_.quarantine_of(kSecondFlooder));
  EXPECT_GE(told_, 2) << "more contained floods reached the board";

  const std::vector<quests::Crisis> crises = every_crisis();
  ASSERT_EQ(crises.size(), 1u) << "one crisis while it is open";
  EXPECT_EQ(crises[0].id, first);
  EXPECT_EQ(crises[0].subject, kFlooder);
}

}  // namespace
}  // namespace westworld::agent_test

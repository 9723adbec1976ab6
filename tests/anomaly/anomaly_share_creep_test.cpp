// Share creep: quiet on noisy shares below (and even at) the bound, fast on a
// takeover, and sure on the slow creep a rate threshold misses.
#include <gtest/gtest.h>

#include "detector_harness.h"
#include "westworld/anomaly/jump_detector.h"
#include "westworld/anomaly/share_creep_detector.h"

namespace westworld::anomaly {
namespace {

using namespace testing;

constexpr int kSeries = 100;
constexpr uint64_t kWindows = 2000;

ShareCreepDetector share_creep() {
  return ShareCreepDetector(policy::DetectSettings{}.share_creep);
}

void expect_quiet(const std::string& shape, double mean, double sigma) {
  NoiseRun run = count_false_alerts(
      share_creep, [&](uint64_t seed) { return creeping_share(mean, mean, 0, 0, sigma, seed); },
      kSeries, kWindows);
  report("share_creep false alerts on " + shape,
         std::to_string(run.alerts) + " in " + std::to_string(run.windows) + " windows");
  EXPECT_LE(run.rate(), kMaxFalseAlertsPerWindow) << shape;
}

TEST(AnomalyShareCreep, NoisySharesRaiseAtMostOneFalseAlertPer10000Windows) {
  expect_quiet("share 0.2 +- 0.05", 0.2, 0.05);
  expect_quiet("share 0.4 +- 0.08", 0.4, 0.08);
  // Sitting exactly at the bound is not a takeover: the slack absorbs it.
  expect_quiet("share 0.5 (the bound) +- 0.05", 0.5, 0.05);
}

TEST(AnomalyShareCreep, ATakeoverFiresWithinSixWindows) {
  int64_t worst = 0;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    ShareCreepDetector detector = share_creep();
    // A jump from 0.1 to 0.95 in window 101: 0.4 of evidence per window against a limit of 2.
    Series share = creeping_share(0.1, 0.95, 100, 1.0, 0.02, seed);
    const int64_t delay = detection_delay(detector, share, 101, 300);
    ASSERT_GT(delay, 0);
    worst = std::max(worst, delay);
  }
  report("share_creep worst delay on a jump to share 0.95", std::to_string(worst));
  EXPECT_LE(worst, 6);
}

TEST(AnomalyShareCreep, ASlowCreepFiresWithin120WindowsOfCrossingTheBound) {
  int64_t worst = 0;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    ShareCreepDetector detector = share_creep();
    // 0.1 -> 0.7 at 0.001 per window: the share crosses the bound 0.5 at window 500.
    Series share = creeping_share(0.1, 0.7, 100, 0.001, 0.02, seed);
    const int64_t delay = detection_delay(detector, share, 500, 1500);
    ASSERT_GT(delay, 0) << "seed " << seed;
    worst = std::max(worst, delay);
  }
  report("share_creep worst delay after a 0.001/window creep crosses the bound",
         std::to_string(worst));
  EXPECT_LE(worst, 120);
}

TEST(AnomalyShareCreep, TheSameCreepInPacketsSlipsUnderTheRateJumpDetector) {
  // The creeping source's own rate on a 10,000 pps interface: 1,000 -> 7,000 pps
  // over 600 windows. Its baseline follows, so only the share detector sees it.
  JumpDetector detector(policy::DetectSettings{}.rate_jump, "rate_jump", "packets_per_second");
  Series share = creeping_share(0.1, 0.7, 100, 0.001, 0.02, 1);
  int alerts = 0;
  for (uint64_t w = 0; w < 1500; ++w) alerts += detector.observe(10000 * share(w)).has_value();
  EXPECT_EQ(alerts, 0);
}

TEST(AnomalyShareCreep, WindowsWithoutEnoughTrafficNeitherGrowNorResetTheEvidence) {
  ShareCreepDetector detector = share_creep();
  detector.observe(0.9);
  const double evidence = detector.cusum();
  EXPECT_GT(evidence, 0);
  EXPECT_FALSE(detector.observe(std::nullopt));
  EXPECT_DOUBLE_EQ(detector.cusum(), evidence);
}

TEST(AnomalyShareCreep, TheFindingCarriesTheCusumAndItsLimit) {
  ShareCreepDetector detector = share_creep();
  std::optional<Finding> finding;
  int windows = 0;
  while (!finding && windows < 10) {
    finding = detector.observe(1.0);
    ++windows;
  }
  ASSERT_TRUE(finding);
  EXPECT_EQ(windows, 5);  // 0.45 of evidence per window against a limit of 2
  EXPECT_EQ(finding->statistic, "share_cusum");
  EXPECT_NEAR(finding->value, 2.25, 1e-9);
  EXPECT_EQ(finding->threshold, 2.0);
  EXPECT_EQ(finding->windows, 5u);
  // Flagged until the share stays below the bound, then it can fire again.
  for (int w = 0; w < 3; ++w) EXPECT_FALSE(detector.observe(0.1));
  EXPECT_FALSE(detector.flagged());
}

}  // namespace
}  // namespace westworld::anomaly

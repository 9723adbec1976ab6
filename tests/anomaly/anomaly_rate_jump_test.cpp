// Rate jump: quiet on noise, fast on steps and ramps, and unteachable while flagged.
#include <gtest/gtest.h>

#include "detector_harness.h"
#include "westworld/anomaly/jump_detector.h"

namespace westworld::anomaly {
namespace {

using namespace testing;

constexpr int kSeries = 100;
constexpr uint64_t kWindows = 2000;  // 200,000 windows per noise shape

JumpDetector rate_jump() {
  return JumpDetector(policy::DetectSettings{}.rate_jump, "rate_jump", "packets_per_second");
}

void expect_quiet(const std::string& shape, std::function<Series(uint64_t)> make_series) {
  NoiseRun run = count_false_alerts(rate_jump, make_series, kSeries, kWindows);
  report("rate_jump false alerts on " + shape,
         std::to_string(run.alerts) + " in " + std::to_string(run.windows) + " windows");
  EXPECT_LE(run.rate(), kMaxFalseAlertsPerWindow) << shape;
}

TEST(AnomalyRateJump, NoiseRaisesAtMostOneFalseAlertPer10000Windows) {
  expect_quiet("Poisson 2000 pps", [](uint64_t seed) { return poisson_noise(2000, seed); });
  expect_quiet("Gaussian 5000 pps cv 0.3",
               [](uint64_t seed) { return gaussian_noise(5000, 0.3, seed); });
  expect_quiet("log-normal bursts 3000 pps sigma 0.35",
               [](uint64_t seed) { return lognormal_noise(3000, 0.35, seed); });
  expect_quiet("diurnal swing +-50% over 1440 windows",
               [](uint64_t seed) { return diurnal_noise(4000, 0.5, 1440, 0.1, seed); });
  expect_quiet("small Poisson source, 20 pps",
               [](uint64_t seed) { return poisson_noise(20, seed); });
}

TEST(AnomalyRateJump, AStepFiresAfterExactlyThePersistenceWindows) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    JumpDetector detector = rate_jump();
    Series attack = step(poisson_noise(2000, seed), 100, 10);
    EXPECT_EQ(detection_delay(detector, attack, 100, 300), 3) << "seed " << seed;
  }
  report("rate_jump delay on a x10 step", "3 windows (the persistence)");
}

// The ramp itself needs 16 windows to reach 4x the old baseline; the baseline
// follows it by at most alpha * 3 sigma per window, so it escapes soon after.
TEST(AnomalyRateJump, ARampFiresWithinThirtyFiveWindows) {
  int64_t worst = 0;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    JumpDetector detector = rate_jump();
    // x20 over 100 windows: the baseline, clipped, cannot follow.
    Series attack = ramp(gaussian_noise(2000, 0.1, seed), 100, 200, 20);
    const int64_t delay = detection_delay(detector, attack, 100, 400);
    ASSERT_GT(delay, 0) << "seed " << seed;
    worst = std::max(worst, delay);
  }
  report("rate_jump worst delay on a x20 ramp over 100 windows", std::to_string(worst));
  EXPECT_LE(worst, 35);
}

TEST(AnomalyRateJump, SmallSourcesNeverAlertWhateverTheirRatio) {
  JumpDetector detector = rate_jump();
  Series tiny = step(poisson_noise(5, 1), 100, 50);  // 5 -> 250 pps, under min_pps
  EXPECT_EQ(detection_delay(detector, tiny, 100, 500), -1);
}

TEST(AnomalyRateJump, OneExcursionIsOneAlertAndTheBaselineStaysFrozen) {
  JumpDetector detector = rate_jump();
  Series normal = gaussian_noise(2000, 0.1, 5);
  int alerts = 0;
  for (uint64_t w = 0; w < 200; ++w) alerts += detector.observe(normal(w)).has_value();
  const double level = detector.baseline().level();
  // A long attack: the detector stays flagged and learns nothing from it.
  for (uint64_t w = 200; w < 1200; ++w) alerts += detector.observe(20 * normal(w)).has_value();
  EXPECT_EQ(alerts, 1);
  EXPECT_TRUE(detector.flagged());
  EXPECT_DOUBLE_EQ(detector.baseline().level(), level);
  // Back to normal: it clears, and the same attack fires again.
  for (uint64_t w = 1200; w < 1300; ++w) detector.observe(normal(w));
  EXPECT_FALSE(detector.flagged());
  Series again = step(normal, 1300, 20);
  EXPECT_EQ(detection_delay(detector, again, 1300, 1400), 3);
}

TEST(AnomalyRateJump, TheFindingNamesItsStatisticValueThresholdAndWindows) {
  JumpDetector detector = rate_jump();
  for (int w = 0; w < 50; ++w) detector.observe(2000);
  std::optional<Finding> finding;
  for (int w = 0; w < 3 && !finding; ++w) finding = detector.observe(50000);
  ASSERT_TRUE(finding);
  EXPECT_EQ(finding->detector, "rate_jump");
  EXPECT_EQ(finding->statistic, "packets_per_second");
  EXPECT_EQ(finding->value, 50000);
  EXPECT_EQ(finding->threshold, 8000);  // 4 x the baseline of 2000
  EXPECT_EQ(finding->windows, 3u);
  EXPECT_NE(finding->detail.find("baseline 2000"), std::string::npos) << finding->detail;
}

}  // namespace
}  // namespace westworld::anomaly

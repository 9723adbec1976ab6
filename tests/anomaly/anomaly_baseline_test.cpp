// The robust baseline: a median/MAD start, an EWMA that outliers cannot drag.
#include <gtest/gtest.h>

#include "synthetic_series.h"
#include "westworld/anomaly/robust_baseline.h"

namespace westworld::anomaly {
namespace {

using testing::gaussian_noise;

TEST(AnomalyBaseline, NotReadyUntilTheWarmupIsComplete) {
  RobustBaseline baseline({.span_windows = 10, .warmup_windows = 5});
  for (int i = 0; i < 4; ++i) baseline.learn(100);
  EXPECT_FALSE(baseline.ready());
  baseline.learn(100);
  EXPECT_TRUE(baseline.ready());
  EXPECT_DOUBLE_EQ(baseline.level(), 100);
}

TEST(AnomalyBaseline, OutliersInTheWarmupDoNotMoveTheStart) {
  RobustBaseline baseline({.span_windows = 10, .warmup_windows = 9});
  for (double v : {100.0, 102.0, 98.0, 1e9, 101.0, 99.0, 1e9, 100.0, 103.0}) baseline.learn(v);
  ASSERT_TRUE(baseline.ready());
  EXPECT_NEAR(baseline.level(), 100, 1);  // the median
  EXPECT_LT(baseline.sigma(), 10);        // the MAD, not the variance of the outliers
}

TEST(AnomalyBaseline, TracksTheLevelAndSpreadOfNoise) {
  RobustBaseline baseline({.span_windows = 60, .warmup_windows = 20});
  auto noise = gaussian_noise(5000, 0.2, 7);
  for (uint64_t w = 0; w < 5000; ++w) baseline.learn(noise(w));
  // An EWMA of span 60 is itself noisy: sigma * sqrt(alpha / (2 - alpha)) = 130 here.
  EXPECT_NEAR(baseline.level(), 5000, 400);
  EXPECT_NEAR(baseline.sigma(), 1000, 250);  // cv 0.2
}

TEST(AnomalyBaseline, OneBurstMovesTheLevelByAtMostAFewSigmas) {
  RobustBaseline baseline({.span_windows = 60, .warmup_windows = 20});
  auto noise = gaussian_noise(1000, 0.1, 3);
  for (uint64_t w = 0; w < 200; ++w) baseline.learn(noise(w));
  const double before = baseline.level();
  const double sigma = baseline.sigma();
  baseline.learn(1e9);
  EXPECT_LT(baseline.level() - before, 3 * sigma * 2.0 / 61 + 1e-9);
}

TEST(AnomalyBaseline, SpreadNeverFallsBelowItsFloors) {
  RobustBaseline baseline({.span_windows = 10, .warmup_windows = 5, .relative_floor = 0.05});
  for (int i = 0; i < 100; ++i) baseline.learn(2000);  // a perfectly flat series
  EXPECT_DOUBLE_EQ(baseline.sigma(), 100);             // 5 % of the level, not 0
  EXPECT_DOUBLE_EQ(baseline.score(2100), 1);
}

}  // namespace
}  // namespace westworld::anomaly

// Source churn: the jump detector over new sources per second.
#include <gtest/gtest.h>

#include "detector_harness.h"
#include "westworld/anomaly/jump_detector.h"

namespace westworld::anomaly {
namespace {

using namespace testing;

JumpDetector churn() {
  return JumpDetector(policy::DetectSettings{}.source_churn, "source_churn",
                      "new_sources_per_second");
}

TEST(AnomalySourceChurn, OrdinaryArrivalsRaiseAtMostOneFalseAlertPer10000Windows) {
  for (double rate : {50.0, 3000.0}) {
    NoiseRun run = count_false_alerts(
        churn, [rate](uint64_t seed) { return poisson_noise(rate, seed); }, 100, 2000);
    report(
        "source_churn false alerts at " + std::to_string(static_cast<int>(rate)) + " new sources/s",
        std::to_string(run.alerts) + " in " + std::to_string(run.windows) + " windows");
    EXPECT_LE(run.rate(), kMaxFalseAlertsPerWindow);
  }
}

TEST(AnomalySourceChurn, ASpoofedFloodFiresAfterThePersistenceWindows) {
  JumpDetector detector = churn();
  Series arrivals = step(poisson_noise(50, 1), 100, 400);  // 50 -> 20,000 new sources/s
  EXPECT_EQ(detection_delay(detector, arrivals, 100, 300), 3);
}

}  // namespace
}  // namespace westworld::anomaly

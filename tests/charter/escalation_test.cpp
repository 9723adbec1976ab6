// The escalation ladder at its exact boundaries: the 30-day window and the step count.
#include "westworld/charter/escalation.h"

#include <gtest/gtest.h>

#include <vector>

namespace westworld::charter {
namespace {

using std::chrono::days;
using std::chrono::seconds;
const common::UnixSeconds kStart{seconds(1'790'000'000)};

EscalationStep step_after(std::vector<common::UnixSeconds> earlier, common::UnixSeconds now) {
  return escalation_for(earlier, now);
}

TEST(Escalation, AFirstViolationIsAWarning) {
  EXPECT_EQ(step_after({}, kStart), EscalationStep::warning);
}

TEST(Escalation, ASecondOnDay29BlocksTelemetryButOnDay31IsAWarningAgain) {
  EXPECT_EQ(step_after({kStart}, kStart + days(29)), EscalationStep::telemetry_blocked);
  EXPECT_EQ(step_after({kStart}, kStart + days(31)), EscalationStep::warning);
  // The window's edge: a violation exactly 30 days old has left it; one second less has not.
  EXPECT_EQ(step_after({kStart}, kStart + days(30)), EscalationStep::warning);
  EXPECT_EQ(step_after({kStart}, kStart + days(30) - seconds(1)),
            EscalationStep::telemetry_blocked);
}

TEST(Escalation, AThirdQuarantinesAndMoreIsAPattern) {
  EXPECT_EQ(step_after({kStart, kStart + days(1)}, kStart + days(2)), EscalationStep::quarantined);
  EXPECT_EQ(step_after({kStart, kStart + days(1), kStart + days(2)}, kStart + days(3)),
            EscalationStep::legal_escalation);
  EXPECT_EQ(step_after({kStart, kStart, kStart, kStart, kStart}, kStart + days(1)),
            EscalationStep::legal_escalation);
  // Only what is inside the window counts: two old ones and one recent make a second.
  EXPECT_EQ(step_after({kStart, kStart + days(1), kStart + days(40)}, kStart + days(45)),
            EscalationStep::telemetry_blocked);
}

TEST(Escalation, TimesAfterNowDoNotCount) {
  EXPECT_EQ(step_after({kStart + days(1)}, kStart), EscalationStep::warning);
}

TEST(Escalation, StepNamesRoundTrip) {
  for (auto step : {EscalationStep::warning, EscalationStep::telemetry_blocked,
                    EscalationStep::quarantined, EscalationStep::legal_escalation})
    EXPECT_EQ(parse_escalation_step(to_string(step)), step);
  EXPECT_FALSE(parse_escalation_step("pardoned"));
}

}  // namespace
}  // namespace westworld::charter

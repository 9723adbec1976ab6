// Aragon OSx's integer rules at their exact boundaries: support at the threshold fails,
// participation at the minimum passes, and the minimum is a ceiling.
#include "westworld/governance/thresholds.h"

#include <gtest/gtest.h>

#include <limits>

namespace westworld::governance {
namespace {

const Thresholds kStandard = default_thresholds(ProposalKind::standard);
const Thresholds kEmergency = default_thresholds(ProposalKind::emergency);

TEST(Thresholds, TheDefaults) {
  EXPECT_EQ(kStandard.support_ppm, 500'000u);
  EXPECT_EQ(kStandard.min_participation_ppm, 150'000u);
  EXPECT_EQ(kEmergency.support_ppm, 500'000u);
  EXPECT_EQ(kEmergency.min_participation_ppm, 670'000u);
  EXPECT_EQ(default_window(ProposalKind::standard), std::chrono::hours(72));
  EXPECT_EQ(default_window(ProposalKind::emergency), std::chrono::hours(2));
}

TEST(Thresholds, SupportExactlyAtTheThresholdFails) {
  EXPECT_FALSE(support_passes(kStandard, 1, 1));  // 50% is not more than 50%
  EXPECT_TRUE(support_passes(kStandard, 2, 1));
  EXPECT_FALSE(support_passes(kStandard, 0, 0));  // nobody for it
  EXPECT_TRUE(support_passes(kStandard, 1, 0));
  const Thresholds two_thirds{666'667, 0};
  EXPECT_FALSE(support_passes(two_thirds, 2, 1));  // 66.6...% < 66.6667%
  EXPECT_TRUE(support_passes(two_thirds, 3, 1));
  const Thresholds sixty{600'000, 0};
  EXPECT_FALSE(support_passes(sixty, 3, 2));  // exactly 60%
  EXPECT_TRUE(support_passes(sixty, 301, 200));
}

TEST(Thresholds, SupportDoesNotOverflow) {
  const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
  EXPECT_FALSE(support_passes(kStandard, max, max));
  EXPECT_TRUE(support_passes(kStandard, max, max - 1));
  EXPECT_FALSE(support_passes(Thresholds{kPpm, 0}, max, 0));      // 100% can never be exceeded
  EXPECT_FALSE(support_passes(Thresholds{kPpm + 1, 0}, max, 0));  // nor more than 100%
}

TEST(Thresholds, ParticipationExactlyAtTheMinimumPasses) {
  EXPECT_EQ(min_participation(kStandard, 20), 3u);  // 15% of 20 is exactly 3
  EXPECT_TRUE(participation_passes(kStandard, 3, 0, 0, 20));
  EXPECT_TRUE(participation_passes(kStandard, 0, 1, 2, 20));  // no and abstain participate
  EXPECT_FALSE(participation_passes(kStandard, 1, 1, 0, 20));
}

TEST(Thresholds, TheMinimumIsACeiling) {
  EXPECT_EQ(min_participation(kStandard, 7), 2u);  // 1.05 rounds up
  EXPECT_FALSE(participation_passes(kStandard, 1, 0, 0, 7));
  EXPECT_TRUE(participation_passes(kStandard, 1, 1, 0, 7));
  EXPECT_EQ(min_participation(kStandard, 1), 1u);
  EXPECT_EQ(min_participation(kStandard, 0), 0u);
  const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
  EXPECT_EQ(min_participation(Thresholds{0, kPpm}, max), max);  // no overflow
}

TEST(Thresholds, TheEmergencyQuorumIsSixtySevenPercent) {
  EXPECT_EQ(min_participation(kEmergency, 100), 67u);
  EXPECT_FALSE(participation_passes(kEmergency, 66, 0, 0, 100));
  EXPECT_TRUE(participation_passes(kEmergency, 60, 5, 2, 100));
  EXPECT_EQ(min_participation(kEmergency, 3), 3u);  // 2.01 rounds up: all three of three
  EXPECT_FALSE(participation_passes(kEmergency, 2, 0, 0, 3));
  EXPECT_EQ(min_participation(kEmergency, 6), 5u);  // 4.02 -> 5
  // The same votes meet the standard quorum.
  EXPECT_TRUE(participation_passes(kStandard, 2, 0, 0, 3));
}

}  // namespace
}  // namespace westworld::governance

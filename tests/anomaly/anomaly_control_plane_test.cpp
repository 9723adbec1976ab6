// Control-plane bursts: apply rate with an injected clock, and mass verdict changes.
#include <gtest/gtest.h>

#include "westworld/anomaly/control_plane.h"

namespace westworld::anomaly {
namespace {

constexpr uint64_t kSecond = 1'000'000'000ULL;

TEST(AnomalyControlPlane, TenAppliesAMinuteAreFineTheEleventhFires) {
  ApplyBurstDetector detector(policy::ControlPlaneSettings{});
  for (uint64_t i = 0; i < 10; ++i) EXPECT_FALSE(detector.observe(i * kSecond));
  std::optional<Finding> finding = detector.observe(10 * kSecond);
  ASSERT_TRUE(finding);
  EXPECT_EQ(finding->statistic, "policy_applies_per_minute");
  EXPECT_EQ(finding->value, 11);
  EXPECT_EQ(finding->threshold, 11);
  // One alert per burst, not one per apply.
  EXPECT_FALSE(detector.observe(11 * kSecond));
}

TEST(AnomalyControlPlane, AppliesSpreadOverMinutesNeverFire) {
  ApplyBurstDetector detector(policy::ControlPlaneSettings{});
  for (uint64_t i = 0; i < 1000; ++i) EXPECT_FALSE(detector.observe(i * 7 * kSecond));
}

TEST(AnomalyControlPlane, ABurstAfterAQuietMinuteFiresAgain) {
  ApplyBurstDetector detector(policy::ControlPlaneSettings{.max_applies_per_minute = 2});
  detector.observe(0);
  detector.observe(1);
  EXPECT_TRUE(detector.observe(2));
  EXPECT_FALSE(detector.observe(61 * kSecond));
  detector.observe(62 * kSecond);
  EXPECT_TRUE(detector.observe(63 * kSecond));
}

PolicyVerdicts verdicts(std::vector<RuleVerdict> rules, bool default_drops,
                        uint64_t default_packets = 0) {
  return {std::move(rules), default_drops, default_packets};
}

TEST(AnomalyControlPlane, VerdictChangesAreComparedByRuleNameWithTheDefaultAsARule) {
  PolicyVerdicts before =
      verdicts({{"a", false, 100}, {"b", true, 10}, {"c", false, 0}}, false, 90);
  // a flips to deny, b is unchanged, c is removed (the new default passes it: unchanged),
  // d is new and denies where the old default passed.
  PolicyVerdicts after = verdicts({{"a", true}, {"b", true}, {"d", true}}, false);
  VerdictChange change = compare_verdicts(before, after);
  EXPECT_EQ(change.rules_compared, 5u);  // a, b, c, d and the default
  EXPECT_EQ(change.rules_changed, 2u);   // a, d
  EXPECT_EQ(change.packets_compared, 200u);
  EXPECT_EQ(change.packets_changed, 100u);  // a's traffic
}

TEST(AnomalyControlPlane, AnApplyFlippingMostRulesFires) {
  MassChangeDetector detector(policy::ControlPlaneSettings{});
  PolicyVerdicts before = verdicts({{"a", false}, {"b", false}, {"c", false}}, false);
  PolicyVerdicts half = verdicts({{"a", true}, {"b", true}, {"c", false}}, false);  // 2 of 4
  EXPECT_FALSE(detector.observe(compare_verdicts(before, half)));
  PolicyVerdicts most = verdicts({{"a", true}, {"b", true}, {"c", true}}, false);  // 3 of 4
  std::optional<Finding> finding = detector.observe(compare_verdicts(before, most));
  ASSERT_TRUE(finding);
  EXPECT_EQ(finding->statistic, "changed_rule_fraction");
  EXPECT_DOUBLE_EQ(finding->value, 0.75);
  EXPECT_DOUBLE_EQ(finding->threshold, 0.5);
}

TEST(AnomalyControlPlane, AnApplyFlippingMostTrafficFiresThoughFewRulesChange) {
  MassChangeDetector detector(policy::ControlPlaneSettings{});
  PolicyVerdicts before = verdicts(
      {{"bulk", false, 9000}, {"b", false, 1}, {"c", false, 1}, {"d", false, 1}}, false, 999);
  PolicyVerdicts after =
      verdicts({{"bulk", true}, {"b", false}, {"c", false}, {"d", false}}, false);
  std::optional<Finding> finding = detector.observe(compare_verdicts(before, after));
  ASSERT_TRUE(finding);
  EXPECT_EQ(finding->statistic, "changed_traffic_fraction");
  EXPECT_NEAR(finding->value, 0.9, 0.001);
}

TEST(AnomalyControlPlane, FlippingTheDefaultOfARulelessPolicyFires) {
  MassChangeDetector detector(policy::ControlPlaneSettings{});
  EXPECT_TRUE(detector.observe(compare_verdicts(verdicts({}, false), verdicts({}, true))));
  EXPECT_FALSE(detector.observe(compare_verdicts(verdicts({}, false), verdicts({}, false))));
}

}  // namespace
}  // namespace westworld::anomaly

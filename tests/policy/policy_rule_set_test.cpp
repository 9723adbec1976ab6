#include <gtest/gtest.h>

#include "westworld/policy/rule_set.h"

namespace westworld::policy {
namespace {

TEST(PolicyRuleSet, SizesInWholeWords) {
  EXPECT_EQ(RuleSet(0).words().size(), 0u);
  EXPECT_EQ(RuleSet(1).words().size(), 1u);
  EXPECT_EQ(RuleSet(64).words().size(), 1u);
  EXPECT_EQ(RuleSet(65).words().size(), 2u);
}

TEST(PolicyRuleSet, SetsTestsAndResets) {
  RuleSet rules(130);
  rules.set(0);
  rules.set(64);
  rules.set(129);
  EXPECT_TRUE(rules.test(64));
  EXPECT_FALSE(rules.test(63));
  EXPECT_EQ(rules.indices(), (std::vector<uint32_t>{0, 64, 129}));
  rules.reset(0);
  EXPECT_EQ(rules.first(), 64u);
  EXPECT_EQ(RuleSet(130).first(), std::nullopt);
}

TEST(PolicyRuleSet, CombinesSets) {
  RuleSet a(100);
  RuleSet b(100);
  a.set(3);
  a.set(70);
  b.set(70);
  b.set(99);
  RuleSet both = a;
  both &= b;
  EXPECT_EQ(both.indices(), (std::vector<uint32_t>{70}));
  RuleSet either = a;
  either |= b;
  EXPECT_EQ(either.indices(), (std::vector<uint32_t>{3, 70, 99}));
}

}  // namespace
}  // namespace westworld::policy

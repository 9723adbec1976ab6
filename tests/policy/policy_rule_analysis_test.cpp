// The shadowed-rule analysis does bounded work on hostile policies: one YAML-anchored CIDR
// list reused by every rule once took O(rules^2 x CIDRs^2) (a 45 KB policy: 21 s). Work
// is counted in steps (pairs compared, entries looked up), never timed.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "policy_test_util.h"
#include "rule_analysis.h"
#include "westworld/policy/diagnostic_sink.h"

namespace westworld::policy {
namespace {

std::string address(size_t i) {
  return "10." + std::to_string(i / 65536) + "." + std::to_string(i / 256 % 256) + "." +
         std::to_string(i % 256) + "/32";
}

// Rule 0 anchors a list of `cidrs` sources; rules 1.. reuse it, each to its own
// destination, so no rule shadows another and every pair must be compared.
std::string anchored_policy(size_t rules, size_t cidrs) {
  std::string list;
  for (size_t i = 0; i < cidrs; ++i) list += (i ? ", " : "") + address(i);
  std::string yaml = "version: 1\ncharter:\n  flows:\n    - {name: r0, action: deny, src: &all [" +
                     list + "], dst: [192.168.0.0/32]}\n";
  for (size_t i = 1; i < rules; ++i) {
    yaml += "    - {name: r" + std::to_string(i) + ", action: deny, src: *all, dst: [192.168." +
            std::to_string(i / 256) + "." + std::to_string(i % 256) + "/32]}\n";
  }
  return yaml;
}

struct Analysed {
  ShadowAnalysis analysis;
  std::vector<Diagnostic> warnings;
};

Analysed analyse(const std::vector<FlowRule>& rules, size_t budget = kShadowAnalysisBudget) {
  DiagnosticSink sink("p.yaml");
  Analysed out;
  out.analysis = warn_about_unreachable_rules(rules, sink, budget);
  out.warnings = sink.take_in_file_order();
  return out;
}

// Pairs of rules, each compared with one lookup of its single destination.
size_t pairwise_bound(size_t rules) { return rules * (rules - 1); }

void expect_bounded(size_t target_bytes, size_t rules, size_t cidrs) {
  const std::string yaml = anchored_policy(rules, cidrs);
  ASSERT_GE(yaml.size(), target_bytes);
  ASSERT_LT(yaml.size(), target_bytes + 5000);
  const Policy policy = testing::load_clean(yaml);
  ASSERT_EQ(policy.flows.size(), rules);
  const Analysed result = analyse(policy.flows);
  EXPECT_TRUE(result.analysis.complete);
  EXPECT_TRUE(result.warnings.empty());
  // The shared list compares as one object: CIDRs add nothing, quadratic or otherwise.
  EXPECT_LE(result.analysis.work, pairwise_bound(rules));
  EXPECT_GE(result.analysis.work, rules * (rules - 1) / 2) << "every pair is compared once";
}

TEST(PolicyRuleAnalysis, Anchored45KbPolicyDoesPairwiseWorkOnly) {
  expect_bounded(45000, 400, 1300);
}

TEST(PolicyRuleAnalysis, Anchored83KbPolicyDoesPairwiseWorkOnly) {
  expect_bounded(83000, 1000, 1000);
}

TEST(PolicyRuleAnalysis, WorkDoesNotGrowWithTheSharedListsLength) {
  const Policy few = testing::load_clean(anchored_policy(300, 10));
  const Policy many = testing::load_clean(anchored_policy(300, 3000));
  EXPECT_EQ(analyse(few.flows).analysis.work, analyse(many.flows).analysis.work);
}

TEST(PolicyRuleAnalysis, DistinctListsAreSearchedNotScanned) {
  // Rule 1's 3000 sources lie inside rule 0's 3000 (one /8 among them): each is found
  // by a binary search, 3000 lookups rather than 3000 x 3000 comparisons.
  std::vector<FlowRule> rules(2);
  rules[0].name = "wide";
  rules[0].where = {4, 7};
  rules[1].name = "narrow";
  rules[1].where = {5, 7};
  for (size_t i = 0; i < 3000; ++i) {
    rules[0].src.push_back(
        testing::cidr("11." + std::to_string(i / 256) + "." + std::to_string(i % 256) + ".0/24"));
    rules[1].src.push_back(testing::cidr(address(i)));
  }
  rules[0].src.push_back(testing::cidr("10.0.0.0/8"));
  const Analysed result = analyse(rules);
  ASSERT_EQ(result.warnings.size(), 1u);
  EXPECT_EQ(result.warnings[0].format(),
            "p.yaml:5:7: warning: rule 'narrow' is shadowed by rule 'wide' (line 4), which "
            "matches every packet it would match");
  EXPECT_LE(result.analysis.work, 1u + 3000u);
}

TEST(PolicyRuleAnalysis, IdenticalRulesAreFoundWithoutASearch) {
  // Every rule after the first is rule 0 again: shadowed by it, at no pairwise cost.
  std::string yaml = "version: 1\ncharter:\n  flows:\n";
  for (int i = 0; i < 2000; ++i) {
    yaml += "    - {name: r" + std::to_string(i) +
            ", action: deny, proto: udp, src: [10.0.0.0/8], dst_ports: [53]}\n";
  }
  const Policy policy = [&] {
    LoadResult loaded = load_policy_text(yaml, "p.yaml");
    EXPECT_EQ(loaded.diagnostics.size(), 1999u);
    return loaded.policy.value_or(Policy{});
  }();
  const Analysed result = analyse(policy.flows);
  EXPECT_EQ(result.warnings.size(), 1999u);
  EXPECT_EQ(result.warnings.back().format(),
            "p.yaml:2003:7: warning: rule 'r1999' is shadowed by rule 'r0' (line 4), which "
            "matches every packet it would match");
  EXPECT_EQ(result.analysis.work, 0u);
}

TEST(PolicyRuleAnalysis, StopsAtItsBudgetWithOneWarning) {
  const Policy policy = testing::load_clean(anchored_policy(100, 5));
  const Analysed result = analyse(policy.flows, 1000);
  EXPECT_FALSE(result.analysis.complete);
  EXPECT_EQ(result.analysis.work, 1001u);  // the step past the budget ends it
  ASSERT_EQ(result.warnings.size(), 1u);
  // A pair costs two steps (the pair, one lookup of the destination): rules 0-31 take
  // 31 * 32 = 992, and rule 32 (line 36) runs out after comparing four earlier rules.
  EXPECT_EQ(result.warnings[0].format(),
            "p.yaml:36:7: warning: the search for shadowed rules stopped here after 1000 "
            "steps; this rule and those after it were not checked");
}

TEST(PolicyRuleAnalysis, DefaultBudgetCoversTenThousandUnrelatedRules) {
  // policy_scale_test's shape: rules told apart by their port bounds, one step a pair.
  std::vector<FlowRule> rules(10000);
  for (size_t i = 0; i < rules.size(); ++i) {
    rules[i].protocol = Protocol::tcp;
    rules[i].dst_ports = {
        PortRange{static_cast<uint16_t>(1000 + i), static_cast<uint16_t>(1000 + i)}};
  }
  const Analysed result = analyse(rules);
  EXPECT_TRUE(result.analysis.complete);
  EXPECT_EQ(result.analysis.work, rules.size() * (rules.size() - 1) / 2);
}

}  // namespace
}  // namespace westworld::policy

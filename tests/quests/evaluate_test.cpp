// Evaluation fails closed: a step is met only by fresh evidence about the claiming node that
// holds a value for every criterion and meets each; the clock is a ManualClock.
#include "westworld/quests/evaluate.h"

#include <gtest/gtest.h>

namespace westworld::quests {
namespace {

using namespace std::chrono_literals;

const common::UnixSeconds kNow{std::chrono::seconds(1'800'000'000)};

Criterion criterion(CriterionKind kind, CompareOp op, int64_t threshold) {
  return Criterion{kind, op, threshold, {}};
}

// "peers >= 3", "uptime >= 7d", "runs_latest_approved_policy == true".
Step node_step() {
  Step step;
  step.id = "connect";
  step.criteria = {criterion(CriterionKind::peers, CompareOp::ge, 3),
                   criterion(CriterionKind::uptime, CompareOp::ge, 7 * 86'400'000),
                   criterion(CriterionKind::runs_latest_approved_policy, CompareOp::eq, 1)};
  step.reward.points = 10;
  return step;
}

Evidence good_evidence() {
  Evidence evidence;
  evidence.node_id = "n1";
  evidence.observed_at = kNow - 10min;
  evidence.peers = 4;
  evidence.uptime = std::chrono::days(8);
  evidence.runs_latest_approved_policy = true;
  return evidence;
}

class Evaluate : public ::testing::Test {
 protected:
  common::ManualClock clock{kNow};
};

TEST_F(Evaluate, MetWhenEveryCriterionHolds) {
  const StepEvaluation result = evaluate(node_step(), good_evidence(), "n1", clock);
  EXPECT_EQ(result.outcome, Outcome::met) << result.reason;
  ASSERT_EQ(result.criteria.size(), 3u);
  for (const CriterionResult& c : result.criteria) EXPECT_EQ(c.outcome, Outcome::met) << c.reason;
  EXPECT_EQ(result.criteria[1].reason, "uptime is 8d, meets >= 7d");
}

TEST_F(Evaluate, NotMetSaysWhy) {
  Evidence evidence = good_evidence();
  evidence.peers = 2;
  const StepEvaluation result = evaluate(node_step(), evidence, "n1", clock);
  EXPECT_EQ(result.outcome, Outcome::not_met);
  EXPECT_EQ(result.criteria[0].outcome, Outcome::not_met);
  EXPECT_NE(result.reason.find("peers is 2, needs >= 3"), std::string::npos) << result.reason;
  evidence = good_evidence();
  evidence.runs_latest_approved_policy = false;
  EXPECT_EQ(evaluate(node_step(), evidence, "n1", clock).outcome, Outcome::not_met);
}

TEST_F(Evaluate, UpperBoundsCompare) {
  Step step;
  step.id = "fast";
  step.criteria = {criterion(CriterionKind::mttr, CompareOp::le, 30'000)};
  Evidence evidence = good_evidence();
  evidence.mttr = 29s;
  EXPECT_EQ(evaluate(step, evidence, "n1", clock).outcome, Outcome::met);
  evidence.mttr = 31s;
  EXPECT_EQ(evaluate(step, evidence, "n1", clock).outcome, Outcome::not_met);
}

TEST_F(Evaluate, MissingEvidenceIsNeverMet) {
  Evidence evidence = good_evidence();
  evidence.runs_latest_approved_policy.reset();
  StepEvaluation result = evaluate(node_step(), evidence, "n1", clock);
  EXPECT_EQ(result.outcome, Outcome::missing_evidence);
  EXPECT_EQ(result.criteria[2].outcome, Outcome::missing_evidence);
  EXPECT_NE(result.reason.find("no evidence of runs_latest_approved_policy"), std::string::npos);
  // Missing outweighs a definite miss elsewhere: the judgement is incomplete.
  evidence.peers = 0;
  EXPECT_EQ(evaluate(node_step(), evidence, "n1", clock).outcome, Outcome::missing_evidence);
  // An empty Evidence is never read as zeros that might meet a `<=` criterion.
  Step step;
  step.id = "fast";
  step.criteria = {criterion(CriterionKind::mttr, CompareOp::le, 30'000)};
  Evidence empty;
  empty.node_id = "n1";
  empty.observed_at = kNow;
  EXPECT_EQ(evaluate(step, empty, "n1", clock).outcome, Outcome::missing_evidence);
}

TEST_F(Evaluate, StaleEvidenceIsRefused) {
  Evidence evidence = good_evidence();
  evidence.observed_at = kNow - 2h;
  StepEvaluation result = evaluate(node_step(), evidence, "n1", clock);
  EXPECT_EQ(result.outcome, Outcome::missing_evidence);
  EXPECT_TRUE(result.criteria.empty());
  EXPECT_NE(result.reason.find("stale"), std::string::npos) << result.reason;
  // The same evidence was fresh an hour and a half earlier: the clock decides, not the test.
  clock.set(kNow - 90min);
  EXPECT_EQ(evaluate(node_step(), evidence, "n1", clock).outcome, Outcome::met);
  // A narrower window refuses it again.
  EXPECT_EQ(evaluate(node_step(), evidence, "n1", clock, Freshness{10min, 5min}).outcome,
            Outcome::missing_evidence);
}

TEST_F(Evaluate, EvidenceFromTheFutureIsRefused) {
  Evidence evidence = good_evidence();
  evidence.observed_at = kNow + 1h;
  const StepEvaluation result = evaluate(node_step(), evidence, "n1", clock);
  EXPECT_EQ(result.outcome, Outcome::missing_evidence);
  EXPECT_NE(result.reason.find("future"), std::string::npos);
  evidence.observed_at = kNow + 1min;  // within the skew allowed between nodes' clocks
  EXPECT_EQ(evaluate(node_step(), evidence, "n1", clock).outcome, Outcome::met);
}

TEST_F(Evaluate, EvidenceForAnotherNodeIsRefused) {
  const StepEvaluation result = evaluate(node_step(), good_evidence(), "n2", clock);
  EXPECT_EQ(result.outcome, Outcome::missing_evidence);
  EXPECT_TRUE(result.criteria.empty());
  EXPECT_NE(result.reason.find("one node cannot claim for another"), std::string::npos);
}

TEST_F(Evaluate, StepWithoutCriteriaIsNeverMet) {
  Step step;
  step.id = "empty";
  EXPECT_EQ(evaluate(step, good_evidence(), "n1", clock).outcome, Outcome::missing_evidence);
}

TEST(Catalogue, EveryEntryIsReadFromEvidence) {
  // A catalogue entry with no Evidence field would be a criterion that can never be met; a
  // fully populated Evidence must give each one a value.
  Evidence full;
  full.uptime = 1s;
  full.continuous_enforcement = 1s;
  full.peers = 1;
  full.links = 1;
  full.runs_latest_approved_policy = true;
  full.votes_cast = 1;
  full.twin_experiments_run = 1;
  full.twin_experiments_passed = 1;
  full.guardian_share_verified = true;
  full.flood_contained = 1;
  full.mttr = 1s;
  full.twin_experiments_in_crisis = 1;
  for (const CatalogueEntry& entry : catalogue()) {
    EXPECT_TRUE(evidence_value(full, entry.kind).has_value()) << entry.name;
    EXPECT_FALSE(evidence_value(Evidence{}, entry.kind).has_value()) << entry.name;
    EXPECT_EQ(find_criterion(entry.name), &entry);
    EXPECT_FALSE(entry.evidence.empty());
  }
  EXPECT_EQ(find_criterion("karma"), nullptr);
}

}  // namespace
}  // namespace westworld::quests

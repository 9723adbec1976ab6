// The shipped crisis quest, contain-a-flood, claimed as `wwctl quest claim` claims it: refused
// while no flood crisis is open on the node, granted inside one with met evidence (once per
// crisis), refused once the crisis has closed 12 hours after it opened.
#include <gtest/gtest.h>

#include "scratch_dir.h"
#include "westworld/quests/activation.h"
#include "westworld/quests/claim.h"
#include "westworld/quests/quest_loader.h"

namespace westworld::quests {
namespace {

using namespace std::chrono_literals;

const common::UnixSeconds kFlood{std::chrono::seconds(1'800'000'000)};

class CrisisClaimTest : public ::testing::Test {
 protected:
  void SetUp() override {
    QuestLoad load = load_quest_file(std::string(WW_QUESTS_DIR) + "/contain-a-flood.yaml");
    ASSERT_TRUE(load.quest) << (load.diagnostics.empty() ? "" : load.diagnostics[0].format());
    quest_ = std::move(*load.quest);
  }

  // Met evidence for contain-a-flood, observed now by n1.
  Evidence met() const {
    Evidence evidence;
    evidence.node_id = "n1";
    evidence.observed_at = clock_.now();
    evidence.flood_contained = 1;
    evidence.continuous_enforcement = 2h;
    return evidence;
  }

  // The claim as wwctl makes it: the quest's activation on this node now, then the decision.
  ClaimDecision claim_now() {
    const ActivationLookup found = activation_of(quest_, &board_, clock_.now());
    if (!found.activation) return refused_claim(found.why_not);
    return decide_claim(quest_, "contain", met(), "n1", found.activation->at, clock_);
  }

  harness::ScratchDir scratch_{"ww-crisis-claim"};
  CrisisBoard board_{scratch_ / "quests.db", true};
  common::ManualClock clock_{kFlood - 1h};
  Quest quest_;
};

TEST_F(CrisisClaimTest, RefusedBeforeAnyCrisis) {
  const ClaimDecision before = claim_now();
  EXPECT_FALSE(before.claim);
  EXPECT_EQ(before.evaluation.reason, "no open flood crisis on this node");
  EXPECT_FALSE(activation_of(quest_, nullptr, clock_.now()).activation)
      << "no quests database: no crisis either";
}

TEST_F(CrisisClaimTest, GrantedInsideTheCrisisAndRefusedOnceItCloses) {
  board_.open(CrisisKind::flood, "10.0.0.7", 3, kFlood);
  clock_.set(kFlood + 1h);
  const ClaimDecision inside = claim_now();
  ASSERT_TRUE(inside.claim) << inside.evaluation.reason;
  EXPECT_EQ(inside.claim->quest, "contain-a-flood");
  EXPECT_EQ(inside.claim->period, kFlood.time_since_epoch().count()) << "keyed by its crisis";
  EXPECT_EQ(inside.claim->reward.points, 60u);

  clock_.set(kFlood + 12h - 1s);
  EXPECT_TRUE(claim_now().claim) << "still open in its last second";

  clock_.set(kFlood + 12h);
  const ClaimDecision after = claim_now();
  EXPECT_FALSE(after.claim);
  EXPECT_EQ(after.evaluation.reason, "no open flood crisis on this node");
  // Dated by the crisis that closed, the quest itself has expired too.
  const ClaimDecision late = decide_claim(quest_, "contain", met(), "n1", kFlood, clock_);
  EXPECT_FALSE(late.claim);
  EXPECT_NE(late.evaluation.reason.find("expired"), std::string::npos) << late.evaluation.reason;
}

TEST_F(CrisisClaimTest, EachCrisisIsClaimedOnce) {
  board_.open(CrisisKind::flood, "10.0.0.7", 3, kFlood);
  clock_.set(kFlood + 1h);
  const auto first = claim_now().claim;
  ASSERT_TRUE(first);
  clock_.set(kFlood + 2h);
  const auto again = claim_now().claim;
  ASSERT_TRUE(again);
  EXPECT_EQ(again->period, first->period) << "the same crisis: the ledger grants it once";

  const common::UnixSeconds next = kFlood + 20h;
  board_.open(CrisisKind::flood, "10.0.0.9", 8, next);
  clock_.set(next + 1h);
  const auto second = claim_now().claim;
  ASSERT_TRUE(second);
  EXPECT_EQ(second->period, next.time_since_epoch().count()) << "a new crisis, a new period";
}

TEST_F(CrisisClaimTest, UnmetEvidenceInsideACrisisIsNotGranted) {
  board_.open(CrisisKind::flood, "10.0.0.7", 3, kFlood);
  clock_.set(kFlood + 1h);
  Evidence none = met();
  none.flood_contained = 0;
  const ClaimDecision decision =
      decide_claim(quest_, "contain", none, "n1",
                   activation_of(quest_, &board_, clock_.now()).activation->at, clock_);
  EXPECT_FALSE(decision.claim);
  EXPECT_EQ(decision.evaluation.outcome, Outcome::not_met);
}

}  // namespace
}  // namespace westworld::quests

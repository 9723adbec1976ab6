// decide_claim(): only an open quest, a step it has, and met evidence become a Claim, keyed by
// the period that holds now; the decision then grants once in the ledger.
#include "westworld/quests/claim.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "westworld/quests/quest_loader.h"

namespace westworld::quests {
namespace {

using namespace std::chrono_literals;

const common::UnixSeconds kNow{std::chrono::seconds(1'800'000'000)};

Quest load_quest(const std::string& extra) {
  QuestLoad load = load_quest_text(
      "version: 1\n"
      "id: contain-a-flood\n"
      "title: Contain a flood\n"
      "category: crisis_helper\n" +
          extra +
          "steps:\n"
          "  - id: contain\n"
          "    title: Contain it\n"
          "    criteria: [flood_contained >= 1]\n"
          "    reward: {points: 60, badge: crisis-helper}\n",
      "quest.yaml");
  EXPECT_TRUE(load.quest) << (load.diagnostics.empty() ? "" : load.diagnostics[0].format());
  return load.quest.value_or(Quest{});
}

Evidence contained(common::UnixSeconds at) {
  Evidence evidence;
  evidence.node_id = "n1";
  evidence.observed_at = at;
  evidence.flood_contained = 1;
  return evidence;
}

TEST(DecideClaim, MetEvidenceOnAnOpenQuestBecomesAClaim) {
  const Quest quest = load_quest("repeat: 1d\n");
  common::ManualClock clock(kNow);
  const ClaimDecision decision = decide_claim(quest, "contain", contained(kNow), "n1", kNow, clock);
  ASSERT_TRUE(decision.claim) << decision.evaluation.reason;
  EXPECT_EQ(decision.claim->quest, "contain-a-flood");
  EXPECT_EQ(decision.claim->category, Category::crisis_helper);
  EXPECT_EQ(decision.claim->node, "n1");
  EXPECT_EQ(decision.claim->step, "contain");
  EXPECT_EQ(decision.claim->period, kNow.time_since_epoch().count() / 86400);
  EXPECT_EQ(decision.claim->reward.points, 60u);
  EXPECT_EQ(decision.claim->reward.badge, "crisis-helper");
}

TEST(DecideClaim, NothingToClaimWithoutMetEvidence) {
  const Quest quest = load_quest("");
  common::ManualClock clock(kNow);
  Evidence none = contained(kNow);
  none.flood_contained = 0;
  EXPECT_FALSE(decide_claim(quest, "contain", none, "n1", kNow, clock).claim);
  none.flood_contained.reset();
  EXPECT_FALSE(decide_claim(quest, "contain", none, "n1", kNow, clock).claim);
  EXPECT_FALSE(decide_claim(quest, "contain", contained(kNow), "n2", kNow, clock).claim);
  EXPECT_FALSE(decide_claim(quest, "contain", contained(kNow - 3h), "n1", kNow, clock).claim);
  const ClaimDecision unknown = decide_claim(quest, "other", contained(kNow), "n1", kNow, clock);
  EXPECT_FALSE(unknown.claim);
  EXPECT_NE(unknown.evaluation.reason.find("no step 'other'"), std::string::npos);
}

TEST(DecideClaim, CrisisQuestExpiresTwelveHoursAfterActivation) {
  const Quest quest = load_quest("opens_on: flood\nexpires: 12h\n");
  const common::UnixSeconds activated = kNow;
  common::ManualClock clock(activated + 11h);
  EXPECT_TRUE(decide_claim(quest, "contain", contained(clock.now()), "n1", activated, clock).claim);
  clock.advance(1h);
  const ClaimDecision late =
      decide_claim(quest, "contain", contained(clock.now()), "n1", activated, clock);
  EXPECT_FALSE(late.claim);
  EXPECT_NE(late.evaluation.reason.find("expired"), std::string::npos);
  clock.set(activated - 1h);
  EXPECT_FALSE(
      decide_claim(quest, "contain", contained(clock.now()), "n1", activated, clock).claim);
}

TEST(DecideClaim, ADecisionGrantsOnceInTheLedger) {
  const Quest quest = load_quest("");
  common::ManualClock clock(kNow);
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("ww-claim-" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(path);
  {
    Ledger ledger(path, true, clock);
    for (int attempt = 0; attempt < 3; ++attempt) {
      const ClaimDecision decision =
          decide_claim(quest, "contain", contained(clock.now()), "n1", kNow, clock);
      ASSERT_TRUE(decision.claim);
      EXPECT_EQ(ledger.claim(*decision.claim).granted, attempt == 0);
      clock.advance(1min);
    }
    EXPECT_EQ(ledger.balance("n1"), 60);
    EXPECT_EQ(ledger.awards("n1").size(), 1u);
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
}

}  // namespace
}  // namespace westworld::quests

// A campaign on a real ledger file: a node completes a quest only with a grant for every step
// (in any period), stage rewards are double-entry claims granted once however often they are
// claimed, and the campaign's leaderboard reconciles with the ledger's entries.
#include "westworld/quests/campaign_ledger.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>

namespace westworld::quests {
namespace {

Quest quest_of(std::string id, std::vector<std::string> steps) {
  Quest quest;
  quest.id = std::move(id);
  quest.title = quest.id;
  for (std::string& step : steps)
    quest.steps.push_back(Step{std::move(step), "Step", {Criterion{}}, Reward{1, "", ""}});
  return quest;
}

class CampaignLedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("ww-campaign-ledger-" + std::to_string(::getpid()) + "-" + test->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    ledger_.emplace(dir_ / "ledger.db", true, clock_);
    // Stage one: quest a (two steps) by two nodes; stage two: quest b by one node.
    campaign_.id = "grow";
    campaign_.title = "Grow";
    campaign_.stages.push_back({"one", "One", {"a"}, 2, Reward{100, "founder", ""}});
    campaign_.stages.push_back({"two", "Two", {"b"}, 1, Reward{500, "", ""}});
  }
  void TearDown() override {
    ledger_.reset();
    std::filesystem::remove_all(dir_);
  }

  // A quest step granted as wwctl quest claim would, `points` to `node`.
  void grant(const std::string& quest, const std::string& node, const std::string& step,
             uint64_t points, int64_t period = 0) {
    ASSERT_TRUE(
        ledger_->claim({quest, Category::mesh_builder, node, step, period, {points, "", ""}})
            .granted);
  }
  // Quest a, both steps, to `node`: 10 + 20 points.
  void complete_a(const std::string& node) {
    grant("a", node, "s1", 10);
    grant("a", node, "s2", 20);
  }

  std::filesystem::path dir_;
  common::ManualClock clock_{common::UnixSeconds(std::chrono::seconds(1'800'000'000))};
  std::optional<Ledger> ledger_;
  Campaign campaign_;
  const std::vector<Quest> quests_ = {quest_of("a", {"s1", "s2"}), quest_of("b", {"s"})};
};

TEST_F(CampaignLedgerTest, AQuestIsCompletedByAGrantForEveryStepInAnyPeriod) {
  grant("a", "n1", "s1", 10, 0);
  grant("a", "n1", "s2", 20, 7);  // a later period of a repeating quest still counts
  grant("a", "n2", "s1", 10);     // one step of two
  grant("a", "n3", "s1", 10);
  grant("a", "n3", "retired", 10);  // a step the quest file no longer has makes up for none
  grant("b", "n2", "s1", 10);       // quest b has no step s1
  EXPECT_EQ(ledger_->nodes_completing(quests_[0]), std::vector<std::string>{"n1"});
  EXPECT_TRUE(ledger_->nodes_completing(quests_[1]).empty());

  const CompletedQuests completed = campaign_completions(*ledger_, campaign_, quests_);
  EXPECT_EQ(completed, (CompletedQuests{{"n1", {"a"}}}));
}

TEST_F(CampaignLedgerTest, NoStageRewardBeforeTheStageCompletes) {
  complete_a("n1");
  grant("a", "n2", "s1", 10);
  EXPECT_TRUE(grant_stage_rewards(*ledger_, campaign_, quests_).empty());
  EXPECT_EQ(ledger_->balance("n1"), 30);
  for (const HistoryItem& item : ledger_->history("n1")) EXPECT_EQ(item.quest, "a");
}

TEST_F(CampaignLedgerTest, AStageRewardIsGrantedOnceEvenWhenClaimedTwice) {
  complete_a("n1");
  complete_a("n2");
  const std::vector<StageGrant> first = grant_stage_rewards(*ledger_, campaign_, quests_);
  ASSERT_EQ(first.size(), 2u);
  for (const StageGrant& grant : first) {
    EXPECT_TRUE(grant.result.granted) << grant.claim.node;
    EXPECT_EQ(grant.claim.quest, "campaign/grow");
    EXPECT_EQ(grant.claim.step, "one");
    // Double entry, like any claim: the mint's debit and the node's credit.
    const std::vector<Entry> entries = ledger_->entries(grant.result.transaction);
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[0].account, kMintAccount);
    EXPECT_EQ(entries[0].amount, -100);
    EXPECT_EQ(entries[1].account, grant.claim.node);
    EXPECT_EQ(entries[1].amount, 100);
  }

  const std::vector<StageGrant> again = grant_stage_rewards(*ledger_, campaign_, quests_);
  ASSERT_EQ(again.size(), 2u);
  for (size_t i = 0; i < again.size(); ++i) {
    EXPECT_FALSE(again[i].result.granted) << again[i].claim.node;
    EXPECT_EQ(again[i].result.transaction, first[i].result.transaction);
  }
  EXPECT_EQ(ledger_->balance("n1"), 30 + 100);
  EXPECT_EQ(ledger_->balance("n2"), 30 + 100);
  EXPECT_EQ(ledger_->balance(kMintAccount), -2 * (30 + 100));
  EXPECT_TRUE(ledger_->verify().empty());
  const std::vector<Award> awards = ledger_->awards("n1");
  ASSERT_EQ(awards.size(), 1u);
  EXPECT_EQ(awards[0].name, "founder");
  EXPECT_EQ(awards[0].quest, "campaign/grow");

  // Stage two needs quest b on top of stage one: n1 does it; only its new reward is granted.
  grant("b", "n1", "s", 5);
  const std::vector<StageGrant> third = grant_stage_rewards(*ledger_, campaign_, quests_);
  ASSERT_EQ(third.size(), 3u);
  EXPECT_FALSE(third[0].result.granted);
  EXPECT_FALSE(third[1].result.granted);
  EXPECT_TRUE(third[2].result.granted);
  EXPECT_EQ(third[2].claim.step, "two");
  EXPECT_EQ(ledger_->balance("n1"), 30 + 100 + 5 + 500);
}

TEST_F(CampaignLedgerTest, TheCampaignLeaderboardReconcilesWithTheEntries) {
  complete_a("n1");
  complete_a("n2");
  grant("b", "n2", "s", 5);
  grant("other", "n1", "x", 1000);  // not the campaign's: left out of its leaderboard
  ASSERT_EQ(grant_stage_rewards(*ledger_, campaign_, quests_).size(), 3u);

  const std::vector<std::string> keys = leaderboard_quests(campaign_);
  const std::vector<Standing> board = ledger_->leaderboard_of_quests(keys);
  ASSERT_EQ(board.size(), 2u);
  EXPECT_EQ(board[0].node, "n2");
  EXPECT_EQ(board[0].points, 30 + 5 + 100 + 500);
  EXPECT_EQ(board[1].node, "n1");
  EXPECT_EQ(board[1].points, 30 + 100);

  // The same totals summed straight from each node's entries of the campaign's transactions.
  std::map<std::string, int64_t> from_entries;
  int64_t minted = 0;
  for (const std::string node : {"n1", "n2"}) {
    for (const HistoryItem& item : ledger_->history(node)) {
      if (std::find(keys.begin(), keys.end(), item.quest) == keys.end()) continue;
      for (const Entry& entry : ledger_->entries(item.transaction)) {
        if (entry.account == kMintAccount)
          minted -= entry.amount;
        else
          from_entries[entry.account] += entry.amount;
      }
    }
  }
  int64_t board_total = 0;
  for (const Standing& standing : board) {
    EXPECT_EQ(standing.points, from_entries[standing.node]) << standing.node;
    board_total += standing.points;
  }
  EXPECT_EQ(board_total, minted) << "every point on the board was minted once";
  EXPECT_TRUE(ledger_->verify().empty());
}

}  // namespace
}  // namespace westworld::quests

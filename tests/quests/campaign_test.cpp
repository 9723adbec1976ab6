// Campaign progress and owed stage rewards as pure functions of who completed what: a stage
// completes when enough nodes completed its quests, not before (too few nodes, a quest
// missing), and not out of order (a later stage's quests done without an earlier stage's).
#include "westworld/quests/campaign.h"

#include <gtest/gtest.h>

namespace westworld::quests {
namespace {

// Stage one: quest a by 2 nodes; stage two: quests b and c by 1 node (fewer, on purpose: it
// still waits for stage one).
Campaign two_stages() {
  Campaign campaign;
  campaign.id = "grow";
  campaign.title = "Grow";
  campaign.category = Category::experimenter;
  campaign.stages.push_back({"one", "Stage one", {"a"}, 2, Reward{10, "first", ""}});
  campaign.stages.push_back({"two", "Stage two", {"b", "c"}, 1, Reward{50, "", ""}});
  return campaign;
}

std::vector<std::string> nodes_of(const std::vector<StageProgress>& progress, size_t stage) {
  return progress.at(stage).nodes;
}

TEST(Campaign, AStageCompletesWhenEnoughNodesCompleteItsQuests) {
  const Campaign campaign = two_stages();
  CompletedQuests completed = {{"n1", {"a"}}};
  auto progress = campaign_progress(campaign, completed);
  ASSERT_EQ(progress.size(), 2u);
  EXPECT_EQ(nodes_of(progress, 0), std::vector<std::string>{"n1"});
  EXPECT_FALSE(progress[0].complete) << "one node of the two needed";
  EXPECT_TRUE(owed_stage_rewards(campaign, completed).empty());

  completed["n2"] = {"a"};
  progress = campaign_progress(campaign, completed);
  EXPECT_EQ(nodes_of(progress, 0), (std::vector<std::string>{"n1", "n2"}));
  EXPECT_TRUE(progress[0].complete);
  EXPECT_FALSE(progress[1].complete);

  const std::vector<Claim> owed = owed_stage_rewards(campaign, completed);
  ASSERT_EQ(owed.size(), 2u);
  for (const Claim& claim : owed) {
    EXPECT_EQ(claim.quest, "campaign/grow");
    EXPECT_EQ(claim.step, "one");
    EXPECT_EQ(claim.period, 0);
    EXPECT_EQ(claim.category, Category::experimenter);
    EXPECT_EQ(claim.reward.points, 10u);
    EXPECT_EQ(claim.reward.badge, "first");
  }
  EXPECT_EQ(owed[0].node, "n1");
  EXPECT_EQ(owed[1].node, "n2");
}

TEST(Campaign, NotBeforeEveryQuestOfTheStage) {
  const Campaign campaign = two_stages();
  const CompletedQuests completed = {{"n1", {"a", "b"}}, {"n2", {"a"}}};
  const auto progress = campaign_progress(campaign, completed);
  EXPECT_TRUE(progress[0].complete);
  EXPECT_TRUE(nodes_of(progress, 1).empty()) << "n1 has b but not c";
  EXPECT_FALSE(progress[1].complete);
  for (const Claim& claim : owed_stage_rewards(campaign, completed)) EXPECT_EQ(claim.step, "one");
}

TEST(Campaign, NotOutOfOrder) {
  const Campaign campaign = two_stages();
  // n1 did stage two's quests but not stage one's: it reached no stage.
  CompletedQuests completed = {{"n1", {"b", "c"}}};
  EXPECT_EQ(stages_reached(campaign, completed["n1"]), 0u);
  auto progress = campaign_progress(campaign, completed);
  EXPECT_TRUE(nodes_of(progress, 1).empty());
  EXPECT_FALSE(progress[1].complete);

  // n1 reached both stages, and stage two needs only one node, but stage one is not complete
  // across the mesh (one node of two): stage two waits for it.
  completed = {{"n1", {"a", "b", "c"}}};
  progress = campaign_progress(campaign, completed);
  EXPECT_EQ(nodes_of(progress, 1), std::vector<std::string>{"n1"});
  EXPECT_FALSE(progress[0].complete);
  EXPECT_FALSE(progress[1].complete);
  EXPECT_TRUE(owed_stage_rewards(campaign, completed).empty());

  completed["n2"] = {"a"};
  progress = campaign_progress(campaign, completed);
  EXPECT_TRUE(progress[1].complete);
  const std::vector<Claim> owed = owed_stage_rewards(campaign, completed);
  ASSERT_EQ(owed.size(), 3u);  // stage one to n1 and n2, stage two to n1 only
  EXPECT_EQ(owed[2].step, "two");
  EXPECT_EQ(owed[2].node, "n1");
  EXPECT_EQ(owed[2].reward.points, 50u);
}

TEST(Campaign, ANodesOwnProgressNamesItsNextQuest) {
  const Campaign campaign = two_stages();
  NodeStageProgress own = node_stage_progress(campaign, {});
  EXPECT_EQ(own.stages_reached, 0u);
  EXPECT_EQ(own.next_stage, 0u);
  EXPECT_EQ(own.quests_left, std::vector<std::string>{"a"});

  own = node_stage_progress(campaign, {"a", "c"});
  EXPECT_EQ(own.stages_reached, 1u);
  EXPECT_EQ(own.next_stage, 1u);
  EXPECT_EQ(own.quests_left, std::vector<std::string>{"b"});

  own = node_stage_progress(campaign, {"a", "b", "c"});
  EXPECT_EQ(own.stages_reached, 2u);
  EXPECT_FALSE(own.next_stage.has_value());
  EXPECT_TRUE(own.quests_left.empty());
}

TEST(Campaign, LedgerKeysAndLeaderboardQuests) {
  Campaign campaign = two_stages();
  campaign.stages.push_back({"three", "Again", {"c", "a"}, 3, Reward{1, "", ""}});
  EXPECT_EQ(required_quests(campaign), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(leaderboard_quests(campaign),
            (std::vector<std::string>{"a", "b", "c", "campaign/grow"}));
  campaign.category.reset();
  EXPECT_EQ(reward_category(campaign), Category::mesh_builder);
}

}  // namespace
}  // namespace westworld::quests

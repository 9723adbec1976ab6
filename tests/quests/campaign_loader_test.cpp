// The campaign loader: a full file loads with every field right, every error class is reported
// alone at its exact line and column with nothing returned, stages may name only loaded quests,
// and the shipped campaigns load against the shipped quests. Inline YAML in block style, so
// columns can be counted by eye.
#include "westworld/quests/campaign_loader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "diagnostic_matchers.h"
#include "westworld/quests/quest_loader.h"

namespace westworld::quests {
namespace {

using harness::all_of;

Quest quest_with_one_step(std::string id) {
  Quest quest;
  quest.id = std::move(id);
  quest.title = "Quest " + quest.id;
  quest.steps.push_back(Step{"s", "Step", {Criterion{}}, Reward{1, "", ""}});
  return quest;
}

const std::vector<Quest> kQuests = {quest_with_one_step("a"), quest_with_one_step("b"),
                                    quest_with_one_step("c")};

CampaignLoad load(const std::string& yaml) {
  return load_campaign_text(yaml, "campaign.yaml", kQuests);
}

::testing::AssertionResult only_error(const CampaignLoad& result, int line, int column,
                                      std::initializer_list<std::string_view> parts) {
  return harness::only_error(result.campaign.has_value(), result.diagnostics, line, column, parts);
}

// Lines 1-5: the campaign's head, up to `stages:`.
const std::string kHead =
    "version: 1\n"
    "id: camp\n"
    "title: A campaign\n"
    "category: mesh_builder\n"
    "stages:\n";

// Lines 6-11: one stage whose quests (line 8, the list at column 13) and node count (line 9,
// column 12) are given.
std::string with_stage(const std::string& quests, const std::string& nodes) {
  return kHead +
         "  - id: s1\n"
         "    title: Stage one\n"
         "    quests: " +
         quests +
         "\n"
         "    nodes: " +
         nodes +
         "\n"
         "    reward:\n"
         "      points: 10\n";
}

TEST(CampaignLoader, LoadsEveryField) {
  const CampaignLoad result =
      load(with_stage("[a, b]", "2") +
           "  - {id: s2, title: Stage two, quests: [c], nodes: 5, reward: {points: 50, "
           "badge: steward, role: elder}}\n");
  ASSERT_TRUE(result.campaign) << all_of(result.diagnostics);
  EXPECT_TRUE(result.diagnostics.empty()) << all_of(result.diagnostics);
  const Campaign& campaign = *result.campaign;
  EXPECT_EQ(campaign.id, "camp");
  EXPECT_EQ(campaign.title, "A campaign");
  EXPECT_EQ(campaign.category, Category::mesh_builder);
  ASSERT_EQ(campaign.stages.size(), 2u);
  EXPECT_EQ(campaign.stages[0].id, "s1");
  EXPECT_EQ(campaign.stages[0].title, "Stage one");
  EXPECT_EQ(campaign.stages[0].quests, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(campaign.stages[0].nodes, 2u);
  EXPECT_EQ(campaign.stages[0].reward.points, 10u);
  EXPECT_EQ(campaign.stages[1].nodes, 5u);
  EXPECT_EQ(campaign.stages[1].reward.badge, "steward");
  EXPECT_EQ(campaign.stages[1].reward.role, "elder");
}

TEST(CampaignLoader, CategoryIsOptional) {
  const CampaignLoad result = load(
      "version: 1\nid: camp\ntitle: T\n"
      "stages: [{id: s, title: S, quests: [a], nodes: 1, reward: {points: 1}}]\n");
  ASSERT_TRUE(result.campaign) << all_of(result.diagnostics);
  EXPECT_FALSE(result.campaign->category.has_value());
  EXPECT_EQ(reward_category(*result.campaign), Category::mesh_builder);
}

TEST(CampaignLoader, UnknownQuestIdIsALoadError) {
  EXPECT_TRUE(
      only_error(load(with_stage("[a, zzz]", "1")), 8, 17, {"unknown quest 'zzz'", "a, b, c"}));
  // Against an empty quest set, every quest is unknown.
  const CampaignLoad none = load_campaign_text(with_stage("[a]", "1"), "campaign.yaml", {});
  EXPECT_TRUE(harness::only_error(none.campaign.has_value(), none.diagnostics, 8, 14,
                                  {"unknown quest 'a'", "none"}));
}

TEST(CampaignLoader, QuestListedTwiceInAStage) {
  EXPECT_TRUE(only_error(load(with_stage("[a, b, a]", "1")), 8, 20,
                         {"quest 'a' is listed twice", "line 8"}));
}

TEST(CampaignLoader, EmptyQuestList) {
  EXPECT_TRUE(only_error(load(with_stage("[]", "1")), 8, 13, {"at least one quest"}));
}

TEST(CampaignLoader, ZeroOrBadNodeCount) {
  EXPECT_TRUE(only_error(load(with_stage("[a]", "0")), 9, 12, {"nodes must be between 1"}));
  EXPECT_TRUE(only_error(load(with_stage("[a]", "-3")), 9, 12, {"nodes must be between 1"}));
  EXPECT_TRUE(only_error(load(with_stage("[a]", "many")), 9, 12, {"nodes must be an integer"}));
}

TEST(CampaignLoader, DuplicateStageId) {
  EXPECT_TRUE(
      only_error(load(with_stage("[a]", "1") +
                      "  - {id: s1, title: Again, quests: [b], nodes: 1, reward: {points: 1}}\n"),
                 12, 10, {"duplicate stage id 's1'", "line 6"}));
}

TEST(CampaignLoader, UnknownAndMissingFields) {
  EXPECT_TRUE(only_error(load(with_stage("[a]", "1") + "bonus: 5\n"), 12, 1, {"bonus"}));
  EXPECT_TRUE(only_error(load(kHead + "  - id: s1\n"
                                      "    title: Stage one\n"
                                      "    quests: [a]\n"
                                      "    deadline: 2026-12-31\n"
                                      "    nodes: 1\n"
                                      "    reward: {points: 1}\n"),
                         9, 5, {"deadline"}));
  EXPECT_TRUE(only_error(load(kHead + "  - id: s1\n"
                                      "    title: Stage one\n"
                                      "    quests: [a]\n"
                                      "    reward: {points: 1}\n"),
                         6, 5, {"stage is missing required field 'nodes'"}));
  EXPECT_TRUE(only_error(load("version: 1\nid: camp\n"
                              "stages: [{id: s, title: S, quests: [a], nodes: 1, "
                              "reward: {points: 1}}]\n"),
                         1, 1, {"missing required field 'title'"}));
}

TEST(CampaignLoader, StagesAndRewards) {
  EXPECT_TRUE(
      only_error(load(kHead.substr(0, kHead.size() - 1) + " []\n"), 5, 9, {"at least one stage"}));
  EXPECT_TRUE(only_error(load(kHead + "  - {id: s1, title: S, quests: [a], nodes: 1, "
                                      "reward: {}}\n"),
                         6, 55, {"at least one of points"}));
  EXPECT_TRUE(only_error(load(kHead + "  - {id: s1, title: S, quests: [a], nodes: 1, "
                                      "reward: {tokens: 5}}\n"),
                         6, 56, {"tokens"}));
}

TEST(CampaignLoader, CategoryVersionAndDocument) {
  EXPECT_TRUE(only_error(load("version: 1\nid: camp\ntitle: T\ncategory: farming\n"
                              "stages: [{id: s, title: S, quests: [a], nodes: 1, "
                              "reward: {points: 1}}]\n"),
                         4, 11, {"unknown category 'farming'"}));
  EXPECT_TRUE(only_error(load("version: 2\nid: camp\ntitle: T\n"
                              "stages: [{id: s, title: S, quests: [a], nodes: 1, "
                              "reward: {points: 1}}]\n"),
                         1, 10, {"unsupported campaign version '2'"}));
  EXPECT_TRUE(only_error(load(""), 1, 1, {"the campaign is empty"}));
}

TEST(CampaignLoader, DiagnosticsNameTheFile) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("ww-campaign-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::filesystem::path file = dir / "bad.yaml";
  std::ofstream(file) << with_stage("[a, zzz]", "1");
  const CampaignSetLoad set = load_campaign_directory(dir.string(), kQuests);
  std::filesystem::remove_all(dir);
  EXPECT_TRUE(set.campaigns.empty());
  ASSERT_EQ(set.diagnostics.size(), 1u) << all_of(set.diagnostics);
  EXPECT_EQ(set.diagnostics[0].format().substr(0, file.string().size() + 7),
            file.string() + ":8:17: ");
}

TEST(CampaignLoader, DuplicateCampaignIdsAcrossFiles) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("ww-campaigns-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "a.yaml") << with_stage("[a]", "1");
  std::ofstream(dir / "b.yaml") << with_stage("[b]", "1");
  const CampaignSetLoad set = load_campaign_directory(dir.string(), kQuests);
  std::filesystem::remove_all(dir);
  ASSERT_EQ(set.campaigns.size(), 1u);
  EXPECT_EQ(set.campaigns[0].stages[0].quests, std::vector<std::string>{"a"});
  ASSERT_EQ(set.diagnostics.size(), 1u) << all_of(set.diagnostics);
  EXPECT_NE(set.diagnostics[0].message.find("duplicate campaign id 'camp'"), std::string::npos);
}

TEST(CampaignLoader, ShippedCampaignsLoadAgainstTheShippedQuests) {
  const QuestSetLoad quests = load_quest_directory(WW_QUESTS_DIR);
  ASSERT_TRUE(quests.diagnostics.empty()) << all_of(quests.diagnostics);
  const CampaignSetLoad set = load_campaign_directory(WW_CAMPAIGNS_DIR, quests.quests);
  EXPECT_TRUE(set.diagnostics.empty()) << all_of(set.diagnostics);
  auto shipped = std::find_if(set.campaigns.begin(), set.campaigns.end(),
                              [](const Campaign& c) { return c.id == "grow-the-mesh"; });
  ASSERT_NE(shipped, set.campaigns.end());
  EXPECT_GE(shipped->stages.size(), 2u);
  for (const Campaign& campaign : set.campaigns) {
    for (const std::string& id : required_quests(campaign)) {
      // A crisis quest opens only with a crisis: requiring one would stall the stage.
      auto quest = std::find_if(quests.quests.begin(), quests.quests.end(),
                                [&](const Quest& q) { return q.id == id; });
      ASSERT_NE(quest, quests.quests.end()) << id;
      EXPECT_FALSE(quest->opens_on.has_value())
          << campaign.id << " requires the crisis quest " << id;
    }
  }
}

}  // namespace
}  // namespace westworld::quests

// wwctl quest campaigns|campaign|campaign-claim and leaderboard --campaign through the built
// binary: the shipped campaign lists and shows, progress across the mesh is read from the
// ledger (filled here through the library, as quest claims would), stage rewards are granted
// once however often campaign-claim runs, and the campaign's leaderboard counts only its own
// quests and stage rewards. Bad files and ids fail with exit 2 naming them.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "westworld/harness/command.h"
#include "westworld/harness/pid_tag.h"
#include "westworld/quests/ledger.h"

namespace westworld::quests {
namespace {

namespace fs = std::filesystem;
using harness::CommandResult;

// Stage built: build-a-node by two nodes; stage voted: vote on top, by one node.
constexpr const char* kDuoCampaign =
    "version: 1\n"
    "id: duo\n"
    "title: Two nodes\n"
    "stages:\n"
    "  - {id: built, title: Built, quests: [build-a-node], nodes: 2, reward: {points: 7}}\n"
    "  - {id: voted, title: Voted, quests: [vote], nodes: 1, reward: {points: 11}}\n";

class QuestCampaignCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = harness::make_tagged_directory("wwcampaigncli");
    fs::create_directories(campaigns_dir());
    std::ofstream(campaigns_dir() / "duo.yaml") << kDuoCampaign;
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  CommandResult wwctl(std::vector<std::string> args) {
    const std::vector<std::string> common = {
        WW_WWCTL, "--control", (dir_ / "no-agent.sock").string(), "--data-dir", dir_.string()};
    args.insert(args.begin(), common.begin(), common.end());
    return harness::run_command(args, std::chrono::seconds(30));
  }
  // A quest subcommand reading `campaigns` and the shipped quests.
  CommandResult quest(std::vector<std::string> args, const fs::path& campaigns) {
    args.insert(args.begin(), "quest");
    for (const std::string& extra : {std::string("--campaigns"), campaigns.string(),
                                     std::string("--dir"), std::string(WW_QUESTS_DIR)})
      args.push_back(extra);
    return wwctl(std::move(args));
  }
  CommandResult duo(std::vector<std::string> args) {
    return quest(std::move(args), campaigns_dir());
  }

  fs::path campaigns_dir() const { return dir_ / "campaigns"; }

  // n1 and n2 build a node (both steps); n1 votes; n3 does one step of build-a-node and a quest
  // outside the campaign.
  void fill_ledger() {
    common::ManualClock clock(common::UnixSeconds{std::chrono::seconds(1'800'000'000)});
    Ledger ledger(dir_ / "quests.db", true, clock);
    for (const char* node : {"n1", "n2"}) {
      ledger.claim({"build-a-node", Category::mesh_builder, node, "enforce", 0, {50, "", ""}});
      ledger.claim(
          {"build-a-node", Category::mesh_builder, node, "connect", 0, {100, "node-builder", ""}});
    }
    ledger.claim({"vote", Category::governance_active, "n1", "first-vote", 0, {10, "voter", ""}});
    ledger.claim({"build-a-node", Category::mesh_builder, "n3", "enforce", 0, {50, "", ""}});
    ledger.claim({"run-an-experiment", Category::experimenter, "n3", "run", 0, {30, "", ""}});
  }

  fs::path dir_;
};

TEST_F(QuestCampaignCli, ListsAndShowsTheShippedCampaign) {
  const CommandResult list = quest({"campaigns"}, WW_CAMPAIGNS_DIR);
  ASSERT_TRUE(list.ok()) << list.describe();
  EXPECT_NE(list.out.find("grow-the-mesh"), std::string::npos) << list.out;

  const CommandResult show = quest({"campaign", "grow-the-mesh", "--json"}, WW_CAMPAIGNS_DIR);
  ASSERT_TRUE(show.ok()) << show.describe();
  const auto progress = nlohmann::json::parse(show.out);
  ASSERT_FALSE(progress["stages"].empty()) << show.out;
  for (const auto& stage : progress["stages"]) {
    EXPECT_EQ(stage["nodes_reached"], 0) << "no ledger: nobody completed anything";
    EXPECT_EQ(stage["complete"], false);
    EXPECT_GE(stage["nodes_needed"].get<int>(), 1);
  }

  const CommandResult unknown = quest({"campaign", "no-such-campaign"}, WW_CAMPAIGNS_DIR);
  EXPECT_EQ(unknown.exit_status, 2) << unknown.describe();
  EXPECT_NE(unknown.err.find("no campaign 'no-such-campaign'"), std::string::npos) << unknown.err;
  EXPECT_NE(unknown.err.find("grow-the-mesh"), std::string::npos) << unknown.err;
}

TEST_F(QuestCampaignCli, ABadCampaignFileIsNamedWithItsLineAndColumn) {
  const fs::path bad = campaigns_dir() / "bad.yaml";
  std::ofstream(bad) << "version: 1\nid: bad\ntitle: Bad\nstages:\n"
                        "  - {id: s, title: S, quests: [farm-points], nodes: 1, "
                        "reward: {points: 1}}\n";
  const CommandResult list = duo({"campaigns"});
  EXPECT_EQ(list.exit_status, 2) << list.describe();
  EXPECT_NE(list.err.find(bad.string() + ":5:32: error: unknown quest 'farm-points'"),
            std::string::npos)
      << list.err;
  EXPECT_NE(list.err.find("wwctl: error: the campaigns in " + campaigns_dir().string()),
            std::string::npos)
      << list.err;

  const CommandResult missing = quest({"campaigns"}, dir_ / "absent");
  EXPECT_EQ(missing.exit_status, 2) << missing.describe();
  EXPECT_NE(missing.err.find((dir_ / "absent").string()), std::string::npos) << missing.err;
}

TEST_F(QuestCampaignCli, NothingIsOwedBeforeAStageCompletes) {
  const CommandResult claim = duo({"campaign-claim", "duo"});
  EXPECT_EQ(claim.exit_status, 1) << claim.describe();
  EXPECT_NE(claim.err.find("no stage of duo is complete"), std::string::npos) << claim.err;
  EXPECT_FALSE(fs::exists(dir_ / "quests.db")) << "nothing to record";
}

TEST_F(QuestCampaignCli, ProgressClaimTwiceAndTheCampaignLeaderboard) {
  fill_ledger();
  const CommandResult show = duo({"campaign", "duo", "--json", "--node", "n3"});
  ASSERT_TRUE(show.ok()) << show.describe();
  const auto progress = nlohmann::json::parse(show.out);
  ASSERT_EQ(progress["stages"].size(), 2u) << show.out;
  EXPECT_EQ(progress["stages"][0]["nodes"], nlohmann::json({"n1", "n2"})) << show.out;
  EXPECT_EQ(progress["stages"][0]["complete"], true);
  EXPECT_EQ(progress["stages"][1]["nodes"], nlohmann::json({"n1"}));
  EXPECT_EQ(progress["stages"][1]["complete"], true);
  EXPECT_EQ(progress["node"]["stages_reached"], 0) << "n3 did one step of build-a-node's two";
  EXPECT_EQ(progress["node"]["next_stage"], "built");
  EXPECT_EQ(progress["node"]["next_quest"], "build-a-node");

  const CommandResult text = duo({"campaign", "duo", "--node", "n1"});
  ASSERT_TRUE(text.ok()) << text.describe();
  EXPECT_NE(text.out.find("2 of 2 needed, complete"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("node n1: 2 of 2 stages reached"), std::string::npos) << text.out;

  const CommandResult first = duo({"campaign-claim", "duo"});
  ASSERT_TRUE(first.ok()) << first.describe();
  EXPECT_NE(first.out.find("campaign/duo/voted: granted to n1: 11 points"), std::string::npos)
      << first.out;
  EXPECT_NE(first.out.find("3 granted now, 0 granted before"), std::string::npos) << first.out;

  const CommandResult again = duo({"campaign-claim", "duo"});
  ASSERT_TRUE(again.ok()) << again.describe();
  EXPECT_EQ(again.out.find(": granted to"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("0 granted now, 3 granted before"), std::string::npos) << again.out;

  const CommandResult board = duo({"leaderboard", "--campaign", "duo", "--json"});
  ASSERT_TRUE(board.ok()) << board.describe();
  const auto standings = nlohmann::json::parse(board.out);
  ASSERT_EQ(standings.size(), 3u) << board.out;
  EXPECT_EQ(standings[0]["node"], "n1");
  EXPECT_EQ(standings[0]["points"], 150 + 10 + 7 + 11);
  EXPECT_EQ(standings[1]["node"], "n2");
  EXPECT_EQ(standings[1]["points"], 150 + 7);
  EXPECT_EQ(standings[2]["node"], "n3");
  EXPECT_EQ(standings[2]["points"], 50) << "run-an-experiment is not the campaign's";

  const CommandResult reconciles = wwctl({"quest", "ledger", "--node", "n1", "--verify"});
  ASSERT_TRUE(reconciles.ok()) << reconciles.describe();
  EXPECT_NE(reconciles.out.find("campaign/duo/built"), std::string::npos) << reconciles.out;
  EXPECT_NE(reconciles.out.find("reconciles"), std::string::npos) << reconciles.out;

  const CommandResult both =
      duo({"leaderboard", "--campaign", "duo", "--category", "mesh_builder"});
  EXPECT_EQ(both.exit_status, 2) << both.describe();
  EXPECT_NE(both.err.find("not both"), std::string::npos) << both.err;
}

}  // namespace
}  // namespace westworld::quests

// wwctl quest through the built binary, without an agent: the quests, the ledger's views
// (filled here through the library, as claims would), verification catching a tampered entry,
// and progress and claim failing cleanly (exit 2, naming the socket) when no agent runs.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "westworld/audit/sqlite.h"
#include "westworld/harness/command.h"
#include "westworld/harness/pid_tag.h"
#include "westworld/harness/tool_paths.h"
#include "westworld/quests/crisis_board.h"
#include "westworld/quests/ledger.h"

namespace westworld::quests {
namespace {

namespace fs = std::filesystem;
using harness::CommandResult;

class QuestCli : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = harness::make_tagged_directory("wwquestcli"); }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  CommandResult wwctl(std::vector<std::string> args) {
    const std::vector<std::string> common = {WW_WWCTL,      "--control", socket(), "--data-dir",
                                             dir_.string(), "--timeout", "2"};
    args.insert(args.begin(), common.begin(), common.end());
    return harness::run_command(args, std::chrono::seconds(30));
  }
  // The quest commands that read quest files, pointed at the shipped ones.
  CommandResult quest(std::vector<std::string> args) {
    args.insert(args.begin(), "quest");
    args.push_back("--dir");
    args.push_back(WW_QUESTS_DIR);
    return wwctl(std::move(args));
  }
  std::string socket() const { return (dir_ / "no-agent.sock").string(); }
  fs::path ledger_file() const { return dir_ / "quests.db"; }

  void fill_ledger() {
    common::ManualClock clock(common::UnixSeconds{std::chrono::seconds(1'800'000'000)});
    Ledger ledger(ledger_file(), true, clock);
    ledger.claim({"build-a-node", Category::mesh_builder, "n1", "linked", 0, {10, "builder", ""}});
    ledger.claim({"run-an-experiment", Category::experimenter, "n2", "run", 0, {30, "", ""}});
    ledger.claim({"vote", Category::governance_active, "n1", "cast", 0, {5, "", "voter"}});
  }

  fs::path dir_;
};

TEST_F(QuestCli, ListsAndShowsTheShippedQuests) {
  const CommandResult list = quest({"list"});
  ASSERT_TRUE(list.ok()) << list.describe();
  EXPECT_NE(list.out.find("keep-it-up"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("contain-a-flood"), std::string::npos) << list.out;

  const CommandResult show = quest({"show", "keep-it-up"});
  ASSERT_TRUE(show.ok()) << show.describe();
  EXPECT_NE(show.out.find("continuous_enforcement >= 7d"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("20 points"), std::string::npos) << show.out;

  const CommandResult unknown = quest({"show", "no-such-quest"});
  EXPECT_EQ(unknown.exit_status, 2) << unknown.describe();
  EXPECT_NE(unknown.err.find("no quest 'no-such-quest'"), std::string::npos) << unknown.err;

  const CommandResult no_dir = wwctl({"quest", "list", "--dir", (dir_ / "missing").string()});
  EXPECT_EQ(no_dir.exit_status, 2) << no_dir.describe();
  EXPECT_NE(no_dir.err.find((dir_ / "missing").string()), std::string::npos) << no_dir.err;
}

TEST_F(QuestCli, ProgressAndClaimNeedTheAgentAndSaySo) {
  const CommandResult progress = quest({"progress", "--node", "n1"});
  EXPECT_EQ(progress.exit_status, 2) << progress.describe();
  EXPECT_NE(progress.err.find(socket()), std::string::npos) << progress.err;

  const fs::path key = dir_ / "node.key";
  const CommandResult keygen = wwctl({"peer", "keygen", key.string(), "--peer", "n1"});
  ASSERT_TRUE(keygen.ok()) << keygen.describe();
  const CommandResult claim =
      quest({"claim", "build-a-node", "--key", key.string(), "--node", "n1"});
  EXPECT_EQ(claim.exit_status, 2) << claim.describe();
  EXPECT_NE(claim.err.find(socket()), std::string::npos) << claim.err;
  EXPECT_FALSE(fs::exists(ledger_file())) << "nothing to record without evidence";

  const CommandResult no_key =
      quest({"claim", "build-a-node", "--key", (dir_ / "absent.key").string(), "--node", "n1"});
  EXPECT_EQ(no_key.exit_status, 2) << no_key.describe();
  EXPECT_NE(no_key.err.find("absent.key"), std::string::npos) << no_key.err;
}

// Crises as the agent records them (through the library here): listed by `quest crises`, and the
// newest open one opens the crisis quest for list, show and claim; without one, claim refuses
// before it asks the agent anything.
TEST_F(QuestCli, CrisesOpenTheCrisisQuest) {
  using namespace std::chrono_literals;
  const CommandResult none = wwctl({"quest", "crises", "--json"});
  ASSERT_TRUE(none.ok()) << none.describe();
  EXPECT_EQ(nlohmann::json::parse(none.out), nlohmann::json::array());
  const CommandResult closed = quest({"list"});
  ASSERT_TRUE(closed.ok()) << closed.describe();
  EXPECT_NE(closed.out.find("no open flood crisis on this node"), std::string::npos) << closed.out;

  const fs::path key = dir_ / "node.key";
  ASSERT_TRUE(wwctl({"peer", "keygen", key.string(), "--peer", "n1"}).ok());
  const CommandResult refused =
      quest({"claim", "contain-a-flood", "--key", key.string(), "--node", "n1"});
  EXPECT_EQ(refused.exit_status, 1) << refused.describe();
  EXPECT_NE(refused.err.find("no open flood crisis on this node"), std::string::npos)
      << refused.err;

  const common::UnixSeconds now = common::system_clock().now();
  {
    CrisisBoard board(ledger_file(), true);
    board.open(CrisisKind::flood, "10.0.0.1", 1, now - 60h);  // closed 48 h ago: not listed
    board.open(CrisisKind::flood, "10.0.0.2", 2, now - 30h);  // closed 18 h ago
    board.open(CrisisKind::flood, "10.0.0.3", 3, now - 1h);   // open
  }
  const CommandResult listed = wwctl({"quest", "crises", "--json"});
  ASSERT_TRUE(listed.ok()) << listed.describe();
  const auto crises = nlohmann::json::parse(listed.out);
  ASSERT_EQ(crises.size(), 2u) << listed.out;
  EXPECT_EQ(crises[0]["subject"], "10.0.0.3");
  EXPECT_TRUE(crises[0]["open"].get<bool>());
  EXPECT_EQ(crises[1]["subject"], "10.0.0.2");
  EXPECT_FALSE(crises[1]["open"].get<bool>());

  const CommandResult open = quest({"show", "contain-a-flood"});
  ASSERT_TRUE(open.ok()) << open.describe();
  EXPECT_NE(open.out.find("crisis quest: open until"), std::string::npos) << open.out;
  EXPECT_NE(open.out.find("flood from 10.0.0.3"), std::string::npos) << open.out;
  // Open now, the claim goes on to collect evidence, which needs the agent.
  const CommandResult claim =
      quest({"claim", "contain-a-flood", "--key", key.string(), "--node", "n1"});
  EXPECT_EQ(claim.exit_status, 2) << claim.describe();
  EXPECT_NE(claim.err.find(socket()), std::string::npos) << claim.err;
}

TEST_F(QuestCli, AnEmptyLedgerIsNotAnError) {
  const CommandResult board = wwctl({"quest", "leaderboard"});
  EXPECT_TRUE(board.ok()) << board.describe();
  EXPECT_NE(board.err.find("no ledger"), std::string::npos) << board.err;
  const CommandResult bad = wwctl({"quest", "leaderboard", "--category", "cooking"});
  EXPECT_EQ(bad.exit_status, 2) << bad.describe();
  EXPECT_NE(bad.err.find("mesh_builder"), std::string::npos) << bad.err;
}

TEST_F(QuestCli, LedgerViewsAndVerification) {
  fill_ledger();
  const CommandResult board = wwctl({"quest", "leaderboard", "--json"});
  ASSERT_TRUE(board.ok()) << board.describe();
  const auto standings = nlohmann::json::parse(board.out);
  ASSERT_EQ(standings.size(), 2u) << board.out;
  EXPECT_EQ(standings[0]["node"], "n2");
  EXPECT_EQ(standings[0]["points"], 30);
  EXPECT_EQ(standings[1]["node"], "n1");
  EXPECT_EQ(standings[1]["points"], 15);

  const CommandResult mesh = wwctl({"quest", "leaderboard", "--category", "mesh_builder"});
  ASSERT_TRUE(mesh.ok()) << mesh.describe();
  EXPECT_NE(mesh.out.find("n1"), std::string::npos) << mesh.out;
  EXPECT_EQ(mesh.out.find("n2"), std::string::npos) << mesh.out;

  const CommandResult badges = wwctl({"quest", "badges", "--node", "n1"});
  ASSERT_TRUE(badges.ok()) << badges.describe();
  EXPECT_NE(badges.out.find("builder"), std::string::npos) << badges.out;
  EXPECT_NE(badges.out.find("voter"), std::string::npos) << badges.out;

  const CommandResult history = wwctl({"quest", "ledger", "--node", "n1", "--verify"});
  ASSERT_TRUE(history.ok()) << history.describe();
  EXPECT_NE(history.out.find("build-a-node/linked"), std::string::npos) << history.out;
  EXPECT_NE(history.out.find("reconciles"), std::string::npos) << history.out;

  {
    audit::sqlite::Database db(ledger_file(), false);
    db.exec("UPDATE entries SET amount = amount + 1 WHERE id = (SELECT MAX(id) FROM entries)");
  }
  const CommandResult tampered = wwctl({"quest", "ledger", "--node", "n1", "--verify"});
  EXPECT_EQ(tampered.exit_status, 1) << tampered.describe();
  EXPECT_NE(tampered.err.find("does not reconcile"), std::string::npos) << tampered.err;
}

TEST_F(QuestCli, ASubjectExportCarriesTheirQuestRecords) {
  fill_ledger();
  const CommandResult exported = wwctl({"subject", "export", "n1"});
  ASSERT_TRUE(exported.ok()) << exported.describe();
  const auto quests = nlohmann::json::parse(exported.out).at("quests");
  ASSERT_EQ(quests["rewards"].size(), 2u) << exported.out;
  EXPECT_EQ(quests["balance"], 15);
  ASSERT_EQ(quests["awards"].size(), 2u) << exported.out;  // the badge and the role
  const CommandResult other = wwctl({"subject", "export", "n3"});
  ASSERT_TRUE(other.ok()) << other.describe();
  EXPECT_TRUE(nlohmann::json::parse(other.out)["quests"]["rewards"].empty());
}

TEST_F(QuestCli, LeaderboardPngWhenGnuplotIsThere) {
  fill_ledger();
  const fs::path png = dir_ / "board.png";
  const CommandResult board = wwctl({"quest", "leaderboard", "--png", png.string()});
  ASSERT_TRUE(board.ok()) << board.describe();
  ASSERT_TRUE(harness::have_tool("gnuplot"))
      << "needs gnuplot (scripts/setup.sh installs gnuplot-nox)\n"
      << board.err;
  std::ifstream in(png, std::ios::binary);
  char magic[4] = {};
  in.read(magic, 4);
  EXPECT_EQ(std::string(magic + 1, 3), "PNG") << board.describe();
}

}  // namespace
}  // namespace westworld::quests

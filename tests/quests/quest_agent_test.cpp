// wwctl quest against the real agent in a namespace (the integration tests' GuardTest fixture;
// needs root, skips without it): progress reads the agent's own status, a met step is granted
// once on evidence signed by the node's key, a repeat claim says it was granted already, and
// a step the agent cannot attest stays "missing evidence" and is refused.
#include <fstream>

#include "guard_test.h"

namespace westworld::integration {
namespace {

class QuestAgentTest : public GuardTest {
 protected:
  // A quest this single guarded router can meet (one link), and one it cannot (peers need a
  // mesh the agent is not in).
  std::filesystem::path write_quests() const {
    const auto dir = work_dir() / "quests";
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "guard-one.yaml") << "version: 1\n"
                                             "id: guard-one\n"
                                             "title: Guard one link\n"
                                             "category: mesh_builder\n"
                                             "steps:\n"
                                             "  - id: link\n"
                                             "    title: One guarded link\n"
                                             "    criteria: [links >= 1]\n"
                                             "    reward: {points: 7, badge: first-link}\n"
                                             "  - id: peers\n"
                                             "    title: A peer\n"
                                             "    criteria: [peers >= 1]\n"
                                             "    reward: {points: 9}\n";
    return dir;
  }
  CommandResult quest(const std::vector<std::string>& args) const {
    // The sandbox's wwctl keeps its --data-dir in the state directory: the ledger goes there.
    std::vector<std::string> full = {"quest"};
    full.insert(full.end(), args.begin(), args.end());
    full.push_back("--dir");
    full.push_back(write_quests().string());
    return wwctl(full);
  }
};

TEST_F(QuestAgentTest, ProgressAndClaimFromTheRunningAgent) {
  start_agent(write_deny_port_policy(), {link(1).router_iface});

  const CommandResult progress = quest({"progress", "--node", "r1", "--json"});
  ASSERT_TRUE(progress.ok()) << progress.describe();
  const json report = json::parse(progress.out);
  EXPECT_EQ(report["node"], "r1");
  const json& steps = report["quests"][0]["steps"];
  ASSERT_EQ(steps.size(), 2u) << progress.out;
  EXPECT_EQ(steps[0]["outcome"], "met") << progress.out;
  EXPECT_EQ(steps[1]["outcome"], "missing evidence") << progress.out;

  const CommandResult human = quest({"progress", "--node", "r1"});
  ASSERT_TRUE(human.ok()) << human.describe();
  EXPECT_NE(human.out.find("step link: met"), std::string::npos) << human.out;
  EXPECT_NE(human.out.find("step peers: missing evidence"), std::string::npos) << human.out;

  const auto key = work_dir() / "r1.key";
  ASSERT_TRUE(wwctl({"peer", "keygen", key.string(), "--peer", "r1"}).ok());
  const CommandResult granted =
      quest({"claim", "guard-one", "--step", "link", "--key", key.string(), "--node", "r1"});
  ASSERT_TRUE(granted.ok()) << granted.describe();
  EXPECT_NE(granted.out.find("granted to r1: 7 points, badge first-link"), std::string::npos)
      << granted.out;

  const CommandResult again =
      quest({"claim", "guard-one", "--step", "link", "--key", key.string(), "--node", "r1"});
  ASSERT_TRUE(again.ok()) << again.describe();
  EXPECT_NE(again.out.find("already granted"), std::string::npos) << again.out;

  const CommandResult refused =
      quest({"claim", "guard-one", "--step", "peers", "--key", key.string(), "--node", "r1"});
  EXPECT_EQ(refused.exit_status, 1) << refused.describe();
  EXPECT_NE(refused.out.find("missing evidence"), std::string::npos) << refused.out;

  const CommandResult history = wwctl({"quest", "ledger", "--node", "r1", "--verify"});
  ASSERT_TRUE(history.ok()) << history.describe();
  EXPECT_NE(history.out.find("guard-one/link"), std::string::npos) << history.out;
  EXPECT_EQ(history.out.find("guard-one/peers"), std::string::npos) << history.out;
}

}  // namespace
}  // namespace westworld::integration

// Bad input fails early and clearly, and leaves nothing behind.
#include "guard_test.h"

namespace westworld::integration {
namespace {

class BadInputTest : public GuardTest {
 protected:
  std::filesystem::path valid_policy() {
    return write_policy("valid.yaml", R"(version: 1
charter:
  default: allow
)");
  }
};

constexpr const char* kMissingIface = "wwnosuch0";

TEST_F(BadInputTest, AgentRejectsUnknownInterfaceWithOneClearLine) {
  const CommandResult agent = run_agent(valid_policy(), {kMissingIface});
  EXPECT_NE(agent.exit_status, 0) << agent.describe();
  const auto errors = matching_lines(agent.err, R"(\berror\b)");
  ASSERT_EQ(errors.size(), 1u) << agent.describe();
  EXPECT_NE(errors[0].find(kMissingIface), std::string::npos) << errors[0];
}

// A start that fails must not leave a half-installed guard: no pins, and no program on the
// interfaces that were named before the bad one.
TEST_F(BadInputTest, FailedStartLeavesNoGuardBehind) {
  const std::string good_iface = link(1).router_iface;
  const CommandResult agent = run_agent(valid_policy(), {good_iface, kMissingIface});
  EXPECT_NE(agent.exit_status, 0) << agent.describe();
  EXPECT_EQ(xdp_on(good_iface).prog_id, 0u)
      << "the agent failed, yet left its program attached to " << good_iface;
  EXPECT_FALSE(our_tc_filter_on(good_iface));
  EXPECT_FALSE(pins_exist()) << "the agent failed, yet left pins under " << pin_root();
}

TEST_F(BadInputTest, AgentRejectsInvalidPolicyWithPositionsAndPinsNothing) {
  const auto invalid = write_policy("invalid.yaml", R"(version: 1
charter:
  default: sometimes
  flows:
    - name: Not_A_Valid_Name
      action: deny
)");
  const std::string iface = link(1).router_iface;
  const CommandResult agent = run_agent(invalid, {iface});
  EXPECT_NE(agent.exit_status, 0) << agent.describe();
  const auto positioned = matching_lines(agent.err, R"(invalid\.yaml:\d+:\d+: error: )");
  EXPECT_GE(positioned.size(), 2u) << agent.describe();
  for (const auto& line : positioned) {
    EXPECT_TRUE(line.starts_with(invalid.string() + ":")) << line;
  }
  EXPECT_FALSE(pins_exist()) << pin_root();
  EXPECT_EQ(xdp_on(iface).prog_id, 0u);
}

TEST_F(BadInputTest, ApplyWithoutAgentSaysSoAndFails) {
  const CommandResult apply = wwctl({"policy", "apply", valid_policy().string()});
  EXPECT_EQ(apply.exit_status, 1) << apply.describe();
  EXPECT_NE(apply.err.find("no agent"), std::string::npos) << apply.describe();
  EXPECT_FALSE(pins_exist());
}

}  // namespace
}  // namespace westworld::integration

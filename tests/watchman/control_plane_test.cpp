// Control-plane bursts freeze policy changes until an operator unfreezes
// them, across agent restarts too; and a bad policy on SIGHUP changes nothing.
#include <signal.h>

#include <chrono>

#include "watchman_fixture.h"

namespace westworld::watchman_test {
namespace {

using namespace std::chrono_literals;

std::string policy(const std::string& action) {
  return R"(version: 1
charter:
  flows:
    - {name: a, action: )" +
         action + R"(, proto: udp, dst_ports: [1001]}
    - {name: b, action: )" +
         action + R"(, proto: udp, dst_ports: [1002]}
    - {name: c, action: )" +
         action + R"(, proto: udp, dst_ports: [1003]}
anti_meave:
  detect:
    control_plane: {max_applies_per_minute: 3, max_changed_fraction: 0.5, response: freeze}
)";
}

using WatchmanControlPlane = WatchmanTest;

json control_plane_alerts(WatchmanTest& test) {
  json found = json::array();
  const json reply = test.wwctl_json({"alerts", "--json"});  // named: the loop reads into it
  for (const json& a : reply["alerts"])
    if (a["detector"] == "control_plane") found.push_back(a);
  return found;
}

TEST_F(WatchmanControlPlane, AnApplyBurstFreezesPolicyChangesUntilUnfreeze) {
  const auto file = write_policy("p.yaml", policy("allow"));
  start_agent(file);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(wwctl({"policy", "apply", file.string()}).ok());
  EXPECT_TRUE(control_plane_alerts(*this).empty());
  // The fourth within a minute goes through, raises the alert, and freezes.
  ASSERT_TRUE(wwctl({"policy", "apply", file.string()}).ok());
  const json alerts = control_plane_alerts(*this);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0]["statistic"], "policy_applies_per_minute");
  EXPECT_EQ(alerts[0]["value"], 4);
  EXPECT_EQ(alerts[0]["threshold"], 4);
  EXPECT_EQ(alerts[0]["window_ms"], 60000);

  CommandResult refused = wwctl({"policy", "apply", file.string()});
  EXPECT_FALSE(refused.ok());
  EXPECT_NE(refused.err.find("policy changes are frozen"), std::string::npos) << refused.describe();
  EXPECT_NE(refused.err.find("wwctl unfreeze"), std::string::npos);

  // A restart does not lift the freeze.
  kill_agent();
  start_agent(file);
  EXPECT_FALSE(wwctl({"policy", "apply", file.string()}).ok());
  const double frozen = sample(metrics(), "westworld_policy_frozen").value_or(-1);
  EXPECT_EQ(frozen, 1);

  CommandResult unfreeze = wwctl({"unfreeze"});
  ASSERT_TRUE(unfreeze.ok()) << unfreeze.describe();
  EXPECT_NE(unfreeze.out.find("allowed again"), std::string::npos);
  EXPECT_TRUE(wwctl({"policy", "apply", file.string()}).ok());
  EXPECT_NE(agent().stderr_text().find("response: unfreeze"), std::string::npos);
}

TEST_F(WatchmanControlPlane, AnApplyThatFlipsMostVerdictsFreezes) {
  start_agent(write_policy("p.yaml", policy("allow")));
  const auto flipped = write_policy("flipped.yaml", policy("deny"));
  ASSERT_TRUE(wwctl({"policy", "apply", flipped.string()}).ok());
  const json alerts = control_plane_alerts(*this);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0]["statistic"], "changed_rule_fraction");
  EXPECT_DOUBLE_EQ(alerts[0]["value"].get<double>(), 0.75);  // a, b, c of 3 rules + default
  EXPECT_DOUBLE_EQ(alerts[0]["threshold"].get<double>(), 0.5);
  EXPECT_FALSE(wwctl({"policy", "apply", flipped.string()}).ok());
}

// The refusal says how a meant mass change passes; in open mode --confirm-mass-change does:
// the change is reported among the responses and nothing freezes.
TEST_F(WatchmanControlPlane, AConfirmedMassChangeIsReportedNotFrozen) {
  start_agent(write_policy("p.yaml", policy("allow")));
  const auto flipped = write_policy("flipped.yaml", policy("deny"));
  const CommandResult confirmed =
      wwctl({"policy", "apply", flipped.string(), "--confirm-mass-change"});
  ASSERT_TRUE(confirmed.ok()) << confirmed.describe();
  const json alerts = wwctl_json({"alerts", "--json"});
  EXPECT_FALSE(alerts["frozen"].get<bool>());
  EXPECT_TRUE(control_plane_alerts(*this).empty());
  bool reported = false;
  for (const json& r : alerts["responses"])
    reported |= r["action"] == "confirmed" && r["subject"] == "control-plane";
  EXPECT_TRUE(reported) << alerts.dump();
  // Back to allow, unconfirmed: the detector freezes, and the refusal says which path applies.
  ASSERT_TRUE(wwctl({"policy", "apply", write_policy("back.yaml", policy("allow")).string()}).ok());
  const CommandResult refused = wwctl({"policy", "apply", flipped.string()});
  EXPECT_FALSE(refused.ok());
  EXPECT_NE(refused.err.find("--confirm-mass-change (an open trust gate)"), std::string::npos)
      << refused.err;
}

TEST_F(WatchmanControlPlane, ABadPolicyOnSighupIsRejectedWholeAndTheRunningOneStays) {
  const auto file = write_policy("p.yaml", policy("allow"));
  start_agent(file);
  const json before = wwctl_json({"status", "--json"});
  write_policy("p.yaml", R"(version: 1
anti_meave:
  detect:
    share_creep: {bound: 2}
)");
  agent().send_signal(SIGHUP);
  const bool logged = eventually(10s, [&] {
    return agent().stderr_text().find(
               "p.yaml:4:26: error: bound must be greater than 0 and at most 1") !=
           std::string::npos;
  });
  EXPECT_TRUE(logged) << agent().stderr_text();
  EXPECT_NE(agent().stderr_text().find("the running policy stays"), std::string::npos);
  const json after = wwctl_json({"status", "--json"});
  EXPECT_EQ(after["policy"]["generation"], before["policy"]["generation"]);
  EXPECT_EQ(after["policy"]["digest"], before["policy"]["digest"]);
  EXPECT_TRUE(agent().running());
}

}  // namespace
}  // namespace westworld::watchman_test

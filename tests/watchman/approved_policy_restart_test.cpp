// A restart never rolls back what the trust gate approved (issue 8, finding 4): with a
// closed gate, an agent restarted on its boot file keeps enforcing the last approved
// policy, says why, and writes the decision to the audit log.
#include <sys/stat.h>

#include "text_file.h"
#include "watchman_fixture.h"

namespace westworld::watchman_test {
namespace {

using WatchmanApprovedPolicy = WatchmanTest;

TEST_F(WatchmanApprovedPolicy, ARestartKeepsTheApprovedPolicyAndAuditsTheDecision) {
  const std::string dir = work_dir().string();
  const std::string root_key = dir + "/root.key", token = dir + "/op.token";
  const std::string audit_key = dir + "/audit.key", audit_log = dir + "/audit.db";
  ASSERT_TRUE(wwctl({"token", "keygen", root_key}).ok());
  CommandResult minted = wwctl({"token", "mint", "--key", root_key, "--id", "operator", "--caveat",
                                "action = policy.apply", "--caveat", "node = n1"});
  ASSERT_TRUE(minted.ok()) << minted.describe();
  harness::write_text_file(token, minted.out);
  ::chmod(token.c_str(), 0600);
  ASSERT_TRUE(wwctl({"audit", "keygen", "--key", audit_key, "--name", "ww.test/audit"}).ok());
  // 20 nodes: a change to this one node is 5% of the mesh, so no peer signatures.
  const std::vector<std::string> closed_gate = {
      "--trust-root-key", root_key,  "--node-id",   "n1",     "--mesh-size", "20",
      "--audit-log",      audit_log, "--audit-key", audit_key};

  const auto boot = write_policy("boot.yaml", "version: 1\n");
  const auto approved = write_policy("approved.yaml",
                                     "version: 1\ncharter:\n  flows:\n    - {name: approved-rule, "
                                     "action: deny, proto: udp, dst_ports: [9]}\n");
  start_agent(boot, closed_gate);
  CommandResult refused = wwctl({"policy", "apply", approved.string()});
  EXPECT_FALSE(refused.ok()) << "a closed gate takes no apply without a token";
  CommandResult applied = wwctl({"policy", "apply", approved.string(), "--token-file", token});
  ASSERT_TRUE(applied.ok()) << applied.describe();
  const std::string approved_digest = wwctl_json({"status", "--json"})["policy"]["digest"];

  kill_agent();
  start_agent(boot, closed_gate);
  const json status = wwctl_json({"status", "--json"});
  EXPECT_EQ(status["policy"]["digest"], approved_digest) << "the restart rolled back";
  EXPECT_EQ(status["rules"].at(0)["name"], "approved-rule") << "the record names its rules";
  EXPECT_NE(agent().stderr_text().find("the running policy stays"), std::string::npos);

  CommandResult log = wwctl({"audit", "log", "--log", audit_log});
  ASSERT_TRUE(log.ok()) << log.describe();
  EXPECT_NE(log.out.find("agent_start"), std::string::npos) << log.out;
  EXPECT_NE(log.out.find("kept the running policy"), std::string::npos) << log.out;
}

}  // namespace
}  // namespace westworld::watchman_test

// The agent behind a closed trust gate. A restart never rolls back what the gate
// approved (issue 8, finding 4): an agent restarted on its boot file keeps enforcing the
// last approved policy, says why, and writes the decision to the audit log. And an apply
// without valid credentials is refused before its policy is parsed (finding 5).
#include <sys/stat.h>

#include "watchman_fixture.h"
#include "westworld/harness/text_file.h"

namespace westworld::watchman_test {
namespace {

class WatchmanApprovedPolicy : public WatchmanTest {
 protected:
  // Makes a root key, an operator token for policy.apply on n1 (in `token`) and an audit
  // key; returns the agent options of a gate closed with them.
  std::vector<std::string> close_the_gate() {
    const std::string dir = work_dir().string();
    const std::string root_key = dir + "/root.key", audit_key = dir + "/audit.key";
    token = dir + "/op.token";
    audit_log = dir + "/audit.db";
    EXPECT_TRUE(wwctl({"token", "keygen", root_key}).ok());
    CommandResult minted = wwctl({"token", "mint", "--key", root_key, "--id", "operator",
                                  "--caveat", "action = policy.apply", "--caveat", "node = n1"});
    EXPECT_TRUE(minted.ok()) << minted.describe();
    harness::write_text_file(token, minted.out);
    ::chmod(token.c_str(), 0600);
    EXPECT_TRUE(wwctl({"audit", "keygen", "--key", audit_key, "--name", "ww.test/audit"}).ok());
    // 20 nodes: a change to this one node is 5% of the mesh, so no peer signatures.
    return {"--trust-root-key", root_key,  "--node-id",   "n1",     "--mesh-size", "20",
            "--audit-log",      audit_log, "--audit-key", audit_key};
  }

  std::string token;
  std::string audit_log;
};

TEST_F(WatchmanApprovedPolicy, ARestartKeepsTheApprovedPolicyAndAuditsTheDecision) {
  const std::vector<std::string> closed_gate = close_the_gate();
  ASSERT_FALSE(HasFailure());

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

// The policy is parsed, compiled and analysed only for a caller whose token holds: a
// broken policy sent without one is refused for the credentials, not for its errors.
TEST_F(WatchmanApprovedPolicy, CredentialsAreCheckedBeforeThePolicyIsParsed) {
  const std::vector<std::string> closed_gate = close_the_gate();
  ASSERT_FALSE(HasFailure());
  start_agent(write_policy("boot.yaml", "version: 1\n"), closed_gate);
  const std::string digest = wwctl_json({"status", "--json"})["policy"]["digest"];
  const auto broken =
      write_policy("broken.yaml",
                   "version: 1\ncharter:\n  default: sometimes\n  flows:\n    - name: Bad_Name\n");
  // A well-formed token with the right caveats, under another root key.
  const std::string other_key = (work_dir() / "other.key").string();
  ASSERT_TRUE(wwctl({"token", "keygen", other_key}).ok());
  CommandResult other = wwctl({"token", "mint", "--key", other_key, "--id", "operator", "--caveat",
                               "action = policy.apply", "--caveat", "node = n1"});
  ASSERT_TRUE(other.ok()) << other.describe();

  CommandResult no_token = wwctl({"policy", "apply", broken.string()});
  EXPECT_FALSE(no_token.ok());
  EXPECT_NE(no_token.err.find("requires a capability token"), std::string::npos)
      << no_token.describe();
  CommandResult forged = wwctl({"policy", "apply", broken.string(), "--token", other.out});
  EXPECT_FALSE(forged.ok());
  EXPECT_NE(forged.err.find("token rejected"), std::string::npos) << forged.describe();
  for (const CommandResult* refused : {&no_token, &forged}) {
    EXPECT_EQ(refused->err.find("policy rejected"), std::string::npos) << refused->describe();
    EXPECT_EQ(refused->err.find("broken.yaml:"), std::string::npos)
        << "no diagnostic of the policy: it was never parsed\n"
        << refused->describe();
  }
  EXPECT_EQ(agent().stderr_text().find("rejected policy"), std::string::npos)
      << agent().stderr_text();

  // With the token, the same policy gets as far as its own errors.
  CommandResult with_token = wwctl({"policy", "apply", broken.string(), "--token-file", token});
  EXPECT_FALSE(with_token.ok());
  EXPECT_NE(with_token.err.find("policy rejected"), std::string::npos) << with_token.describe();
  EXPECT_NE(with_token.err.find("broken.yaml:"), std::string::npos) << with_token.describe();
  EXPECT_EQ(wwctl_json({"status", "--json"})["policy"]["digest"], digest) << "nothing changed";
}

// Behind a closed gate a caller's word that a mass change is meant is not enough: it
// needs an approved proposal, and the refusal says so; nothing changes.
TEST_F(WatchmanApprovedPolicy, ConfirmingAMassChangeIsRefusedBehindAClosedGate) {
  const std::vector<std::string> closed_gate = close_the_gate();
  ASSERT_FALSE(HasFailure());
  start_agent(write_policy("boot.yaml", "version: 1\n"), closed_gate);
  const std::string digest = wwctl_json({"status", "--json"})["policy"]["digest"];
  const auto other = write_policy("other.yaml", "version: 1\ncharter:\n  default: deny\n");
  const CommandResult refused =
      wwctl({"policy", "apply", other.string(), "--token-file", token, "--confirm-mass-change"});
  EXPECT_FALSE(refused.ok());
  EXPECT_NE(refused.err.find("carries an approved proposal"), std::string::npos)
      << refused.describe();
  EXPECT_EQ(wwctl_json({"status", "--json"})["policy"]["digest"], digest) << "nothing changed";
}

}  // namespace
}  // namespace westworld::watchman_test

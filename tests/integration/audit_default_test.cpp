// The audit log is on by default: an agent started with no audit flags makes its key on
// first start (0600) and keeps the log and the verifier key in its state directory; every
// start and apply is an entry that verifies; a restart keeps the key. --no-audit is an
// explicit, loud opt-out.
#include <sys/stat.h>

#include <fstream>

#include "guard_test.h"

namespace westworld::integration {
namespace {

class AuditDefaultTest : public GuardTest {
 protected:
  std::string vkey() const {
    std::ifstream in(state_dir() / "audit.vkey");
    std::string line;
    std::getline(in, line);
    return line;
  }
  CommandResult audit_log() const {
    return wwctl({"audit", "log", "--log", (state_dir() / "audit.db").string()});
  }
};

mode_t mode_of(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return 0;
  return st.st_mode & 07777;
}

TEST_F(AuditDefaultTest, StartsAndAppliesAreAuditedWithAKeyMadeOnFirstStart) {
  const auto policy = write_deny_port_policy();
  start_agent(policy, {link(1).router_iface});
  EXPECT_EQ(mode_of(state_dir() / "audit.key"), 0600u);
  const std::string first_vkey = vkey();
  ASSERT_FALSE(first_vkey.empty());
  EXPECT_NE(agent().stderr_text().find("made its key"), std::string::npos) << agent().describe();
  EXPECT_NE(agent().stderr_text().find(first_vkey), std::string::npos)
      << "the verifier key is printed at first start";

  const auto other = write_policy("other.yaml", "version: 1\ncharter:\n  default: allow\n");
  ASSERT_TRUE(wwctl({"policy", "apply", other.string()}).ok());
  agent().kill9();
  start_agent(other, {link(1).router_iface});
  EXPECT_EQ(vkey(), first_vkey) << "a restart keeps the key";
  EXPECT_EQ(agent().stderr_text().find("made its key"), std::string::npos);

  const CommandResult log = audit_log();
  ASSERT_TRUE(log.ok()) << log.describe();
  EXPECT_NE(log.out.find("applied the policy file (nothing ran)"), std::string::npos) << log.out;
  EXPECT_NE(log.out.find("policy_apply"), std::string::npos) << log.out;
  EXPECT_NE(log.out.find("the running policy is the file's"), std::string::npos) << log.out;
  const CommandResult verified = wwctl(
      {"audit", "verify", "--log", (state_dir() / "audit.db").string(), "--vkey", first_vkey});
  EXPECT_TRUE(verified.ok()) << verified.describe();
}

TEST_F(AuditDefaultTest, NoAuditIsAnExplicitLoudOptOut) {
  start_agent(write_deny_port_policy(), {link(1).router_iface}, "native", {"--no-audit"});
  EXPECT_NE(agent().stderr_text().find("NO AUDIT LOG"), std::string::npos) << agent().describe();
  EXPECT_FALSE(std::filesystem::exists(state_dir() / "audit.db"));
  EXPECT_FALSE(std::filesystem::exists(state_dir() / "audit.key"));
}

}  // namespace
}  // namespace westworld::integration

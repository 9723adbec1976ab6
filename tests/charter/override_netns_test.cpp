// Emergency overrides on a real router: the agent in the router namespace has three
// operators (a quorum of two); a deny rule drops real UDP from the LAN. One operator's
// signature is refused, two lift the rule (traffic arrives), the same override cannot be
// submitted twice, and when it expires the rule returns by itself (traffic dropped again),
// with both ends in the audit log, which still verifies.
#include <fstream>

#include "watchman_fixture.h"
#include "westworld/capability/clock.h"

namespace westworld::watchman_test {
namespace {

using namespace std::chrono_literals;

constexpr uint16_t kPort = 5555;
constexpr const char* kRule = "deny-lan-5555";

std::string policy() {
  return std::string(
             "version: 1\n"
             "charter:\n"
             "  default: allow\n"
             "  flows:\n"
             "    - name: ") +
         kRule +
         "\n"
         "      action: deny\n"
         "      proto: udp\n"
         "      dst_ports: [" +
         std::to_string(kPort) + "]\n";
}

class CharterOverride : public WatchmanTest {
 protected:
  // `wwctl peer keygen` for three operators; the operators file the agent reads.
  std::filesystem::path make_operators() {
    std::ofstream file(work_dir() / "operators");
    for (int i = 1; i <= 3; ++i) {
      const std::string key = (work_dir() / ("op" + std::to_string(i) + ".key")).string();
      const CommandResult made = wwctl({"peer", "keygen", key, "--peer", "op" + std::to_string(i)});
      if (!made.ok()) throw std::runtime_error(made.describe());
      file << made.out;
    }
    return work_dir() / "operators";
  }
  std::string key(int operator_number) const {
    return (work_dir() / ("op" + std::to_string(operator_number) + ".key")).string();
  }

  // Datagrams from LAN host 1 that reach the router's port.
  uint64_t delivered(uint32_t count = 200) {
    Traffic traffic(*this, lab());
    traffic.listen(kPort);
    traffic.send(Lab::host(1), kPort, count, 2000);
    return traffic.finish()[Lab::host(1)];
  }
};

TEST_F(CharterOverride, AQuorumLiftsARuleUntilItsExpiryAndTheRuleReturnsByItself) {
  start_agent(write_policy("p.yaml", policy()),
              {"--operators", make_operators().string(), "--node-id", "r1"});
  ASSERT_EQ(delivered(), 0u) << "the deny rule drops the LAN's datagrams";

  // The CLI refuses what the charter never allows, before any agent sees it.
  const CommandResult too_long =
      wwctl({"charter", "override", "--rules", kRule, "--reason", "r", "--affected", "r1", "--for",
             "2h1m", "--key", key(1), "--key", key(2)});
  EXPECT_EQ(too_long.exit_status, 1);
  EXPECT_NE(too_long.err.find("at most 2h"), std::string::npos) << too_long.err;

  // One operator is not a quorum.
  const CommandResult alone =
      wwctl({"charter", "override", "--rules", kRule, "--reason", "relief traffic", "--affected",
             "r1", "--for", "1h", "--key", key(1)});
  EXPECT_EQ(alone.exit_status, 1);
  EXPECT_NE(alone.err.find("too_few_signatures: 1 operator signature(s), the quorum is 2 of 3"),
            std::string::npos)
      << alone.err;

  // Two operators, one after the other through the override file, for 8 seconds.
  const std::string file = (work_dir() / "override.json").string();
  const CommandResult drafted =
      wwctl({"charter", "override", "--rules", kRule, "--reason", "relief traffic", "--affected",
             "r1,r2", "--for", "8s", "--key", key(1), "-o", file});
  ASSERT_TRUE(drafted.ok()) << drafted.describe();
  ASSERT_TRUE(wwctl({"charter", "cosign", file, "--key", key(3)}).ok());
  const CommandResult submitted = wwctl({"charter", "submit", file});
  ASSERT_TRUE(submitted.ok()) << submitted.describe();
  EXPECT_NE(submitted.out.find("signed by op1, op3"), std::string::npos) << submitted.out;

  json listed = wwctl_json({"charter", "overrides", "--json"});
  ASSERT_EQ(listed["overrides"].size(), 1u);
  const json accepted = listed["overrides"][0];
  EXPECT_TRUE(accepted["active"].get<bool>());
  EXPECT_EQ(listed["lifted"], json::array({kRule}));
  EXPECT_EQ(wwctl_json({"status", "--json"})["agent"]["lifted_rules"], json::array({kRule}));
  EXPECT_EQ(sample(metrics(), "westworld_charter_emergency_override_active"), 1.0);
  EXPECT_GT(delivered(), 0u) << "the lifted rule no longer drops";

  const CommandResult again = wwctl({"charter", "submit", file});
  EXPECT_EQ(again.exit_status, 1);
  EXPECT_NE(again.err.find("replayed: override " + accepted["id"].get<std::string>()),
            std::string::npos)
      << again.err;

  // The rule returns at the signed expiry without anyone asking.
  ASSERT_TRUE(eventually(30s, [&] {
    listed = wwctl_json({"charter", "overrides", "--json"});
    return !listed["overrides"][0]["active"].get<bool>();
  }));
  EXPECT_EQ(listed["overrides"][0]["ended_at"], accepted["expires_at"]);
  EXPECT_EQ(listed["lifted"], json::array());
  EXPECT_FALSE(wwctl_json({"status", "--json"})["agent"].contains("lifted_rules"));
  EXPECT_EQ(sample(metrics(), "westworld_charter_emergency_override_active"), 0.0);
  EXPECT_EQ(delivered(), 0u) << "the rule is enforced again";

  // Both ends are public, and the log still verifies.
  const std::string log = (work_dir() / "state" / "audit.db").string();
  const CommandResult entries = run_command({WW_WWCTL_BIN, "audit", "log", "--log", log});
  ASSERT_TRUE(entries.ok()) << entries.describe();
  EXPECT_NE(entries.out.find("emergency_override"), std::string::npos) << entries.out;
  EXPECT_NE(entries.out.find("emergency_override_end"), std::string::npos) << entries.out;
  EXPECT_NE(entries.out.find("relief traffic"), std::string::npos) << entries.out;
  std::ifstream vkey_file(work_dir() / "state" / "audit.vkey");
  std::string vkey;
  std::getline(vkey_file, vkey);
  const CommandResult verified =
      run_command({WW_WWCTL_BIN, "audit", "verify", "--log", log, "--vkey", vkey});
  EXPECT_TRUE(verified.ok()) << verified.describe();
}

TEST_F(CharterOverride, ARestartKeepsTheRuleLiftedAndNoLongerThanSigned) {
  const std::filesystem::path p = write_policy("p.yaml", policy());
  const std::vector<std::string> args = {"--operators", make_operators().string(), "--node-id",
                                         "r1"};
  start_agent(p, args);
  ASSERT_TRUE(wwctl({"charter", "override", "--rules", kRule, "--reason", "relief traffic",
                     "--affected", "r1", "--for", "15s", "--key", key(1), "--key", key(2)})
                  .ok());
  const json accepted = wwctl_json({"charter", "overrides", "--json"})["overrides"][0];

  kill_agent();  // SIGKILL: no chance to restore anything on the way out
  start_agent(p, args);
  // Still within the override (an agent starts in a second or two): the rule stays lifted.
  json listed = wwctl_json({"charter", "overrides", "--json"});
  ASSERT_TRUE(listed["overrides"][0]["active"].get<bool>());
  EXPECT_EQ(listed["lifted"], json::array({kRule}));
  EXPECT_GT(delivered(50), 0u);
  ASSERT_TRUE(eventually(30s, [&] {
    listed = wwctl_json({"charter", "overrides", "--json"});
    return !listed["overrides"][0]["active"].get<bool>();
  }));
  EXPECT_EQ(listed["overrides"][0]["ended_at"], accepted["expires_at"]);
  EXPECT_EQ(delivered(), 0u) << "the rule is enforced again";

  // Down across the expiry: the agent starts with the rule back, not lifted.
  kill_agent();
  start_agent(p, args);
  EXPECT_EQ(wwctl_json({"charter", "overrides", "--json"})["lifted"], json::array());
  EXPECT_EQ(delivered(), 0u);
}

// Behind a closed trust gate a restart keeps the approved policy, not the boot file; an
// override is on top of it: kept across a restart while it runs, gone after its expiry,
// and the approved policy's own digest comes back, without any credentials.
TEST_F(CharterOverride, BehindAClosedGateARestartRestoresTheApprovedPolicyAfterTheExpiry) {
  const std::string dir = work_dir().string();
  ASSERT_TRUE(wwctl({"token", "keygen", dir + "/root.key"}).ok());
  const CommandResult minted =
      wwctl({"token", "mint", "--key", dir + "/root.key", "--id", "op", "--caveat",
             "action = policy.apply", "--caveat", "node = r1"});
  ASSERT_TRUE(minted.ok()) << minted.describe();
  std::ofstream(dir + "/op.token") << minted.out;
  std::filesystem::permissions(
      dir + "/op.token", std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  const std::vector<std::string> args = {
      "--trust-root-key", dir + "/root.key",        "--node-id", "r1", "--mesh-size", "20",
      "--operators",      make_operators().string()};
  const auto boot = write_policy("boot.yaml", "version: 1\n");
  start_agent(boot, args);
  const CommandResult applied = wwctl({"policy", "apply", write_policy("p.yaml", policy()).string(),
                                       "--token-file", dir + "/op.token"});
  ASSERT_TRUE(applied.ok()) << applied.describe();
  const std::string approved = wwctl_json({"status", "--json"})["policy"]["digest"];

  ASSERT_TRUE(wwctl({"charter", "override", "--rules", kRule, "--reason", "relief traffic",
                     "--affected", "r1", "--for", "15s", "--key", key(1), "--key", key(3)})
                  .ok());
  const json accepted = wwctl_json({"charter", "overrides", "--json"})["overrides"][0];
  kill_agent();
  start_agent(boot, args);
  json status = wwctl_json({"status", "--json"});
  EXPECT_EQ(status["agent"]["lifted_rules"], json::array({kRule})) << "kept while it runs";
  EXPECT_NE(status["policy"]["digest"], approved);
  EXPECT_GT(delivered(50), 0u);

  kill_agent();
  const auto expiry = capability::parse_rfc3339_utc(accepted["expires_at"].get<std::string>());
  ASSERT_TRUE(expiry);
  ASSERT_TRUE(eventually(30s, [&] { return capability::system_clock().now() >= *expiry; }));
  start_agent(boot, args);
  status = wwctl_json({"status", "--json"});
  EXPECT_FALSE(status["agent"].contains("lifted_rules"));
  EXPECT_EQ(status["policy"]["digest"], approved) << "the approved policy, not the boot file";
  EXPECT_EQ(status["rules"].at(0)["name"], kRule);
  EXPECT_EQ(delivered(), 0u);
}

}  // namespace
}  // namespace westworld::watchman_test

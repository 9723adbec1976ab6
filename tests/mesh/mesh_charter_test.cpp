// The charter's governance on the real mesh: five routers with --gov-genesis, five members
// voting through wwctl. An emergency override of a charter rule takes effect only on an
// emergency decision, only on the nodes it names (delivered packets prove it); a source the
// charter quarantined on a router (its third violation) is released only on a passed decision
// naming that quarantine.
#include "mesh_governance_fixture.h"

namespace westworld::mesh_test {
namespace {

constexpr uint16_t kReliefPort = 5557;  // denied by a charter rule an override lifts
constexpr uint16_t kOpenPort = 5556;

class MeshCharterTest : public MeshGovernanceTest {
 protected:
  std::string initial_policy() const override {
    std::string yaml =
        "version: 1\ncharter:\n  default: allow\n  flows:\n"
        "    - {name: relief-5557, action: deny, proto: udp, dst_ports: [5557]}\n";
    for (int port : {6001, 6002, 6003})
      yaml += "    - {name: tracker-" + std::to_string(port) +
              ", action: deny, proto: udp, dst_ports: [" + std::to_string(port) +
              "], direction: ingress, violation: true}\n";
    return yaml;
  }

  // A proposal through wwctl (member r1); its id, or "" with the failure recorded.
  std::string propose_action(const std::string& title, std::vector<std::string> payload) {
    std::vector<std::string> args = {"gov",      "propose",    "--title",       title,
                                     "--key",    keys_.key(0), "--member",      "r1",
                                     "--window", "10m",        "--gov-genesis", genesis_};
    args.insert(args.end(), payload.begin(), payload.end());
    const harness::CommandResult proposed = gov(args);
    EXPECT_TRUE(proposed.ok()) << proposed.describe();
    return proposed.ok() ? proposed.out.substr(0, 64) : "";
  }

  // wwctl against router `i`'s own agent.
  harness::CommandResult on(int router, const std::vector<std::string>& args) {
    return lab_->wwctl(router, args);
  }
};

// Traffic from r1 to r2 crosses r1's egress guard and r2's ingress guard, and from r2 to r3
// r2's egress and r3's ingress: lifting the rule on r1 and r2 opens the first path only.
TEST_F(MeshCharterTest, AnEmergencyDecisionLiftsACharterRuleOnlyOnTheNodesItNames) {
  ASSERT_EQ(lab_->delivered_to(1, kReliefPort), 0u) << "the charter rule drops it";
  const std::string file = (lab_->work_dir() / "relief.override").string();
  const harness::CommandResult drafted =
      on(0, {"charter", "override", "--rules", "relief-5557", "--reason", "flood relief traffic",
             "--affected", "r1,r2", "--for", "10m", "-o", file});
  ASSERT_TRUE(drafted.ok()) << drafted.describe();

  const harness::CommandResult standard =
      gov({"gov", "propose", "--override", file, "--kind", "standard", "--title", "relief", "--key",
           keys_.key(0), "--member", "r1", "--gov-genesis", genesis_});
  EXPECT_FALSE(standard.ok());
  EXPECT_NE(standard.err.find("only by an emergency decision"), std::string::npos)
      << standard.describe();

  const std::string id = propose_action("relief between r1 and r2", {"--override", file});
  ASSERT_FALSE(id.empty());
  for (int m : {0, 1, 2}) cast(id, m, "yes");
  const harness::CommandResult early = on(1, {"charter", "submit", file, "--decision", id});
  EXPECT_FALSE(early.ok()) << "3 of 5 is below the emergency quorum of 67%";
  EXPECT_NE(early.err.find("has not passed"), std::string::npos) << early.describe();

  cast(id, 3, "yes");
  for (int router : {0, 1}) {
    const harness::CommandResult lifted = on(router, {"charter", "submit", file, "--decision", id});
    ASSERT_TRUE(lifted.ok()) << lifted.describe();
    EXPECT_NE(lifted.out.find("allowed by proposal " + id.substr(0, 16)), std::string::npos)
        << lifted.out;
  }
  EXPECT_EQ(lab_->delivered_to(1, kReliefPort), 20u) << "lifted on r1 and r2";
  EXPECT_EQ(lab_->delivered_to(2, kReliefPort), 0u) << "r3 still enforces the rule";

  // r3 is not named: the same decision lifts nothing there.
  const harness::CommandResult elsewhere = on(2, {"charter", "submit", file, "--decision", id});
  EXPECT_FALSE(elsewhere.ok());
  EXPECT_NE(elsewhere.err.find("not_affected"), std::string::npos) << elsewhere.describe();

  // Public: who decided it is in the audit log, and the override lists the yes voters.
  const std::string log = audit_log(1);
  EXPECT_NE(log.find("emergency_override"), std::string::npos) << log;
  EXPECT_NE(log.find("proposal " + id.substr(0, 16) + " passed"), std::string::npos) << log;
  const json overrides = json::parse(on(1, {"charter", "overrides", "--json"}).out);
  ASSERT_EQ(overrides["overrides"].size(), 1u);
  EXPECT_EQ(overrides["overrides"][0]["signers"],
            (std::vector<std::string>{"r1", "r2", "r3", "r4"}));
}

// r1 sends to three violation rules of r2 (ingress only, so r1's own egress guard lets them
// out): r2 names r1's address as the offender and climbs it to quarantine, after which every
// packet from it is dropped until a passed decision naming that quarantine restores it.
TEST_F(MeshCharterTest, APassedDecisionNamingTheQuarantineLetsTheSourceBackIn) {
  for (uint16_t port : {6001, 6002, 6003}) EXPECT_EQ(lab_->delivered_to(1, port), 0u);
  std::string source = lab_->west_address(1);
  source.back() = '1';  // r1's end of the link to r2
  const std::string offender = "source " + source;
  auto standing = [&] {
    json found;
    const harness::CommandResult shown = on(1, {"charter", "violations", "--json"});
    if (!shown.ok()) return found;
    const json reply = json::parse(shown.out);
    for (const json& o : reply["offenders"])
      if (o["offender"] == offender) found = o;
    return found;
  };
  auto held = [&] {
    const json list = json::parse(on(1, {"quarantine", "list", "--json"}).out);
    for (const json& q : list)
      if (q["source"] == source) return q["origin"].get<std::string>();
    return std::string();
  };
  json before;
  ASSERT_TRUE(harness::eventually(20s, [&] {
    before = standing();
    return !before.is_null() && before["quarantined"].get<bool>();
  })) << before.dump();
  const int64_t violation = before.at("quarantined_by").get<int64_t>();
  ASSERT_TRUE(harness::eventually(10s, [&] { return held() == "charter"; }));
  EXPECT_EQ(lab_->delivered_to(1, kOpenPort), 0u) << "every packet of the source is dropped";

  // A decision about another violation lifts nothing.
  const std::string wrong = propose_action(
      "wrong one",
      {"--restore", offender, "--on", "r2", "--violation", std::to_string(violation + 1)});
  for (int m : {0, 1, 2}) cast(wrong, m, "yes");
  const harness::CommandResult refused =
      on(1, {"charter", "restore", offender, "--decision", wrong});
  EXPECT_FALSE(refused.ok());
  EXPECT_NE(refused.err.find("another charter_restore"), std::string::npos) << refused.describe();

  const std::string id = propose_action(
      "let r1 back into r2",
      {"--restore", offender, "--on", "r2", "--violation", std::to_string(violation)});
  cast(id, 0, "yes");
  const harness::CommandResult early = on(1, {"charter", "restore", offender, "--decision", id});
  EXPECT_FALSE(early.ok());
  EXPECT_NE(early.err.find("has not passed"), std::string::npos) << early.describe();
  cast(id, 1, "yes");
  cast(id, 2, "yes");
  const harness::CommandResult restored = on(1, {"charter", "restore", offender, "--decision", id});
  ASSERT_TRUE(restored.ok()) << restored.describe();
  EXPECT_NE(restored.out.find("released from the guard's quarantine"), std::string::npos)
      << restored.out;
  EXPECT_EQ(held(), "") << "no longer in the guard's quarantine";
  EXPECT_EQ(lab_->delivered_to(1, kOpenPort), 20u) << "back in";
  EXPECT_FALSE(standing()["quarantined"].get<bool>());

  const harness::CommandResult again = on(1, {"charter", "restore", offender, "--decision", id});
  EXPECT_FALSE(again.ok()) << "a decision lifts its quarantine once";
  EXPECT_NE(audit_log(1).find("charter_restore"), std::string::npos);
}

}  // namespace
}  // namespace westworld::mesh_test

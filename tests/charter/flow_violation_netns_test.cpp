// Flow rules marked `violation: true` on a real router: a LAN host that sends to them is
// named by the kernel, recorded as the offender, and climbs the ladder one rule at a time
// (a continuing offence counts once a day, so three rules make three violations): warned,
// blocked, then held in the guard's quarantine with the charter as its origin, which an
// operator's `quarantine del` cannot lift. Another host is untouched.
#include "watchman_fixture.h"

namespace westworld::watchman_test {
namespace {

using namespace std::chrono_literals;

constexpr uint16_t kAllowedPort = 5555;

std::string policy() {
  std::string yaml = "version: 1\ncharter:\n  default: allow\n  flows:\n";
  for (int port : {6001, 6002, 6003})
    yaml += "    - {name: tracker-" + std::to_string(port) +
            ", action: deny, proto: udp, dst_ports: [" + std::to_string(port) +
            "], violation: true}\n";
  return yaml;
}

class FlowViolation : public WatchmanTest {
 protected:
  // Sends `count` datagrams from `host` to `port`; what arrived.
  uint64_t send(const std::string& host, uint16_t port, uint32_t count = 20) {
    Traffic traffic(*this, lab());
    traffic.listen(port);
    traffic.send(host, port, count, 1000);
    return traffic.finish()[host];
  }
  // The steps recorded against `offender`, oldest first.
  std::vector<std::string> steps_of(const std::string& offender) {
    std::vector<std::string> steps;
    const json reply = wwctl_json({"charter", "violations", "--json"});
    for (const json& v : reply["violations"])
      if (v["offender"] == offender) steps.insert(steps.begin(), v["step"].get<std::string>());
    return steps;
  }
};

TEST_F(FlowViolation, ASourceHittingViolationRulesClimbsTheLadderToAQuarantineOnlyADecisionLifts) {
  start_agent(write_policy("p.yaml", policy()));
  const std::string offender = Lab::host(1);
  ASSERT_GT(send(offender, kAllowedPort), 0u);

  const std::vector<std::string> ladder = {"warning", "telemetry_blocked", "quarantined"};
  for (size_t i = 0; i < ladder.size(); ++i) {
    EXPECT_EQ(send(offender, static_cast<uint16_t>(6001 + i)), 0u) << "the rule denies";
    const std::vector<std::string> expected(ladder.begin(), ladder.begin() + i + 1);
    EXPECT_TRUE(eventually(10s, [&] { return steps_of("source " + offender) == expected; }))
        << "after rule " << i + 1;
  }
  // The same rule again the same day is the same offence: no fourth step.
  send(offender, 6001);
  const json violations = wwctl_json({"charter", "violations", "--json"});
  EXPECT_EQ(violations["violations"].size(), 3u);
  EXPECT_EQ(violations["violations"][0]["violation_type"], "flow_rule");
  EXPECT_EQ(violations["violations"][0]["detail"], "rule tracker-6003");

  // Held by the guard with the charter as origin: nothing from the source passes now.
  json held;
  ASSERT_TRUE(eventually(10s, [&] {
    for (const json& q : wwctl_json({"quarantine", "list", "--json"}))
      if (q["source"] == offender) held = q;
    return !held.is_null();
  }));
  EXPECT_EQ(held["origin"], "charter");
  EXPECT_EQ(held["action"], "drop");
  EXPECT_EQ(send(offender, kAllowedPort), 0u);
  EXPECT_GT(send(Lab::host(2), kAllowedPort), 0u) << "another host is untouched";

  const CommandResult release = wwctl({"quarantine", "del", offender});
  EXPECT_EQ(release.exit_status, 1);
  EXPECT_NE(release.err.find("until a governance decision restores it"), std::string::npos)
      << release.err;
  EXPECT_EQ(send(offender, kAllowedPort), 0u);

  // Each violation is in the metrics under the original design's name.
  EXPECT_EQ(sample(metrics(), "westworld_charter_violations_total{offender=\"source " + offender +
                                  "\",severity=\"high\",violation_type=\"flow_rule\"}"),
            3.0);
}

}  // namespace
}  // namespace westworld::watchman_test

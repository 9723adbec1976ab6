// kill -9 under traffic: enforcement goes on without the agent, and a new
// agent re-adopts the pins with the quarantines and counters where they were.
#include <chrono>

#include "watchman_fixture.h"

namespace westworld::watchman_test {
namespace {

using namespace std::chrono_literals;

constexpr const char* kPolicy = R"(version: 1
anti_meave:
  quota: {pps: 200000, burst: 200000}
  detect:
    quarantine: {action: drop, ban_s: 600}
)";

constexpr uint16_t kPort = 7200;
constexpr const char* kQuarantineDrops =
    R"(westworld_dropped_packets_total{direction="ingress",reason="quarantine"})";

using WatchmanRestart = WatchmanTest;

uint64_t packets(const json& status, const char* group, const char* name) {
  return status[group]["ingress"][name]["packets"].get<uint64_t>();
}

TEST_F(WatchmanRestart, KillNineKeepsQuarantinesEnforcementAndCounters) {
  const auto policy = write_policy("p.yaml", kPolicy);
  start_agent(policy);
  const std::string held = Lab::host(1), free = Lab::host(2);
  ASSERT_TRUE(wwctl({"quarantine", "add", held, "--action", "drop"}).ok());

  Traffic traffic(*this, lab());
  traffic.listen(kPort);
  traffic.send(held, kPort, 500 * 8, 500);
  traffic.send(free, kPort, 500 * 8, 500);
  // The held source's packets are being dropped, and the metrics export the drops.
  double metric_before = -1;
  const bool exported_before = eventually(10s, [&] {
    metric_before = sample(metrics(), kQuarantineDrops).value_or(-1);
    return metric_before > 0;
  });
  EXPECT_TRUE(exported_before) << "no quarantine drops exported while the agent ran";
  const json before_kill = wwctl_json({"status", "--json"});

  kill_agent();
  // No agent: status reads the pins, and the guard is still dropping the held source.
  json without_agent;
  const bool still_dropping = eventually(10s, [&] {
    without_agent = wwctl_json({"status", "--json"});
    return packets(without_agent, "drops", "quarantine") >
           packets(before_kill, "drops", "quarantine");
  });
  EXPECT_TRUE(still_dropping) << "the guard dropped nothing more without the agent:\n"
                              << without_agent.dump(2);
  EXPECT_FALSE(without_agent["agent"]["running"].get<bool>());
  EXPECT_EQ(wwctl_json({"quarantine", "list", "--json"}).size(), 1u);

  start_agent(policy);
  EXPECT_NE(agent().stderr_text().find("1 quarantine(s) in place from before this agent started"),
            std::string::npos);
  const json list = wwctl_json({"quarantine", "list", "--json"});
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["source"], held);
  EXPECT_EQ(list[0]["origin"], "manual");
  EXPECT_TRUE(list[0]["enforced"].get<bool>());

  const std::map<std::string, uint64_t> received = traffic.finish();
  EXPECT_EQ(received.count(held) ? received.at(held) : 0, 0u) << "the held source got through";
  EXPECT_EQ(received.at(free), traffic.sent().at(free)) << "the free source lost packets";

  // Counters continued: nothing went back to zero across the restart.
  const json after = wwctl_json({"status", "--json"});
  EXPECT_GE(packets(after, "counters", "seen"), packets(without_agent, "counters", "seen"));
  EXPECT_GE(packets(after, "drops", "quarantine"), packets(without_agent, "drops", "quarantine"));
  EXPECT_EQ(after["policy"]["generation"], before_kill["policy"]["generation"]);
  const bool exported = eventually(5s, [&] {
    return sample(metrics(), kQuarantineDrops).value_or(-1) >=
           static_cast<double>(packets(after, "drops", "quarantine"));
  });
  EXPECT_TRUE(exported);
}

}  // namespace
}  // namespace westworld::watchman_test

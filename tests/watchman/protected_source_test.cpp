// Protected sources are never quarantined: a class marked `protected: true`,
// and the router's own addresses, whatever the detectors say.
#include <chrono>
#include <stdexcept>

#include "watchman_fixture.h"

namespace westworld::watchman_test {
namespace {

using namespace std::chrono_literals;

constexpr uint16_t kPort = 7100;

constexpr int kWarmupWindows = 3;  // rate_jump's, in policy()

std::string policy(const std::string& classes) {
  return R"(version: 1
anti_meave:
  quota: {pps: 200000, burst: 200000}
)" + classes +
         R"(  detect:
    rate_jump: {warmup_windows: 3, min_pps: 1000, persistence: 2}
    share_creep: {bound: 0.5, slack: 0.05, limit: 1.0, min_interface_pps: 100, min_sources: 3}
    quarantine: {action: drop, ban_s: 60}
)";
}

using WatchmanProtected = WatchmanTest;

// Floods from `flooder` among normal hosts; returns the alerts the agent raised about it.
json flood_and_collect_alerts(WatchmanTest& test, const Lab& lab, const std::string& flooder) {
  Traffic traffic(test, lab);
  for (int host = 2; host <= 4; ++host) traffic.send(Lab::host(host), kPort, 200 * 12, 200);
  traffic.send(flooder, kPort, 200 * (kWarmupWindows + 4), 200);
  // One window more than the warm-up: the first may have seen only part of the traffic.
  if (!test.wait_for_windows_with(flooder, kWarmupWindows + 1, 20s))
    throw std::runtime_error("the watchman did not see " + flooder + "'s normal traffic");
  traffic.send(flooder, kPort + 1, 20000 * 6, 20000);
  traffic.finish();
  json alerts = json::array();
  const json reply = test.wwctl_json({"alerts", "--json"});  // named: the loop reads into it
  for (const json& a : reply["alerts"])
    if (a["subject"] == flooder) alerts.push_back(a);
  return alerts;
}

TEST_F(WatchmanProtected, AProtectedClassIsNeverQuarantined) {
  start_agent(write_policy("p.yaml", policy(R"(  classes:
    - {name: core, src: [10.238.0.2/32], quota: unlimited, protected: true}
)")));
  const std::string flooder = Lab::host(1);
  const json alerts = flood_and_collect_alerts(*this, lab(), flooder);
  ASSERT_FALSE(alerts.empty()) << "the detectors should still see the flood";
  for (const json& a : alerts)
    EXPECT_NE(a["response"].get<std::string>().find("is protected (protected class 'core'"),
              std::string::npos)
        << a.dump();
  EXPECT_TRUE(wwctl_json({"quarantine", "list", "--json"}).empty());
  EXPECT_NE(agent().stderr_text().find("response: decline " + flooder + ": protected"),
            std::string::npos);

  // By hand neither.
  CommandResult manual = wwctl({"quarantine", "add", flooder});
  EXPECT_FALSE(manual.ok());
  EXPECT_NE(manual.err.find("is protected"), std::string::npos) << manual.describe();
}

TEST_F(WatchmanProtected, TheRoutersOwnAddressIsNeverQuarantined) {
  start_agent(write_policy("p.yaml", policy("")));
  // The LAN poses as the router: 10.238.9.1 is also on the router's loopback.
  const std::string own = Lab::router_alias();
  const json alerts = flood_and_collect_alerts(*this, lab(), own);
  ASSERT_FALSE(alerts.empty());
  for (const json& a : alerts)
    EXPECT_NE(a["response"].get<std::string>().find("is protected (router address " + own),
              std::string::npos)
        << a.dump();
  EXPECT_TRUE(wwctl_json({"quarantine", "list", "--json"}).empty());

  CommandResult manual = wwctl({"quarantine", "add", Lab::router_address()});
  EXPECT_FALSE(manual.ok());
  EXPECT_NE(manual.err.find("router address"), std::string::npos) << manual.describe();
  // An ordinary host can be quarantined by hand, and released.
  EXPECT_TRUE(wwctl({"quarantine", "add", Lab::host(3), "--ban", "30"}).ok());
  EXPECT_TRUE(wwctl({"quarantine", "del", Lab::host(3)}).ok());
}

}  // namespace
}  // namespace westworld::watchman_test

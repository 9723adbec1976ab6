// One LAN host floods: the watchman quarantines it within a few seconds, and
// the other hosts on the same link keep full delivery throughout.
#include <chrono>

#include "watchman_fixture.h"

namespace westworld::watchman_test {
namespace {

using namespace std::chrono_literals;

constexpr int kWarmupWindows = 4;  // rate_jump's, in kPolicy
constexpr const char* kPolicy = R"(version: 1
anti_meave:
  quota: {pps: 200000, burst: 200000}
  detect:
    rate_jump: {warmup_windows: 4, min_pps: 1000, persistence: 2}
    share_creep: {bound: 0.5, slack: 0.05, limit: 1.0, min_interface_pps: 100, min_sources: 3}
    quarantine: {action: drop, ban_s: 60, quiet_pps: 10, quiet_s: 5}
)";

constexpr uint16_t kPort = 7000;
constexpr uint16_t kFloodPort = 7001;  // nobody listens: the flood costs the receiver nothing
constexpr uint32_t kNormalPps = 200;
// The flooder's normal traffic lasts a few windows longer than its baseline needs.
constexpr uint32_t kBaselineSeconds = kWarmupWindows + 4;
constexpr uint32_t kFloodPps = 20000;
constexpr uint32_t kFloodPackets = 160000;  // 8 s
constexpr auto kQuarantineDeadline = 5s;

using WatchmanFlood = WatchmanTest;

bool quarantined(const json& list, const std::string& source) {
  for (const json& q : list)
    if (q["source"] == source && q["enforced"].get<bool>()) return true;
  return false;
}

TEST_F(WatchmanFlood, AFloodingSourceIsQuarantinedWhileTheOthersKeepFullDelivery) {
  start_agent(write_policy("p.yaml", kPolicy));
  const std::string flooder = Lab::host(1);
  Traffic traffic(*this, lab());
  traffic.listen(kPort);
  // Everyone, the future flooder too, sends normally for a while: the baselines.
  for (int host = 2; host <= hosts(); ++host)
    traffic.send(Lab::host(host), kPort, kNormalPps * 16, kNormalPps);
  traffic.send(flooder, kPort, kNormalPps * kBaselineSeconds, kNormalPps);
  // One window more than the warm-up: the first may have seen only part of the traffic.
  ASSERT_TRUE(wait_for_windows_with(flooder, kWarmupWindows + 1, 20s))
      << "the watchman did not see the flooder's normal traffic for its baseline";

  const auto flood_start = std::chrono::steady_clock::now();
  traffic.send(flooder, kFloodPort, kFloodPackets, kFloodPps);
  json view;
  const bool held = eventually(kQuarantineDeadline + 2s, [&] {
    return quarantined(wwctl_json({"quarantine", "list", "--json"}), flooder);
  });
  const auto delay = std::chrono::steady_clock::now() - flood_start;
  ASSERT_TRUE(held) << "not quarantined within " << (kQuarantineDeadline + 2s).count() << " s";
  std::printf("[ measured ] quarantined %.1f s after the flood started\n",
              std::chrono::duration<double>(delay).count());
  EXPECT_LE(delay, kQuarantineDeadline);

  // While the flood goes on, `wwctl top` shows the flooder held.
  view = wwctl_json({"top", "--once", "--json"});
  bool shown = false;
  for (const json& s : view["sources"])
    if (s["source"] == flooder) shown = s["state"] == "quarantined";
  EXPECT_TRUE(shown) << view.dump(2);

  const std::map<std::string, uint64_t> received = traffic.finish();
  for (int host = 2; host <= hosts(); ++host) {
    const std::string source = Lab::host(host);
    EXPECT_EQ(received.count(source) ? received.at(source) : 0, traffic.sent().at(source))
        << source << " lost packets; received: " << json(received).dump();
  }

  const json status = wwctl_json({"status", "--json"});
  EXPECT_GT(status["drops"]["ingress"]["quarantine"]["packets"].get<uint64_t>(), kFloodPackets / 4);
  const json alerts = wwctl_json({"alerts", "--json"});
  bool answered = false;
  for (const json& a : alerts["alerts"]) {
    if (a["subject"] != flooder) continue;
    EXPECT_GT(a["value"].get<double>(), 0);
    EXPECT_GT(a["threshold"].get<double>(), 0);
    EXPECT_GT(a["window_ms"].get<uint32_t>(), 0u);
    answered = answered || a["response"].get<std::string>().rfind("quarantined", 0) == 0;
  }
  EXPECT_TRUE(answered) << alerts.dump(2);
  // The log says what happened and why.
  EXPECT_NE(agent().stderr_text().find("response: quarantine " + flooder), std::string::npos);
}

}  // namespace
}  // namespace westworld::watchman_test

// The metrics as Prometheus sees them: `promtool check metrics` accepts the
// output, and a real Prometheus server scrapes the agent and finds the series.
#include <chrono>
#include <fstream>

#include "test_policies.h"
#include "watchman_fixture.h"
#include "westworld/harness/netns.h"

namespace westworld::watchman_test {
namespace {

using namespace std::chrono_literals;

std::string policy() {
  return harness::deny_port_policy({.name = "no-telnet", .ports = {23}, .direction = "both"},
                                   "anti_meave:\n  quota: {pps: 200000, burst: 200000}\n");
}
constexpr uint16_t kPrometheusPort = 9090;

using WatchmanPrometheus = WatchmanTest;

// Some traffic first, so per-rule, per-interface and per-source series exist.
void make_traffic(WatchmanTest& test, const Lab& lab) {
  Traffic traffic(test, lab);
  traffic.send(Lab::host(1), 7300, 600, 300);
  traffic.send(Lab::host(2), 23, 100, 100);
  traffic.finish();
}

TEST_F(WatchmanPrometheus, PromtoolAcceptsTheMetrics) {
  ASSERT_TRUE(harness::have_tool("promtool"))
      << "needs promtool (Debian prometheus; scripts/setup.sh installs it)";
  start_agent(write_policy("p.yaml", policy()));
  make_traffic(*this, lab());
  // A window that ends after the traffic: its counters and rates are in the metrics.
  ASSERT_TRUE(wait_for_next_window(10s)) << "the watchman finished no window in 10 s";
  const std::string text = metrics();
  for (const char* series :
       {"westworld_agent_build_info", "westworld_packets_total", "westworld_rule_packets_total",
        "westworld_dropped_packets_total", "westworld_sources_created_total",
        "westworld_sources_evicted_total", "westworld_ring_buffer_events_total",
        "westworld_policy_generation", "westworld_policy_last_apply_timestamp_seconds",
        "westworld_detector_alerts_total", "westworld_quarantined_sources",
        "westworld_interface_ingress_packets_per_second"})
    EXPECT_NE(text.find("\n" + std::string(series)), std::string::npos) << series;
  EXPECT_NE(text.find(R"(westworld_rule_packets_total{action="deny",rule="no-telnet"} 100)"),
            std::string::npos)
      << text;

  const std::filesystem::path file = work_dir() / "metrics.txt";
  std::ofstream(file) << text;
  CommandResult check = run_command({system_tool("promtool"), "check", "metrics"}, 30s, file);
  EXPECT_TRUE(check.ok()) << check.describe();
  EXPECT_EQ(check.out + check.err, "") << check.describe();
}

TEST_F(WatchmanPrometheus, ARealPrometheusScrapesTheAgent) {
  ASSERT_TRUE(harness::have_tool("prometheus"))
      << "needs prometheus (Debian prometheus; scripts/setup.sh installs it)";
  start_agent(write_policy("p.yaml", policy()));
  make_traffic(*this, lab());

  const std::filesystem::path config = work_dir() / "prometheus.yml";
  std::ofstream(config) << "global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
                           "scrape_configs:\n"
                           "  - job_name: westworld\n"
                           "    static_configs: [{targets: ['127.0.0.1:"
                        << kMetricsPort << "']}]\n";
  std::filesystem::create_directories(work_dir() / "tsdb");
  // In the router namespace, listening on its loopback only.
  ChildProcess prometheus(
      harness::in_namespace(lab().router_ns(),
                            {system_tool("prometheus"), "--config.file=" + config.string(),
                             "--storage.tsdb.path=" + (work_dir() / "tsdb").string(),
                             "--web.listen-address=127.0.0.1:" + std::to_string(kPrometheusPort)}),
      output("prometheus"));

  json targets;
  const bool up = eventually(60s, [&] {
    try {
      targets = json::parse(http_get(lab().router_ns(), kPrometheusPort, "/api/v1/targets"));
      for (const json& t : targets["data"]["activeTargets"])
        if (t["health"] == "up") return true;
    } catch (const std::exception&) {
    }
    return false;
  });
  ASSERT_TRUE(up) << targets.dump(2) << "\n" << prometheus.describe();

  json result;
  const bool found = eventually(30s, [&] {
    try {
      result = json::parse(http_get(lab().router_ns(), kPrometheusPort,
                                    "/api/v1/query?query=westworld_packets_total"));
      return result["status"] == "success" && !result["data"]["result"].empty();
    } catch (const std::exception&) {
      return false;
    }
  });
  ASSERT_TRUE(found) << result.dump(2);
  bool ingress_pass = false;
  for (const json& series : result["data"]["result"])
    ingress_pass = ingress_pass || (series["metric"]["direction"] == "ingress" &&
                                    series["metric"]["verdict"] == "pass" &&
                                    std::stod(series["value"][1].get<std::string>()) >= 600);
  EXPECT_TRUE(ingress_pass) << result.dump(2);
}

}  // namespace
}  // namespace westworld::watchman_test

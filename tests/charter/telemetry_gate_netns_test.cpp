// The telemetry gate on a real router: the agent in the router namespace runs the gate, a
// fake exporter there offers whitelisted, unknown and forbidden families, and a real
// Prometheus in the LAN namespace (the policy's collector) scrapes the gate. Only the
// whitelisted family arrives; the forbidden one is a violation wwctl shows and the agent
// counts; a scraper that is no collector is refused.
#include <fstream>

#include "watchman_fixture.h"
#include "westworld/harness/netns.h"

namespace westworld::watchman_test {
namespace {

using namespace std::chrono_literals;
using Lines = std::vector<std::string>;

constexpr uint16_t kExporterPort = 9100;
constexpr uint16_t kGatePort = 9101;
constexpr uint16_t kPrometheusPort = 9090;
const std::string kExporterUrl = "http://127.0.0.1:9100/metrics";

constexpr const char* kOffered = R"(# HELP latency_p50 Median link latency in seconds.
# TYPE latency_p50 gauge
latency_p50{link="wan"} 0.012
# TYPE cpu_usage_percent gauge
cpu_usage_percent 41
# TYPE node_boot_time_seconds gauge
node_boot_time_seconds 1.7e9
# HELP user_location Where the user is.
# TYPE user_location gauge
user_location{city="somewhere"} 1
)";

std::string policy() {
  return "version: 1\n"
         "charter:\n"
         "  default: allow\n"
         "  telemetry:\n"
         "    whitelist:\n"
         "      - {name: latency_p50, access: public, retention_days: 30}\n"
         "      - {name: cpu_usage_percent, access: operator, retention_days: 30}\n"
         "    forbidden:\n"
         "      - {name: user_location, severity: critical, reason: where a person is}\n"
         "    collectors:\n"
         // No ports: nothing but the gate may send the collector anything, so Prometheus
         // reaching the gate proves the kernel lets the gate's own replies out.
         "      - {address: [" +
         Lab::host(1) +
         "/32]}\n"
         "    exporters: [" +
         kExporterUrl + "]\n";
}

Lines family_names(const std::string& exposition) {
  Lines names;
  std::istringstream lines(exposition);
  for (std::string line; std::getline(lines, line);)
    if (line.starts_with("# TYPE ")) names.push_back(line.substr(7, line.find(' ', 7) - 7));
  return names;
}

class CharterGate : public WatchmanTest {
 protected:
  // `listen` 0.0.0.0 plays an exporter that listens on every address, as many do.
  void start_exporter(const std::string& listen = "127.0.0.1") {
    const std::filesystem::path file = work_dir() / "exposition.txt";
    std::ofstream(file) << kOffered;
    exporter_.emplace(
        harness::in_namespace(lab().router_ns(), {WW_FAKE_EXPORTER_BIN, "--listen",
                                                  listen + ":" + std::to_string(kExporterPort),
                                                  "--file", file.string()}),
        output("exporter"));
    ASSERT_TRUE(eventually(10s, [&] {
      try {
        http_get(lab().router_ns(), kExporterPort, "/metrics");
        return true;
      } catch (const std::exception&) {
        return false;
      }
    })) << exporter_->describe();
  }

  // `ww-traffic send` in `ns` as `uid` (setpriv), to completion; its JSON report.
  json send(const std::string& ns, uint32_t uid, const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"setpriv",
                                     "--reuid=" + std::to_string(uid),
                                     "--regid=" + std::to_string(uid),
                                     "--clear-groups",
                                     WW_TRAFFIC_BIN,
                                     "send"};
    argv.insert(argv.end(), args.begin(), args.end());
    const CommandResult result = run_command(harness::in_namespace(ns, argv), 30s);
    if (!result.ok()) throw std::runtime_error(result.describe());
    return json::parse(result.out);
  }

  std::optional<ChildProcess> exporter_;
};

TEST_F(CharterGate, ARealPrometheusGetsOnlyTheWhitelistedFamily) {
  ASSERT_TRUE(harness::have_tool("prometheus"))
      << "needs prometheus (Debian prometheus; scripts/setup.sh installs it)";
  start_exporter();
  start_agent(write_policy("p.yaml", policy()),
              {"--telemetry-gate", Lab::router_address() + ":" + std::to_string(kGatePort)});
  // What the exporter offers, read directly on the router: all four families.
  EXPECT_EQ(family_names(http_get(lab().router_ns(), kExporterPort, "/metrics")),
            (Lines{"latency_p50", "cpu_usage_percent", "node_boot_time_seconds", "user_location"}));

  const std::filesystem::path config = work_dir() / "prometheus.yml";
  std::ofstream(config) << "global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
                           "scrape_configs:\n"
                           "  - job_name: gate\n"
                           "    static_configs: [{targets: ['"
                        << Lab::router_address() << ":" << kGatePort << "']}]\n";
  std::filesystem::create_directories(work_dir() / "tsdb");
  ChildProcess prometheus(
      harness::in_namespace(lab().lan_ns(),
                            {system_tool("prometheus"), "--config.file=" + config.string(),
                             "--storage.tsdb.path=" + (work_dir() / "tsdb").string(),
                             "--web.listen-address=127.0.0.1:" + std::to_string(kPrometheusPort)}),
      output("prometheus"));

  json names;
  const bool scraped = eventually(60s, [&] {
    try {
      names =
          json::parse(http_get(lab().lan_ns(), kPrometheusPort, "/api/v1/label/__name__/values"));
      for (const json& name : names["data"])
        if (name == "latency_p50") return true;
    } catch (const std::exception&) {
    }
    return false;
  });
  ASSERT_TRUE(scraped) << names.dump(2) << "\n" << prometheus.describe();
  const json up = json::parse(http_get(lab().lan_ns(), kPrometheusPort, "/api/v1/query?query=up"));
  EXPECT_EQ(up["data"]["result"].at(0)["value"][1], "1") << up.dump(2);
  // Two more scrapes (the forbidden family offered again, each a repeat), so anything the
  // gate let slip would have arrived too.
  const std::string offender = "offender=\"" + kExporterUrl + "\"";
  const std::string repeats =
      "westworld_charter_forbidden_metric_attempts_total{metric_name="
      "\"user_location\"," +
      offender + ",status=\"repeat\"}";
  std::string text;
  ASSERT_TRUE(eventually(30s, [&] {
    text = metrics();
    return sample(text, repeats).value_or(0) >= 2;
  })) << text;
  names = json::parse(http_get(lab().lan_ns(), kPrometheusPort, "/api/v1/label/__name__/values"));
  for (const char* withheld : {"cpu_usage_percent", "node_boot_time_seconds", "user_location"})
    for (const json& name : names["data"]) EXPECT_NE(name, withheld) << names.dump(2);

  // The forbidden family is one violation (a warning), whatever the number of scrapes.
  const json violations = wwctl_json({"charter", "violations", "--json"});
  ASSERT_EQ(violations["violations"].size(), 1u) << violations.dump(2);
  EXPECT_EQ(violations["violations"][0]["offender"], kExporterUrl);
  EXPECT_EQ(violations["violations"][0]["detail"], "user_location");
  EXPECT_EQ(violations["violations"][0]["severity"], "critical");
  EXPECT_EQ(violations["violations"][0]["step"], "warning");
  const CommandResult report = wwctl({"charter", "report"});
  EXPECT_TRUE(report.ok()) << report.describe();
  EXPECT_NE(report.out.find("warned; next within 30 days: telemetry blocked for 24 h"),
            std::string::npos)
      << report.out;

  text = metrics();
  EXPECT_EQ(sample(text, "westworld_charter_violations_total{" + offender +
                             ",severity=\"critical\",violation_type=\"forbidden_metric\"}"),
            1.0)
      << text;
  EXPECT_GE(sample(text, "westworld_charter_withheld_families_total{" + offender + "}").value_or(0),
            9.0)  // three families a scrape
      << text;
}

TEST_F(CharterGate, AScraperThatIsNoCollectorIsRefused) {
  start_exporter();
  // On the router's loopback, where no collector is.
  start_agent(write_policy("p.yaml", policy()),
              {"--telemetry-gate", "127.0.0.1:" + std::to_string(kGatePort)});
  EXPECT_THROW(http_get(lab().router_ns(), kGatePort, "/metrics"), std::runtime_error);
  EXPECT_EQ(sample(metrics(), "westworld_charter_refused_scrapes_total"), 1.0);
  EXPECT_TRUE(wwctl_json({"charter", "violations", "--json"})["violations"].empty());
}

TEST_F(CharterGate, TheKernelDropsTelemetryAroundTheGateAndNamesItsSender) {
  start_exporter("0.0.0.0");  // reachable from the LAN, were it not for the guard
  start_agent(write_policy("p.yaml", policy()),
              {"--telemetry-gate", Lab::router_address() + ":" + std::to_string(kGatePort)});
  constexpr uint32_t kNobody = 65534;

  // A process on the router sends to the collector's port itself: dropped on tc egress.
  harness::TrafficReceiver collector(lab().lan_ns(), kPrometheusPort, output("collector"));
  const json sent = send(lab().router_ns(), kNobody,
                         {"--dst", Lab::host(1), "--dport", std::to_string(kPrometheusPort),
                          "--count", "5", "--proto", "udp"});
  EXPECT_EQ(collector.finish().from(Lab::router_address()), 0u) << sent.dump();
  // The collector scrapes the exporter directly instead of the gate: dropped at XDP. Another
  // LAN host is no collector and reaches it.
  const json scrape =
      send(lab().lan_ns(), 0,
           {"--dst", Lab::router_address(), "--dport", std::to_string(kExporterPort), "--src",
            Lab::host(1), "--count", "1", "--proto", "tcp", "--connect-timeout-ms", "500"});
  EXPECT_EQ(scrape["connected"], 0) << scrape.dump();
  const json other =
      send(lab().lan_ns(), 0,
           {"--dst", Lab::router_address(), "--dport", std::to_string(kExporterPort), "--src",
            Lab::host(2), "--count", "1", "--proto", "tcp", "--connect-timeout-ms", "2000"});
  EXPECT_EQ(other["connected"], 1) << other.dump();

  const std::string text = metrics();
  EXPECT_GE(
      sample(text,
             R"(westworld_dropped_packets_total{direction="egress",reason="telemetry_bypass"})")
          .value_or(0),
      5.0)
      << text;
  EXPECT_GE(
      sample(text,
             R"(westworld_dropped_packets_total{direction="ingress",reason="telemetry_scrape"})")
          .value_or(0),
      1.0)
      << text;
  EXPECT_GE(
      sample(
          text,
          R"(westworld_rule_packets_total{action="deny",rule="charter.telemetry.direct-scrape"})")
          .value_or(0),
      1.0)
      << text;

  // The agent names the sender by uid: a gate_bypass violation, a warning the first time.
  json violations;
  ASSERT_TRUE(eventually(15s, [&] {
    violations = wwctl_json({"charter", "violations", "--json"});
    for (const json& v : violations["violations"])
      if (v["violation_type"] == "gate_bypass") return true;
    return false;
  })) << violations.dump(2);
  const json& bypass = violations["violations"][0];
  EXPECT_EQ(bypass["offender"], "uid 65534 (nobody)") << bypass.dump();
  EXPECT_EQ(bypass["step"], "warning");
  EXPECT_EQ(bypass["severity"], "high");
}

}  // namespace
}  // namespace westworld::watchman_test

// prometheus(QUERY) gates asked of a real Prometheus: Debian's server, started on loopback by
// the test, scrapes ww-fake-exporter's fixed exposition every second, and the real query
// client judges gates against it: within the threshold passes, over it fails, a query that
// selects nothing or that Prometheus refuses is no data, several series fail, and a
// Prometheus nobody runs is no data too. $nodes is checked against real PromQL: the escaped
// dot of "r1.riverside" must not select "r1xriverside".
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>

#include "etcd_cluster.h"  // free_local_port
#include "westworld/governance/prometheus_query.h"
#include "westworld/governance/query_gate.h"
#include "westworld/harness/child_process.h"
#include "westworld/harness/polling.h"
#include "westworld/harness/text_file.h"
#include "westworld/harness/tool_paths.h"

namespace westworld::governance {
namespace {

using namespace std::chrono_literals;
using harness::ChildProcess;
using Kind = QueryGateVerdict::Kind;

// One gauge per node; "r1xriverside" is what an unescaped "r1.riverside" would also match.
constexpr const char* kExposition =
    "# TYPE westworld_gate_test_drops gauge\n"
    "westworld_gate_test_drops{node=\"r1.riverside\"} 12\n"
    "westworld_gate_test_drops{node=\"r2.riverside\"} 30\n"
    "westworld_gate_test_drops{node=\"r1xriverside\"} 500\n";

const std::string kSumGate = R"(prometheus(sum(westworld_gate_test_drops{node=~"$nodes"})) <= 50)";

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

// The exporter and Prometheus, started once for the suite (Prometheus takes seconds to come
// up and scrape); each test only asks.
class PrometheusGate : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!harness::have_tool("prometheus")) return;
    dir_ = std::filesystem::temp_directory_path() /
           ("ww-prometheus-gate-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ / "tsdb");
    harness::write_text_file(dir_ / "exposition.txt", kExposition);
    const std::string exporter_address = "127.0.0.1:" + std::to_string(harness::free_local_port());
    exporter_ = new ChildProcess({WW_FAKE_EXPORTER_BIN, "--listen", exporter_address, "--file",
                                  (dir_ / "exposition.txt").string()},
                                 {dir_ / "exporter.log", dir_ / "exporter.log"});
    harness::write_text_file(dir_ / "prometheus.yml",
                             "global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
                             "scrape_configs:\n"
                             "  - job_name: gate\n"
                             "    static_configs: [{targets: ['" +
                                 exporter_address + "']}]\n");
    const std::string port = std::to_string(harness::free_local_port());
    prometheus_ = new ChildProcess(
        {harness::system_tool("prometheus"), "--config.file=" + (dir_ / "prometheus.yml").string(),
         "--storage.tsdb.path=" + (dir_ / "tsdb").string(),
         "--web.listen-address=127.0.0.1:" + port},
        {dir_ / "prometheus.log", dir_ / "prometheus.log"});
    client_ = new PrometheusQuery(parse_prometheus_url("http://127.0.0.1:" + port));
    // Up once every series of the exposition has been scraped, asked through the client.
    ready_ = harness::eventually(60s, [] {
      const QueryResult r = client_->query("count(westworld_gate_test_drops)");
      return r.kind == QueryResult::Kind::value && r.value == 3;
    });
  }

  static void TearDownTestSuite() {
    delete client_;
    delete prometheus_;  // killed by PID and reaped
    delete exporter_;
    client_ = nullptr;
    prometheus_ = exporter_ = nullptr;
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  void SetUp() override {
    ASSERT_TRUE(harness::have_tool("prometheus"))
        << "needs prometheus (Debian prometheus; scripts/setup.sh installs it)";
    ASSERT_TRUE(ready_) << "Prometheus did not scrape the exporter within 60 s\n"
                        << exporter_->describe() << "\n"
                        << harness::read_text_file(dir_ / "exporter.log") << "\n"
                        << prometheus_->describe() << "\n"
                        << harness::read_text_file(dir_ / "prometheus.log");
  }

  static QueryGateVerdict judge(const std::string& gate, const std::vector<std::string>& nodes) {
    return judge_query_gate(parse_gate(gate), client_, nodes);
  }

  static inline std::filesystem::path dir_;
  static inline ChildProcess* exporter_ = nullptr;
  static inline ChildProcess* prometheus_ = nullptr;
  static inline PrometheusQuery* client_ = nullptr;
  static inline bool ready_ = false;
};

TEST_F(PrometheusGate, WithinTheThresholdPasses) {
  const QueryGateVerdict verdict = judge(kSumGate, {"r1.riverside", "r2.riverside"});
  EXPECT_EQ(verdict.kind, Kind::pass) << verdict.detail;
  EXPECT_TRUE(contains(verdict.detail, "holds: value = 42")) << verdict.detail;
}

// The escaped dot selects r1.riverside alone: 12, not 12 + 500.
TEST_F(PrometheusGate, NodesSelectExactlyTheWave) {
  const QueryGateVerdict verdict = judge(
      R"(prometheus(sum(westworld_gate_test_drops{node=~"$nodes"})) == 12)", {"r1.riverside"});
  EXPECT_EQ(verdict.kind, Kind::pass) << verdict.detail;
}

TEST_F(PrometheusGate, OverTheThresholdFails) {
  const QueryGateVerdict verdict = judge(kSumGate, {"r1.riverside", "r1xriverside"});
  EXPECT_EQ(verdict.kind, Kind::fail) << verdict.detail;
  EXPECT_TRUE(contains(verdict.detail, "failed: value = 512")) << verdict.detail;
}

TEST_F(PrometheusGate, AQuerySelectingNothingIsNoData) {
  const QueryGateVerdict verdict = judge(kSumGate, {"r9"});
  EXPECT_EQ(verdict.kind, Kind::no_data) << verdict.detail;
  EXPECT_TRUE(contains(verdict.detail, "the query selected nothing")) << verdict.detail;
}

TEST_F(PrometheusGate, SeveralSeriesFail) {
  const QueryGateVerdict verdict =
      judge(R"(prometheus(westworld_gate_test_drops{node=~"$nodes"}) <= 50)",
            {"r1.riverside", "r2.riverside"});
  EXPECT_EQ(verdict.kind, Kind::fail) << verdict.detail;
  EXPECT_TRUE(contains(verdict.detail, "the query returned 2 series")) << verdict.detail;
}

// A query Prometheus cannot parse: signed into the proposal, so it stays no data until the
// rollout aborts.
TEST_F(PrometheusGate, AQueryPrometheusRefusesIsNoData) {
  const QueryGateVerdict verdict = judge("prometheus(sum(westworld_gate_test_drops) +) <= 1", {});
  EXPECT_EQ(verdict.kind, Kind::no_data) << verdict.detail;
  EXPECT_TRUE(verdict.answered);
  EXPECT_TRUE(contains(verdict.detail, "HTTP 400, Prometheus says bad_data")) << verdict.detail;
}

TEST_F(PrometheusGate, NoPrometheusListeningIsNoData) {
  PrometheusQuery nobody(
      parse_prometheus_url("http://127.0.0.1:" + std::to_string(harness::free_local_port())));
  const QueryGateVerdict verdict = judge_query_gate(parse_gate(kSumGate), &nobody, {"r1"});
  EXPECT_EQ(verdict.kind, Kind::no_data) << verdict.detail;
  EXPECT_FALSE(verdict.answered);
  EXPECT_TRUE(contains(verdict.detail, "connect: ")) << verdict.detail;
}

}  // namespace
}  // namespace westworld::governance

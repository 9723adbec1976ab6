// The telemetry gate against a real exporter: an HTTP server on loopback (the agent's own
// metrics server, serving a fixed exposition) read over real sockets, in one io_context.
#include "westworld/charter/telemetry_gate.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "scratch_dir.h"
#include "westworld/agent/metrics_server.h"
#include "westworld/charter/exposition.h"

namespace westworld::charter {
namespace {

namespace asio = boost::asio;
using std::chrono::hours;

constexpr const char* kOffered = R"(# HELP latency_p50 Median latency in seconds.
# TYPE latency_p50 gauge
latency_p50{link="wan"} 0.012
# TYPE cpu_usage_percent gauge
cpu_usage_percent 41
# TYPE node_boot_time_seconds gauge
node_boot_time_seconds 1.7e9
# TYPE user_location gauge
user_location{city="x"} 1
)";

// What the gate told the agent.
struct Recorder final : GateObserver {
  std::vector<Violation> violations;
  std::vector<std::string> offers, failures, refusals;
  size_t withheld = 0, validated = 0;
  void violation_recorded(const Violation& v) override { violations.push_back(v); }
  void forbidden_offered(const std::string& metric, const std::string&,
                         const char* status) override {
    offers.push_back(metric + ":" + status);
  }
  void families_withheld(const std::string&, size_t n) override { withheld += n; }
  void exporter_failed(const std::string&, const std::string& error) override {
    failures.push_back(error);
  }
  void scrape_refused(const asio::ip::address&, const std::string& why) override {
    refusals.push_back(why);
  }
  void scrape_validated(std::chrono::nanoseconds) override { ++validated; }
};

class TelemetryGateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ledger_.emplace(ViolationLedger::open(dir_ / "charter.db", clock_));
    exporter_.emplace(io_, "127.0.0.1:0", [this] { return offered_; });
    settings_.present = true;
    settings_.whitelist = {{"latency_p50", policy::MetricAccess::public_access, 30, {}},
                           {"cpu_usage_percent", policy::MetricAccess::operator_only, 30, {}}};
    settings_.forbidden = {{"user_location", policy::ViolationSeverity::critical, "where", {}}};
    settings_.collectors = {
        {{*policy::parse_cidr("127.0.0.1/32")}, {}, policy::MetricAccess::public_access, {}},
        {{*policy::parse_cidr("127.0.0.2/32")}, {}, policy::MetricAccess::operator_only, {}}};
    settings_.exporters = {exporter_at(exporter_->endpoint().port())};
    gate_.emplace(
        io_, [this] { return settings_; }, *ledger_, recorder_, clock_);
  }

  static policy::Exporter exporter_at(uint16_t port) {
    policy::Exporter e;
    e.url = "http://127.0.0.1:" + std::to_string(port) + "/metrics";
    e.host = "127.0.0.1";
    e.port = port;
    e.path = "/metrics";
    return e;
  }

  // One scrape from `peer`, run to its answer.
  std::pair<unsigned, std::string> scrape(const char* peer = "127.0.0.1") {
    std::optional<std::pair<unsigned, std::string>> answer;
    gate_->scrape(asio::ip::make_address(peer), [&](unsigned status, std::string body) {
      answer.emplace(status, std::move(body));
    });
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!answer && std::chrono::steady_clock::now() < deadline)
      io_.run_for(std::chrono::milliseconds(50));
    if (!answer) throw std::runtime_error("the gate never answered");
    return *answer;
  }

  static std::vector<std::string> family_names(const std::string& body) {
    std::vector<std::string> names;
    for (const auto& family : parse_exposition(body)) names.push_back(family.name);
    return names;
  }

  harness::ScratchDir dir_{"ww-gate"};
  common::ManualClock clock_{common::UnixSeconds{std::chrono::seconds(1'790'000'000)}};
  asio::io_context io_;
  std::string offered_ = kOffered;
  std::optional<ViolationLedger> ledger_;
  std::optional<agent::MetricsServer> exporter_;
  policy::TelemetrySettings settings_;
  Recorder recorder_;
  std::optional<TelemetryGate> gate_;
};

using Names = std::vector<std::string>;

TEST_F(TelemetryGateTest, ACollectorGetsOnlyWhitelistedFamiliesAndAForbiddenOneIsAViolation) {
  const auto [status, body] = scrape();
  EXPECT_EQ(status, 200u);
  EXPECT_EQ(family_names(body), Names{"latency_p50"});
  EXPECT_NE(body.find("latency_p50{link=\"wan\"} 0.012"), std::string::npos) << body;
  EXPECT_EQ(body.find("user_location"), std::string::npos);
  EXPECT_EQ(recorder_.withheld, 3u);  // operator-only, unknown, forbidden
  ASSERT_EQ(recorder_.violations.size(), 1u);
  EXPECT_EQ(recorder_.violations[0].report.offender, settings_.exporters[0].url);
  EXPECT_EQ(recorder_.violations[0].report.detail, "user_location");
  EXPECT_EQ(recorder_.violations[0].step, EscalationStep::warning);
  EXPECT_EQ(recorder_.offers, Names{"user_location:violation"});
  EXPECT_EQ(recorder_.validated, 1u);
}

TEST_F(TelemetryGateTest, AnOperatorCollectorAlsoGetsOperatorFamilies) {
  EXPECT_EQ(family_names(scrape("127.0.0.2").second), (Names{"latency_p50", "cpu_usage_percent"}));
}

TEST_F(TelemetryGateTest, TheSecondViolationADayLaterBlocksTheExporterFor24Hours) {
  scrape();
  scrape();  // the same offence the same day: a repeat, not a second violation
  EXPECT_EQ(recorder_.offers, (Names{"user_location:violation", "user_location:repeat"}));
  clock_.advance(hours(24));
  const auto [status, body] = scrape();
  EXPECT_EQ(status, 200u);
  EXPECT_TRUE(family_names(body).empty()) << body;  // blocked: nothing of it is served
  ASSERT_EQ(recorder_.violations.size(), 2u);
  EXPECT_EQ(recorder_.violations[1].step, EscalationStep::telemetry_blocked);
  offered_ = "latency_p50 0.01\n";  // it stops offering the forbidden metric, still blocked
  clock_.advance(hours(23));
  EXPECT_TRUE(family_names(scrape().second).empty());
  clock_.advance(hours(1));
  EXPECT_EQ(family_names(scrape().second), Names{"latency_p50"});
}

TEST_F(TelemetryGateTest, AnAddressThatIsNoCollectorIsRefused) {
  const auto [status, body] = scrape("10.9.9.9");
  EXPECT_EQ(status, 403u);
  EXPECT_EQ(recorder_.refusals.size(), 1u);
  EXPECT_EQ(recorder_.validated, 0u);  // no exporter was read for it
}

TEST_F(TelemetryGateTest, AMalformedExpositionIsWithheldWhole) {
  offered_ = "latency_p50 0.01\nlatency_p50{city=\"x} 1\n";
  const auto [status, body] = scrape();
  EXPECT_EQ(status, 200u);
  EXPECT_TRUE(family_names(body).empty());
  ASSERT_EQ(recorder_.failures.size(), 1u);
  EXPECT_NE(recorder_.failures[0].find("line 2"), std::string::npos) << recorder_.failures[0];
}

TEST_F(TelemetryGateTest, AnUnreachableExporterIsCountedAndTheOthersStillServed) {
  settings_.exporters.insert(settings_.exporters.begin(), exporter_at(1));  // nothing listens
  const auto [status, body] = scrape();
  EXPECT_EQ(status, 200u);
  EXPECT_EQ(family_names(body), Names{"latency_p50"});
  ASSERT_EQ(recorder_.failures.size(), 1u);
  EXPECT_NE(recorder_.failures[0].find("connect"), std::string::npos) << recorder_.failures[0];
}

TEST_F(TelemetryGateTest, WithoutATelemetrySectionNothingIsServed) {
  settings_ = {};
  EXPECT_EQ(scrape().first, 503u);
}

}  // namespace
}  // namespace westworld::charter

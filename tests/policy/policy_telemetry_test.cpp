// charter.telemetry: the shipped charter loads whole; every way to get it wrong is an error
// at its line and column, and a bad section rejects the whole policy.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "policy_test_util.h"
#include "westworld/policy/compiled_policy.h"
#include "westworld/policy/enforced_rules.h"
#include "westworld/policy/limits.h"
#include "westworld/policy/matcher.h"

namespace westworld::policy {
namespace {

using testing::diagnostics_of;
using testing::load_clean;
using Lines = std::vector<std::string>;

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(PolicyTelemetry, TheOriginalChartersThirteenAndSixLoad) {
  const Policy policy = load_clean(read_file(WW_POLICIES_DIR "/charter-telemetry.yaml"));
  const TelemetrySettings& t = policy.telemetry;
  EXPECT_TRUE(t.present);
  ASSERT_EQ(t.whitelist.size(), 13u);
  ASSERT_EQ(t.forbidden.size(), 6u);
  EXPECT_EQ(t.whitelist[0].name, "latency_p50");
  EXPECT_EQ(t.whitelist[6].access, MetricAccess::operator_only);
  EXPECT_EQ(t.whitelist[12].retention_days, 1000u);
  EXPECT_EQ(t.forbidden[0].severity, ViolationSeverity::critical);
  EXPECT_EQ(t.forbidden[5].severity, ViolationSeverity::high);
  ASSERT_EQ(t.collectors.size(), 2u);
  EXPECT_EQ(t.collectors[0].ports.at(0).first, 9090);
  EXPECT_EQ(t.collectors[1].access, MetricAccess::operator_only);
  ASSERT_EQ(t.exporters.size(), 1u);
  EXPECT_EQ(t.exporters[0].url, "http://127.0.0.1:9100/metrics");
}

TEST(PolicyTelemetry, ExportersAreSplitIntoAddressPortAndPath) {
  const Policy policy = load_clean(R"(version: 1
charter:
  telemetry:
    exporters: [http://127.0.0.2:9100/metrics, "http://[::1]:8080", "http://localhost/m?x=1"]
    collectors:
      - {address: [10.0.0.5], access: operator}
      - {address: [10.0.0.6]}
)");
  const auto& e = policy.telemetry.exporters;
  ASSERT_EQ(e.size(), 3u);
  EXPECT_EQ(e[0].host, "127.0.0.2");
  EXPECT_EQ(e[0].port, 9100);
  EXPECT_EQ(e[0].path, "/metrics");
  EXPECT_EQ(e[1].host, "::1");
  EXPECT_EQ(e[1].port, 8080);
  EXPECT_EQ(e[1].path, "/");
  EXPECT_EQ(e[2].host, "127.0.0.1");  // localhost without asking a resolver
  EXPECT_EQ(e[2].port, 80);
  EXPECT_EQ(e[2].path, "/m?x=1");
  EXPECT_EQ(e[2].where.line, 4);
  EXPECT_EQ(policy.telemetry.collectors[0].access, MetricAccess::operator_only);
  EXPECT_EQ(policy.telemetry.collectors[1].access, MetricAccess::public_access);
}

TEST(PolicyTelemetry, AnExporterPortMustBeANumberInRange) {
  for (const char* url : {"http://127.0.0.1:0/m", "http://127.0.0.1:65536/m", "http://127.0.0.1:/m",
                          "http://127.0.0.1:9x/m", "http://[::1/m", "http://[::2]:80/m",
                          "http://localhost.evil:80/m"})
    EXPECT_EQ(diagnostics_of(std::string("version: 1\ncharter:\n  telemetry:\n    exporters: [\"") +
                             url + "\"]\n")
                  .size(),
              1u)
        << url;
}

TEST(PolicyTelemetry, APolicyWithoutTheSectionHasNone) {
  EXPECT_FALSE(load_clean("version: 1\n").telemetry.present);
}

TEST(PolicyTelemetry, AMetricBothWhitelistedAndForbiddenIsAnError) {
  EXPECT_EQ(diagnostics_of(R"(version: 1
charter:
  telemetry:
    forbidden:
      - {name: user_location, severity: critical, reason: where}
    whitelist:
      - {name: user_location, access: public, retention_days: 1}
)"),
            Lines{"p.yaml:5:16: error: metric 'user_location' is both forbidden and whitelisted "
                  "(line 7)"});
}

TEST(PolicyTelemetry, EveryFieldIsChecked) {
  EXPECT_EQ(
      diagnostics_of(R"(version: 1
charter:
  telemetry:
    whitelist:
      - {name: a, access: everyone, retention_days: 1}
      - {name: 9lives, access: public, retention_days: 1}
      - {name: b, access: public, retention_days: 0}
      - {name: c, access: public}
      - {name: d, access: public, retention_days: 1}
      - {name: d, access: operator, retention_days: 2}
    forbidden:
      - {name: e, severity: grave, reason: x}
      - {name: f, severity: low, reason: ""}
    exporters: [http://10.0.0.1:9100/metrics, https://127.0.0.1/metrics]
    collectors:
      - {ports: [9090]}
)"),
      (Lines{
          "p.yaml:5:27: error: unknown access 'everyone'; expected public or operator",
          "p.yaml:6:16: error: metric name must be a Prometheus name ([a-zA-Z_:][a-zA-Z0-9_:]*, "
          "at most 200 characters)",
          "p.yaml:7:51: error: retention_days must be between 1 and 36500, not 0",
          "p.yaml:8:9: error: whitelisted metric is missing required field 'retention_days'",
          "p.yaml:10:16: error: whitelisted metric 'd' is listed twice (first on line 9)",
          "p.yaml:12:29: error: unknown severity 'grave'; expected low, medium, high or "
          "critical",
          "p.yaml:13:42: error: reason must not be empty",
          "p.yaml:14:17: error: exporter 'http://10.0.0.1:9100/metrics' must be on this node: "
          "http://127.0.0.1:PORT/PATH, http://[::1]:PORT/PATH or http://localhost:PORT/PATH",
          "p.yaml:14:47: error: exporter 'https://127.0.0.1/metrics' must be on this node: "
          "http://127.0.0.1:PORT/PATH, http://[::1]:PORT/PATH or http://localhost:PORT/PATH",
          "p.yaml:16:9: error: collector is missing required field 'address'",
      }));
}

TEST(PolicyTelemetry, ACollectorADenyRuleBlocksIsAnError) {
  EXPECT_EQ(diagnostics_of(R"(version: 1
charter:
  flows:
    - {name: no-export, action: deny, direction: egress, proto: tcp, dst_ports: [9000-9100]}
  telemetry:
    collectors:
      - {address: [10.0.0.5], ports: [9090]}
)"),
            Lines{"p.yaml:7:9: error: collector overlaps deny rule 'no-export' (line 4): "
                  "telemetry to it would be dropped"});
  // The same rule on another port, or ingress only, leaves the collector reachable.
  load_clean(R"(version: 1
charter:
  flows:
    - {name: no-export, action: deny, direction: egress, proto: tcp, dst_ports: [9000-9089]}
    - {name: inbound, action: deny, direction: ingress, proto: tcp, dst_ports: [9090]}
  telemetry:
    collectors:
      - {address: [10.0.0.5], ports: [9090]}
)");
}

TEST(PolicyTelemetry, ABadSectionRejectsThePolicyWhole) {
  const LoadResult result = load_policy_text(R"(version: 1
charter:
  default: deny
  telemetry:
    whitelist: [{name: a, access: public, retention_days: -1}]
)",
                                             "p.yaml");
  EXPECT_FALSE(result.policy.has_value());
}

TEST(PolicyTelemetry, TheSectionIsPartOfThePolicyDigest) {
  const auto digest = [](const std::string& telemetry) {
    return compile(load_clean("version: 1\ncharter:\n  telemetry:\n" + telemetry)).digest_hex;
  };
  const std::string whitelist = "    whitelist: [{name: a, access: public, retention_days: 1}]\n";
  const std::string forbidden = "    forbidden: [{name: b, severity: low, reason: r}]\n";
  // What may leave the node is what a digest approves: any change is another policy.
  EXPECT_NE(digest(whitelist), digest(whitelist + forbidden));
  EXPECT_NE(digest(whitelist),
            digest("    whitelist: [{name: a, access: operator, retention_days: 1}]\n"));
  // Where the lines stand is not.
  EXPECT_EQ(digest(whitelist + forbidden), digest(forbidden + whitelist));
  // A policy without the section keeps the canonical form (and so the digest) it had before
  // the section existed: no telemetry key, no implied rules.
  const CompiledPolicy plain = compile(load_clean(
      "version: 1\ncharter:\n  flows: [{name: a, action: deny, proto: tcp, dst_ports: [23]}]\n"));
  const nlohmann::json canonical = to_json(plain);
  EXPECT_FALSE(canonical.contains("telemetry"));
  ASSERT_EQ(canonical["rules"].size(), 1u);
  EXPECT_FALSE(canonical["rules"][0].contains("origin"));
}

TEST(PolicyTelemetry, ItsGuardRulesComeBeforeEveryFlowRuleInBothMatchers) {
  const Policy policy = load_clean(R"(version: 1
charter:
  flows: [{name: open, action: allow}]
  telemetry:
    collectors: [{address: [198.51.100.10/32], ports: [9090]}]
    exporters: [http://127.0.0.1:9100/metrics, http://127.0.0.1:9200/metrics]
)");
  const std::vector<FlowRule> rules = enforced_rules(policy);
  ASSERT_EQ(rules.size(), 3u);
  EXPECT_EQ(rules[0].origin, RuleOrigin::telemetry_scrape);
  EXPECT_EQ(rules[0].dst_ports, (std::vector<PortRange>{{9100, 9100}, {9200, 9200}}));
  EXPECT_EQ(rules[1].origin, RuleOrigin::telemetry_bypass);
  EXPECT_EQ(rules[2].name, "open");
  const CompiledPolicy compiled = compile(policy);
  PacketFields scrape;
  scrape.direction = WW_DIR_INGRESS;
  scrape.src = {198, 51, 100, 10};
  scrape.protocol = 6;
  scrape.has_ports = true;
  scrape.dst_port = 9200;
  EXPECT_EQ(reference_match(policy, scrape), 0u);
  EXPECT_EQ(classify(compiled, scrape), 0u);
  PacketFields export_packet = scrape;
  export_packet.direction = WW_DIR_EGRESS;
  export_packet.src = {};
  export_packet.dst = {198, 51, 100, 10};
  export_packet.dst_port = 9090;
  EXPECT_EQ(reference_match(policy, export_packet), 1u);
  EXPECT_EQ(classify(compiled, export_packet), 1u);
}

TEST(PolicyTelemetry, ItsGuardRulesMustFitBesideTheFlowRules) {
  std::string yaml = "version: 1\ncharter:\n  flows:\n";
  for (size_t i = 0; i < kMaxFlowRules; ++i)
    yaml += "    - {name: r" + std::to_string(i) + ", action: allow, proto: tcp, dst_ports: [" +
            std::to_string(1 + i % 60000) + "]}\n";
  yaml += "  telemetry:\n    collectors: [{address: [198.51.100.10/32]}]\n";
  const auto diagnostics = diagnostics_of(yaml);
  ASSERT_FALSE(diagnostics.empty());
  EXPECT_NE(diagnostics.back().find("charter.telemetry implies 1 guard rules"), std::string::npos)
      << diagnostics.back();
}

}  // namespace
}  // namespace westworld::policy

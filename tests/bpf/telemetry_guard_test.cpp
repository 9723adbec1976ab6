// The charter's telemetry guard in the kernel: the rules charter.telemetry implies come first,
// so no flow rule opens a way around the gate; a collector's direct scrape of an exporter port
// is dropped on ingress, and telemetry to a collector on egress unless it leaves from the
// gate's port (ww_node); each with its own drop reason, and bypassing senders counted by uid.
#include "westworld/dataplane/telemetry_guard.h"

#include "guard_fixture.h"
#include "westworld/policy/enforced_rules.h"

namespace westworld::bpf_test {
namespace {

constexpr const char* kPolicy = R"(
version: 1
charter:
  default: allow
  flows:
    - {name: open-everything, action: allow}
  telemetry:
    whitelist: [{name: latency_p50, access: public, retention_days: 30}]
    collectors:
      - {address: [198.51.100.10/32], ports: [9090]}
      - {address: [198.51.100.20/32]}
    exporters: [http://127.0.0.1:9100/metrics]
)";
// The implied rules come first, in this order, then the policy's own.
enum Rule : uint32_t { kDirectScrape, kToCollector1, kToCollector2, kOpenEverything };
constexpr uint16_t kGatePort = 9101;

class TelemetryGuardTest : public GuardTest {};

TEST_F(TelemetryGuardTest, TheImpliedRulesComeFirstWithTheirOrigins) {
  const policy::CompiledPolicy& compiled = apply(kPolicy);
  ASSERT_EQ(compiled.rules.size(), 4u);
  EXPECT_EQ(compiled.rules[kDirectScrape].name, policy::kTelemetryScrapeRule);
  EXPECT_EQ(compiled.rules[kDirectScrape].origin, policy::RuleOrigin::telemetry_scrape);
  EXPECT_EQ(compiled.rules[kToCollector2].name, "charter.telemetry.to-collector-2");
  EXPECT_EQ(compiled.rules[kToCollector2].origin, policy::RuleOrigin::telemetry_bypass);
  EXPECT_EQ(compiled.rules[kOpenEverything].origin, policy::RuleOrigin::flow);
}

TEST_F(TelemetryGuardTest, ACollectorsDirectScrapeOfAnExporterIsDroppedOnIngress) {
  apply(kPolicy);
  const CounterSnapshot before = counters();
  EXPECT_EQ(run_xdp(tcp4("198.51.100.10", "192.0.2.1", 40000, 9100)), Verdict::drop);
  EXPECT_EQ(run_xdp(tcp4("198.51.100.20", "192.0.2.1", 40000, 9100)), Verdict::drop);
  const CounterDelta delta = since(before);
  EXPECT_EQ(delta.drops(WW_DROP_TELEMETRY_SCRAPE), 2u);
  EXPECT_EQ(delta.drops(WW_DROP_RULE), 0u);
  EXPECT_EQ(rule_counter(kDirectScrape).packets, 2u);
  // Anyone else may reach that port, and a collector may reach any other one.
  EXPECT_EQ(run_xdp(tcp4("192.0.2.50", "192.0.2.1", 40000, 9100)), Verdict::pass);
  EXPECT_EQ(run_xdp(tcp4("198.51.100.10", "192.0.2.1", 40000, kGatePort)), Verdict::pass);
  EXPECT_EQ(rule_counter(kOpenEverything).packets, 2u);
}

TEST_F(TelemetryGuardTest, TelemetryToACollectorIsDroppedOnEgressAndItsSenderCounted) {
  apply(kPolicy);
  dataplane::write_telemetry_gate_port(maps(), kGatePort);
  const CounterSnapshot before = counters();
  EXPECT_EQ(run_tc(udp4("192.0.2.1", "198.51.100.10", 40000, 9090)), Verdict::drop);
  EXPECT_EQ(run_tc(tcp4("192.0.2.1", "198.51.100.20", 40000, 443)), Verdict::drop);  // any port
  const CounterDelta delta = since(before);
  EXPECT_EQ(delta.drops(WW_DROP_TELEMETRY_BYPASS, kEgress), 2u);
  EXPECT_EQ(rule_counter(kToCollector1).packets, 1u);
  EXPECT_EQ(rule_counter(kToCollector2).packets, 1u);
  // A test run's packet has no socket: the kernel's overflow uid stands in for its sender.
  uint64_t counted = 0;
  for (const auto& [uid, packets] : dataplane::read_bypass_senders(maps())) counted += packets;
  EXPECT_EQ(counted, 2u);
  // Collector 1 takes telemetry on 9090 only: its other ports are ordinary traffic.
  EXPECT_EQ(run_tc(udp4("192.0.2.1", "198.51.100.10", 40000, 8080)), Verdict::pass);
}

TEST_F(TelemetryGuardTest, OnlyTheGatesPortMaySendToACollector) {
  apply(kPolicy);
  const Frame from_gate = tcp4("192.0.2.1", "198.51.100.20", kGatePort, 45000);
  EXPECT_EQ(run_tc(from_gate), Verdict::drop);  // no gate runs: nothing may
  dataplane::write_telemetry_gate_port(maps(), kGatePort);
  EXPECT_EQ(dataplane::read_telemetry_gate_port(maps()), kGatePort);
  EXPECT_EQ(run_tc(from_gate), Verdict::pass);
  EXPECT_EQ(run_tc(tcp4("192.0.2.1", "198.51.100.20", kGatePort + 1, 45000)), Verdict::drop);
  // UDP from that port number is not the gate's TCP socket.
  EXPECT_EQ(run_tc(udp4("192.0.2.1", "198.51.100.20", kGatePort, 45000)), Verdict::drop);
}

}  // namespace
}  // namespace westworld::bpf_test

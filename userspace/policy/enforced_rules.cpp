#include "westworld/policy/enforced_rules.h"

#include <algorithm>

namespace westworld::policy {

std::vector<FlowRule> telemetry_guard_rules(const TelemetrySettings& telemetry) {
  std::vector<FlowRule> rules;
  if (!telemetry.present || telemetry.collectors.empty()) return rules;
  if (!telemetry.exporters.empty()) {
    FlowRule scrape;
    scrape.name = kTelemetryScrapeRule;
    scrape.origin = RuleOrigin::telemetry_scrape;
    scrape.action = Action::deny;
    scrape.directions = {.ingress = true, .egress = false};
    scrape.protocol = Protocol::tcp;
    for (const Collector& collector : telemetry.collectors)
      scrape.src.insert(scrape.src.end(), collector.addresses.begin(), collector.addresses.end());
    for (const Exporter& exporter : telemetry.exporters) {
      const PortRange port{exporter.port, exporter.port};
      if (std::find(scrape.dst_ports.begin(), scrape.dst_ports.end(), port) ==
          scrape.dst_ports.end())
        scrape.dst_ports.push_back(port);
    }
    rules.push_back(std::move(scrape));
  }
  for (size_t i = 0; i < telemetry.collectors.size(); ++i) {
    const Collector& collector = telemetry.collectors[i];
    FlowRule bypass;
    bypass.name = std::string(kTelemetryBypassRule) + "-" + std::to_string(i + 1);
    bypass.origin = RuleOrigin::telemetry_bypass;
    bypass.action = Action::deny;
    bypass.directions = {.ingress = false, .egress = true};
    bypass.dst = collector.addresses;
    bypass.dst_ports = collector.ports;
    bypass.where = collector.where;
    rules.push_back(std::move(bypass));
  }
  return rules;
}

std::vector<FlowRule> enforced_rules(const Policy& policy) {
  std::vector<FlowRule> rules = telemetry_guard_rules(policy.telemetry);
  rules.insert(rules.end(), policy.flows.begin(), policy.flows.end());
  return rules;
}

}  // namespace westworld::policy

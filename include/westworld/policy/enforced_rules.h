// The rules the data plane enforces, in order: the guard rules the charter.telemetry section
// implies come first, so no flow rule can open a way around the telemetry gate, then the
// policy's flow rules. The compiler, the reference matcher and the table limits all read
// this one list.
#pragma once

#include <vector>

#include "westworld/policy/model.h"

namespace westworld::policy {

// Names of the implied rules. Flow rule names are lowercase letters, digits and '-', so these
// can never collide with one.
inline constexpr const char* kTelemetryScrapeRule = "charter.telemetry.direct-scrape";
inline constexpr const char* kTelemetryBypassRule = "charter.telemetry.to-collector";  // -N

// Ingress: a collector's TCP to an exporter's port is dropped (it must scrape the gate).
// Egress: traffic to a collector's addresses and ports is dropped unless it leaves from the
// telemetry gate's port (the data plane checks that); one rule per collector.
std::vector<FlowRule> telemetry_guard_rules(const TelemetrySettings& telemetry);

// telemetry_guard_rules, then policy.flows.
std::vector<FlowRule> enforced_rules(const Policy& policy);

}  // namespace westworld::policy

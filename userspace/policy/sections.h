// The parts of a policy file, each checked on its own. They fill `policy`
// with what they accept and report everything else; the loader discards the
// policy when anything was an error.
#pragma once

#include <optional>
#include <string>

#include "westworld/policy/diagnostic_sink.h"
#include "westworld/policy/model.h"
#include "westworld/policy/yaml_fields.h"

namespace westworld::policy {

struct LoadedRule {
  FlowRule rule;
  SourceLocation name_at;  // line 0 when the rule has no usable name
  bool valid = false;
};

LoadedRule load_flow_rule(const YAML::Node& node, DiagnosticSink& sink);
void load_charter(const Value& charter, Policy& policy, DiagnosticSink& sink);
void load_telemetry(const Value& telemetry, TelemetrySettings& settings, DiagnosticSink& sink);
// A collector that a deny rule keeps telemetry from reaching is an error: the charter would
// promise a destination its own flow rules block.
void check_collectors_reachable(const Policy& policy, DiagnosticSink& sink);
// The rules charter.telemetry implies must fit the data plane beside the flow rules.
void check_telemetry_guard_limits(const Policy& policy, DiagnosticSink& sink);

std::optional<Quota> load_quota(const Value& quota, DiagnosticSink& sink);
void load_anti_meave(const Value& anti_meave, Policy& policy, DiagnosticSink& sink);
void load_detect(const Value& detect, DetectSettings& detect_settings, DiagnosticSink& sink);

// Rule and class names: [a-z0-9-]+ and at most kMaxNameBytes, so they are safe in
// metrics and shells.
std::optional<std::string> read_name(const Value& value, std::string_view what,
                                     DiagnosticSink& sink);

}  // namespace westworld::policy

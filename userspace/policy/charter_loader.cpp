#include <limits>
#include <unordered_map>

#include "match_fields.h"
#include "rule_analysis.h"
#include "sections.h"
#include "table_limits.h"
#include "westworld/policy/limits.h"

namespace westworld::policy {
namespace {

// The caps that bound the loader's and the analysis' work, checked on the YAML before
// any rule is read: a YAML alias lets a short file name one long list in every rule.
bool within_caps(const Field& flows, const std::vector<YAML::Node>& items, DiagnosticSink& sink) {
  if (items.size() > kMaxFlowRules) {
    sink.error(flows.key_at, "too many flow rules (" + std::to_string(items.size()) +
                                 "); the data plane holds at most " +
                                 std::to_string(kMaxFlowRules));
    return false;
  }
  size_t entries = 0;
  for (const YAML::Node& item : items)
    entries += count_list_entries(item, {"src", "dst", "src_ports", "dst_ports"});
  if (entries > kMaxMatchEntries) {
    sink.error(flows.key_at, "the flow rules' src, dst and port lists hold " +
                                 std::to_string(entries) +
                                 " entries in all (each use of a "
                                 "YAML alias counts); at most " +
                                 std::to_string(kMaxMatchEntries) + " are accepted");
    return false;
  }
  return true;
}

void load_flows(const Field& flows, Policy& policy, DiagnosticSink& sink) {
  auto items = read_list(flows, sink);
  if (!items || !within_caps(flows, *items, sink)) return;
  std::unordered_map<std::string, SourceLocation> first_use;
  for (const YAML::Node& item : *items) {
    LoadedRule loaded = load_flow_rule(item, sink);
    if (loaded.name_at.line > 0) {
      auto [earlier, inserted] = first_use.emplace(loaded.rule.name, loaded.name_at);
      if (!inserted) {
        sink.error(loaded.name_at, "duplicate rule name '" + loaded.rule.name +
                                       "' (first used on line " +
                                       std::to_string(earlier->second.line) + ")");
        loaded.valid = false;
      }
    }
    if (loaded.valid) policy.flows.push_back(std::move(loaded.rule));
  }
  size_t errors_before = sink.error_count();
  check_table_limits(policy.flows, flows.key_at, sink);
  // Rules too many for the tables are refused anyway; analysing them is wasted work.
  if (sink.error_count() == errors_before) warn_about_unreachable_rules(policy.flows, sink);
}

}  // namespace

void load_charter(const Value& charter, Policy& policy, DiagnosticSink& sink) {
  auto fields = read_fields(
      charter, {"default", "fragments", "flows", "audit_events_per_sec", "telemetry"}, sink);
  if (!fields) return;
  for (const Field& field : *fields) {
    if (field.key == "default") {
      auto action =
          read_enum<Action>(field, {{"allow", Action::allow}, {"deny", Action::deny}}, sink);
      if (action) policy.default_action = *action;
    } else if (field.key == "fragments") {
      auto mode = read_enum<FragmentMode>(
          field, {{"deny", FragmentMode::deny}, {"l3-only", FragmentMode::l3_only}}, sink);
      if (mode) policy.fragments = *mode;
    } else if (field.key == "audit_events_per_sec") {
      auto rate = read_integer(field, 0, std::numeric_limits<uint32_t>::max(), sink);
      if (rate) policy.audit_events_per_second = static_cast<uint32_t>(*rate);
    } else if (field.key == "telemetry") {
      load_telemetry(field, policy.telemetry, sink);
    } else {
      load_flows(field, policy, sink);
    }
  }
  check_collectors_reachable(policy, sink);
  check_telemetry_guard_limits(policy, sink);
}

}  // namespace westworld::policy

// gates: what the report is judged by. A gate that could never be measured (a flow that does
// not exist, a quarantine time without an attack, more samples than the arm holds) is refused
// here, because at run time it could only ever fail; and an experiment without a fail gate
// is refused, because warnings alone judge nothing and the run would never call it a pass.
#include <algorithm>

#include "experiment_sections.h"

namespace westworld::cradle {
namespace {

constexpr uint64_t kMaxMinSamples = 10000;

bool needs_attack(SignalKind kind) {
  return kind == SignalKind::attacker_share || kind == SignalKind::time_to_quarantine;
}

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

// The signal, or nullopt after an error: unknown to the table, or naming a flow or an attack
// this experiment does not have.
std::optional<SignalName> read_signal(const Field& field, const LoadContext& context,
                                      DiagnosticSink& sink) {
  auto text = read_scalar(field, sink);
  if (!text) return std::nullopt;
  std::string why;
  auto signal = parse_signal_name(*text, why);
  if (!signal) {
    sink.error(field.value_at, why);
    return std::nullopt;
  }
  const std::string base = signal->text().substr(0, signal->text().find('.'));
  if (qualified_by_flow(signal->kind) && !signal->qualifier.empty() &&
      context.flow_names_complete &&
      std::find(context.flow_names.begin(), context.flow_names.end(), signal->qualifier) ==
          context.flow_names.end()) {
    sink.error(field.value_at, "signal " + *text + " names no flow of this experiment; its " +
                                   "flows are " + joined(context.flow_names) + " (or leave out " +
                                   "the qualifier for the worst flow: " + base + ")");
    return std::nullopt;
  }
  if (qualified_by_attack(signal->kind) && !signal->qualifier.empty() &&
      context.attack_names_complete &&
      std::find(context.attack_names.begin(), context.attack_names.end(), signal->qualifier) ==
          context.attack_names.end()) {
    sink.error(field.value_at, "signal " + *text + " names no attack of this experiment; its " +
                                   "attacks are " + joined(context.attack_names) +
                                   " (or leave out the qualifier for the first attack " +
                                   "contained: " + base + ")");
    return std::nullopt;
  }
  if (needs_attack(signal->kind) && !context.has_attacks) {
    sink.error(field.value_at,
               "signal " + *text + " can never be measured: this experiment has no attacks");
    return std::nullopt;
  }
  return signal;
}

// What the gates read so far say about the whole list.
struct GateTally {
  std::vector<std::pair<std::string, int>> names;  // name, line
  size_t fail_gates = 0;
  bool actions_known = true;  // false once a gate's action could not be read
};

void load_gate(const YAML::Node& node, const LoadContext& context, GateTally& tally,
               std::vector<GateSpec>& gates, DiagnosticSink& sink) {
  Value item("gate", node);
  auto fields =
      read_fields(item, {"name", "signal", "op", "threshold", "action", "min_samples"}, sink);
  if (!fields) {
    tally.actions_known = false;
    return;
  }
  const size_t errors_before = sink.error_count();
  require_fields(*fields, "gate", item.at, {"name", "signal", "op", "threshold"}, sink);
  GateSpec gate;
  std::optional<SignalName> signal;
  if (const Field* signal_field = find_field(*fields, "signal")) {
    signal = read_signal(*signal_field, context, sink);
    if (signal) gate.signal = *signal;
  }
  for (const Field& field : *fields) {
    if (field.key == "name") {
      auto name = read_identifier(field, kMaxNameLength, sink);
      if (!name) continue;
      auto& names = tally.names;
      auto earlier =
          std::find_if(names.begin(), names.end(), [&](const auto& n) { return n.first == *name; });
      if (earlier != names.end()) {
        sink.error(field.value_at, "duplicate gate name '" + *name + "' (first on line " +
                                       std::to_string(earlier->second) + ")");
        continue;
      }
      names.emplace_back(*name, field.value_at.line);
      gate.name = *name;
    } else if (field.key == "op") {
      auto op_text = read_scalar(field, sink);
      if (!op_text) continue;
      if (auto op = common::parse_comparison(*op_text)) {
        gate.op = *op;
      } else {
        sink.error(field.value_at, "unknown op '" + *op_text + "'; expected <, <=, ==, >= or > " +
                                       "(quoted: YAML reads a bare > as a folded block)");
      }
    } else if (field.key == "threshold") {
      // Its unit is the signal's; an unknown signal has none to read it in.
      if (signal) gate.threshold = read_threshold(field, *signal, sink).value_or(0);
    } else if (field.key == "action") {
      auto action = read_enum<GateAction>(
          field, {{"fail", GateAction::fail}, {"warn", GateAction::warn}}, sink);
      if (action) {
        gate.action = *action;
      } else {
        tally.actions_known = false;
      }
    } else if (field.key == "min_samples") {
      auto samples = read_integer(field, 1, kMaxMinSamples, sink);
      if (!samples) continue;
      gate.min_samples = static_cast<uint32_t>(*samples);
      if (context.sample_windows && *samples > *context.sample_windows) {
        sink.error(field.value_at, "min_samples " + std::to_string(*samples) +
                                       " is more than the " +
                                       std::to_string(*context.sample_windows) +
                                       " samples an arm takes, so the gate could never be "
                                       "judged; at most " +
                                       std::to_string(*context.sample_windows));
      }
    }
  }
  // Counted whatever else is wrong with the gate: its action is what it was meant to do.
  if (gate.action == GateAction::fail) ++tally.fail_gates;
  if (sink.error_count() == errors_before) gates.push_back(gate);
}

}  // namespace

void load_gates(const Field& field, const LoadContext& context, std::vector<GateSpec>& gates,
                DiagnosticSink& sink) {
  auto items = read_list(field, sink);
  if (!items) return;
  GateTally tally;
  for (const YAML::Node& item : *items) load_gate(item, context, tally, gates, sink);
  if (tally.actions_known && tally.fail_gates == 0) {
    sink.error(field.key_at,
               "an experiment with no fail gate can never pass: give at least one "
               "gate action: fail (the default)");
  }
}

}  // namespace westworld::cradle

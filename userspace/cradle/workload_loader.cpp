// workload: the legitimate flows the gates measure, and the attacks from the scenario library.
#include <algorithm>

#include "experiment_sections.h"

namespace westworld::cradle {
namespace {

// What one sender namespace sustains beside the rest of the twin on this 2-core machine:
// flows are measured, so they must not be limited by their own generator; attacks may be.
constexpr uint32_t kMaxFlowPps = 20000;
constexpr uint32_t kMaxAttackPps = 200000;
// A payload above this would not fit an IPv6 packet on the smallest MTU (1280) with room
// for the headers, and flows are not meant to test fragmentation.
constexpr uint32_t kMaxPayloadBytes = 1400;

// Flow and attack names share the report's namespace.
class NameRegister {
 public:
  // Whether `name` is new; reports it at `at` otherwise.
  bool add(const std::string& name, SourceLocation at, DiagnosticSink& sink) {
    auto earlier =
        std::find_if(names_.begin(), names_.end(), [&](const auto& n) { return n.first == name; });
    if (earlier == names_.end()) {
      names_.emplace_back(name, at.line);
      return true;
    }
    sink.error(at, "duplicate workload name '" + name + "' (first on line " +
                       std::to_string(earlier->second) +
                       "); flows and attacks need distinct "
                       "names");
    return false;
  }

 private:
  std::vector<std::pair<std::string, int>> names_;
};

// A flow or attack goes from one router over links to another; problems are reported at `to`.
void check_ends(const std::optional<std::string>& from, const Field* to_field,
                const std::optional<std::string>& to, std::string_view what,
                const LoadContext& context, DiagnosticSink& sink) {
  if (!from || !to) return;
  if (*from == *to) {
    sink.error(to_field->value_at, std::string(what) + " from and to are both " + *from +
                                       "; it must cross at least one link");
    return;
  }
  check_path(*from, *to, to_field->value_at, what, context, sink);
}

void load_flow(const YAML::Node& node, LoadContext& context, NameRegister& names,
               std::vector<FlowSpec>& flows, DiagnosticSink& sink) {
  Value item("flow", node);
  auto fields = read_fields(item, {"name", "proto", "from", "to", "port", "rate", "size"}, sink);
  if (!fields) {
    context.flow_names_complete = false;
    return;
  }
  const size_t errors_before = sink.error_count();
  require_fields(*fields, "flow", item.at, {"name", "from", "to", "port", "rate", "size"}, sink);
  FlowSpec flow;
  std::optional<std::string> from, to;
  const Field* to_field = nullptr;
  bool named = false;
  for (const Field& field : *fields) {
    if (field.key == "name") {
      // A duplicate is reported here, but the name is known (its first flow has it).
      auto name = read_identifier(field, kMaxNameLength, sink);
      named = name.has_value();
      if (name && names.add(*name, field.value_at, sink)) {
        flow.name = *name;
        context.flow_names.push_back(*name);
      }
    } else if (field.key == "proto") {
      auto proto = read_scalar(field, sink);
      if (proto && *proto != "udp") {
        sink.error(field.value_at, "proto '" + *proto +
                                       "' is not modelled: only udp flows are (leave proto "
                                       "out, or write udp)");
      }
    } else if (field.key == "from") {
      from = read_router(field, context, sink);
      flow.from = from.value_or("");
    } else if (field.key == "to") {
      to_field = &field;
      to = read_router(field, context, sink);
      flow.to = to.value_or("");
    } else if (field.key == "port") {
      flow.port = static_cast<uint16_t>(read_integer(field, 1, 65535, sink).value_or(0));
    } else if (field.key == "rate") {
      flow.pps = read_pps(field, kMaxFlowPps, sink).value_or(0);
    } else {
      flow.size_bytes =
          read_payload_bytes(field, kMinPayloadBytes, kMaxPayloadBytes, sink).value_or(0);
    }
  }
  if (!named) context.flow_names_complete = false;
  check_ends(from, to_field, to, "flow", context, sink);
  if (sink.error_count() == errors_before) flows.push_back(flow);
}

struct AttackKindInfo {
  AttackKind kind;
  std::string_view name;
  bool has_port;      // apply_burst sends policy applies, not packets to a port
  bool has_rate_end;  // share_creep's rate climbs from rate to rate_end
};

constexpr AttackKindInfo kAttackKinds[] = {
    {AttackKind::source_flood, "source_flood", true, false},
    {AttackKind::spoofed_flood, "spoofed_flood", true, false},
    {AttackKind::share_creep, "share_creep", true, true},
    {AttackKind::apply_burst, "apply_burst", false, false},
};

const AttackKindInfo& info(AttackKind kind) {
  for (const AttackKindInfo& i : kAttackKinds)
    if (i.kind == kind) return i;
  return kAttackKinds[0];
}

void load_attack(const YAML::Node& node, const LoadContext& context, NameRegister& names,
                 std::vector<AttackSpec>& attacks, DiagnosticSink& sink) {
  Value item("attack", node);
  auto fields = read_fields(
      item, {"name", "kind", "from", "to", "port", "rate", "rate_end", "start", "duration"}, sink);
  if (!fields) return;
  const size_t errors_before = sink.error_count();
  require_fields(*fields, "attack", item.at, {"name", "kind", "from", "to", "rate", "start"}, sink);
  AttackSpec attack;
  std::optional<AttackKind> kind;
  if (const Field* kind_field = find_field(*fields, "kind")) {
    kind = read_enum<AttackKind>(*kind_field,
                                 {{"source_flood", AttackKind::source_flood},
                                  {"spoofed_flood", AttackKind::spoofed_flood},
                                  {"share_creep", AttackKind::share_creep},
                                  {"apply_burst", AttackKind::apply_burst}},
                                 sink);
    attack.kind = kind.value_or(AttackKind::source_flood);
  }
  const std::string kind_name = kind ? std::string(info(*kind).name) : "";
  std::optional<std::string> from, to;
  const Field* to_field = nullptr;
  const Field* rate_end = nullptr;
  for (const Field& field : *fields) {
    if (field.key == "name") {
      auto name = read_identifier(field, kMaxNameLength, sink);
      if (name && names.add(*name, field.value_at, sink)) attack.name = *name;
    } else if (field.key == "from") {
      from = read_router(field, context, sink);
      attack.from = from.value_or("");
    } else if (field.key == "to") {
      to_field = &field;
      to = read_router(field, context, sink);
      attack.to = to.value_or("");
    } else if (field.key == "port") {
      if (kind && !info(*kind).has_port) {
        sink.error(field.key_at, kind_name +
                                     " attacks take no port: they are policy applies "
                                     "to the agent, not packets");
      } else {
        attack.port = static_cast<uint16_t>(read_integer(field, 1, 65535, sink).value_or(0));
      }
    } else if (field.key == "rate") {
      attack.pps = read_pps(field, kMaxAttackPps, sink).value_or(0);
    } else if (field.key == "rate_end") {
      rate_end = &field;
      if (kind && !info(*kind).has_rate_end) {
        sink.error(field.key_at, "only share_creep attacks take rate_end, not " + kind_name);
      } else {
        attack.pps_end = read_pps(field, kMaxAttackPps, sink).value_or(0);
      }
    }
  }
  if (kind && info(*kind).has_port && !find_field(*fields, "port")) {
    sink.error(item.at, kind_name + " attack is missing required field 'port'");
  }
  if (kind && info(*kind).has_rate_end) {
    if (!rate_end) {
      sink.error(item.at,
                 "share_creep attack is missing required field 'rate_end' (the rate "
                 "it climbs to)");
    } else if (attack.pps != 0 && attack.pps_end != 0 && attack.pps_end <= attack.pps) {
      sink.error(rate_end->value_at, "rate_end " + std::to_string(attack.pps_end) +
                                         "pps must be above rate " + std::to_string(attack.pps) +
                                         "pps, or the share does not creep");
    }
  }
  check_ends(from, to_field, to, "attack", context, sink);
  if (auto window = read_window(find_field(*fields, "start"), find_field(*fields, "duration"),
                                context, sink)) {
    attack.start_ms = window->start_ms;
    attack.duration_ms = window->duration_ms;
  }
  if (sink.error_count() == errors_before) attacks.push_back(attack);
}

}  // namespace

void load_workload(const Field& field, LoadContext& context, Experiment& experiment,
                   DiagnosticSink& sink) {
  auto fields = read_fields(field, {"flows", "attacks"}, sink);
  if (!fields) return;
  require_fields(*fields, "workload", field.value_at, {"flows"}, sink);
  NameRegister names;
  if (const Field* flows = find_field(*fields, "flows")) {
    auto items = read_list(*flows, sink);
    if (items && items->empty()) {
      sink.error(flows->value_at,
                 "flows needs at least one legitimate flow: delivery and "
                 "latency are measured on them");
    } else if (items) {
      context.flow_names_complete = true;  // until a flow turns out to have no name
      for (const YAML::Node& item : *items) load_flow(item, context, names, experiment.flows, sink);
    }
  }
  if (const Field* attacks = find_field(*fields, "attacks")) {
    if (auto items = read_list(*attacks, sink)) {
      context.has_attacks = !items->empty();
      for (const YAML::Node& item : *items) {
        load_attack(item, context, names, experiment.attacks, sink);
      }
      // An attack with errors is left out of the list: then the names are not all known.
      for (const AttackSpec& attack : experiment.attacks)
        context.attack_names.push_back(attack.name);
      context.attack_names_complete = experiment.attacks.size() == items->size();
    } else {
      context.has_attacks = true;  // unknown: do not report the gates that need attacks
    }
  }
}

}  // namespace westworld::cradle

// faults: what breaks during an arm. Each kind takes its own fields and refuses the others,
// so a `loss:` written on a partition is an error instead of a fault that silently differs
// from what its author meant.
#include "experiment_sections.h"

namespace westworld::cradle {
namespace {

// The longest injected delay: past it a flow's datagrams are simply lost to its measurement.
constexpr uint32_t kMinDelayMs = 1;
constexpr uint32_t kMaxDelayMs = 10000;

enum class Target : uint8_t { none, link, router };

struct FaultShape {
  FaultKind kind;
  std::string_view name;
  Target target;
  std::string_view quantity;  // its own field, or empty
  // Why a duration is refused, or empty when the kind takes one.
  std::string_view no_duration_because;
};

constexpr FaultShape kShapes[] = {
    {FaultKind::loss, "loss", Target::link, "loss", ""},
    {FaultKind::partition, "partition", Target::link, "", ""},
    {FaultKind::rate_limit, "rate_limit", Target::link, "rate", ""},
    {FaultKind::link_down, "link_down", Target::link, "", ""},
    {FaultKind::agent_kill, "agent_kill", Target::router, "",
     "the agent is killed once and restarted at once"},
    {FaultKind::router_freeze, "router_freeze", Target::router, "", ""},
    {FaultKind::etcd_member_lost, "etcd_member_lost", Target::none, "",
     "the member stays lost for the rest of the arm"},
    {FaultKind::delay, "delay", Target::link, "delay", ""},
};

const FaultShape& shape(FaultKind kind) {
  for (const FaultShape& s : kShapes)
    if (s.kind == kind) return s;
  return kShapes[0];
}

// "kind, link, loss, start and duration": the fields a kind takes, for messages.
std::string fields_of(const FaultShape& s) {
  std::vector<std::string_view> names{"kind"};
  if (s.target == Target::link) names.push_back("link");
  if (s.target == Target::router) names.push_back("router");
  if (!s.quantity.empty()) names.push_back(s.quantity);
  names.push_back("start");
  if (s.no_duration_because.empty()) names.push_back("duration");
  std::string text;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) text += i + 1 == names.size() ? " and " : ", ";
    text += names[i];
  }
  return text;
}

bool takes(const FaultShape& s, std::string_view key) {
  if (key == "kind" || key == "start") return true;
  if (key == "duration") return s.no_duration_because.empty();
  if (key == "link") return s.target == Target::link;
  if (key == "router") return s.target == Target::router;
  return key == s.quantity;
}

void load_fault(const YAML::Node& node, const LoadContext& context, std::vector<FaultSpec>& faults,
                DiagnosticSink& sink) {
  Value item("fault", node);
  auto fields = read_fields(
      item, {"kind", "link", "router", "loss", "rate", "delay", "start", "duration"}, sink);
  if (!fields) return;
  const size_t errors_before = sink.error_count();
  require_fields(*fields, "fault", item.at, {"kind", "start"}, sink);
  const Field* kind_field = find_field(*fields, "kind");
  if (!kind_field) return;  // what else it needs depends on the kind
  auto kind = read_enum<FaultKind>(*kind_field,
                                   {{"loss", FaultKind::loss},
                                    {"partition", FaultKind::partition},
                                    {"rate_limit", FaultKind::rate_limit},
                                    {"link_down", FaultKind::link_down},
                                    {"agent_kill", FaultKind::agent_kill},
                                    {"router_freeze", FaultKind::router_freeze},
                                    {"etcd_member_lost", FaultKind::etcd_member_lost},
                                    {"delay", FaultKind::delay}},
                                   sink);
  if (!kind) return;
  const FaultShape& s = shape(*kind);
  FaultSpec fault;
  fault.kind = *kind;
  const std::string kind_name(s.name);
  if (s.target == Target::link)
    require_fields(*fields, kind_name + " fault", item.at, {"link"}, sink);
  if (s.target == Target::router) {
    require_fields(*fields, kind_name + " fault", item.at, {"router"}, sink);
  }
  if (!s.quantity.empty() && !find_field(*fields, s.quantity)) {
    sink.error(item.at,
               kind_name + " fault is missing required field '" + std::string(s.quantity) + "'");
  }
  bool refused_duration = false;
  for (const Field& field : *fields) {
    if (!takes(s, field.key)) {
      std::string message = kind_name + " faults take no " + field.key;
      if (field.key == "duration") {
        message += " (" + std::string(s.no_duration_because) + ")";
        refused_duration = true;
      }
      sink.error(field.key_at, message + "; they take " + fields_of(s));
    } else if (field.key == "link") {
      fault.link = read_link(field, context, sink).value_or("");
    } else if (field.key == "router") {
      fault.router = read_router(field, context, sink).value_or("");
    } else if (field.key == "loss") {
      fault.loss_ppm = read_probability_ppm(field, sink).value_or(0);
    } else if (field.key == "rate") {
      fault.rate_bits_per_second = read_bits_per_second(field, sink).value_or(0);
    } else if (field.key == "delay") {
      fault.delay_ms = read_duration_ms(field, kMinDelayMs, kMaxDelayMs, sink).value_or(0);
    }
  }
  const Field* duration = refused_duration ? nullptr : find_field(*fields, "duration");
  if (auto window = read_window(find_field(*fields, "start"), duration, context, sink)) {
    fault.start_ms = window->start_ms;
    fault.duration_ms = window->duration_ms;
  }
  if (sink.error_count() == errors_before) faults.push_back(fault);
}

}  // namespace

void load_faults(const Field& field, const LoadContext& context, std::vector<FaultSpec>& faults,
                 DiagnosticSink& sink) {
  auto items = read_list(field, sink);
  if (!items) return;
  for (const YAML::Node& item : *items) load_fault(item, context, faults, sink);
}

}  // namespace westworld::cradle

// The one place that knows the JSON keys of the control protocol.
#include "westworld/control/codec.h"

#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <type_traits>

#include "westworld/dataplane/names.h"

// nlohmann finds to_json by argument-dependent lookup, so the writers live in the
// types' namespaces; they are defined here and nowhere else.
namespace westworld::dataplane {

using nlohmann::json;

void to_json(json& j, const CounterSum& c) { j = {{"packets", c.packets}, {"bytes", c.bytes}}; }

void to_json(json& j, const InterfaceStatus& i) {
  j = {{"name", i.name},
       {"ifindex", i.ifindex},
       {"xdp_mode", i.xdp_mode},
       {"xdp_prog_id", i.xdp_prog_id},
       {"tc_prog_id", i.tc_prog_id},
       {"xdp_attached", i.xdp_attached ? json(*i.xdp_attached) : json()}};
}

void to_json(json& j, const BusySource& s) {
  j = {{"source", s.source},
       {"packets", s.packets},
       {"bytes", s.bytes},
       {"dropped_quota", s.dropped_quota},
       {"dropped_share", s.dropped_share},
       {"class", s.class_id}};
}

void to_json(json& j, const SourcesStatus& s) {
  j = {{"tracked", s.tracked},
       {"max", s.max},
       {"created", s.created},
       {"evicted", s.evicted},
       {"busiest", s.busiest}};
}

void to_json(json& j, const PolicyStatus& p) {
  j = {{"valid", p.valid}};
  if (!p.valid) return;
  j["generation"] = p.generation;
  j["digest"] = p.digest;
  j["applied_at_unix_ns"] = p.applied_at_unix_ns;
  j["rules"] = p.rules;
  j["default"] = p.default_action;
  if (p.source) j["source"] = *p.source;
}

void to_json(json& j, const RuleStatus& r) {
  j = {{"index", r.index},
       {"action", r.action},
       {"packets", r.traffic.packets},
       {"bytes", r.traffic.bytes}};
  if (r.name) j["name"] = *r.name;
}

void to_json(json& j, const QuarantineView& q) {
  j = {{"source", q.source},     {"action", q.action},           {"origin", q.origin},
       {"enforced", q.enforced}, {"remaining_s", q.remaining_s}, {"held_for_s", q.held_for_s},
       {"dropped", q.dropped}};
  if (q.pps) j["pps"] = *q.pps;
}

// The guard's fields sit at the top level of a status reply (as `wwctl status
// --json` has always printed them), beside "agent" and "watchman".
void to_json(json& j, const GuardStatus& s) {
  json counters, drops;
  for (uint32_t dir = 0; dir < WW_DIR_MAX; ++dir) {
    json& stats = counters[direction_name(dir)] = json::object();
    json& reasons = drops[direction_name(dir)] = json::object();
    for (uint32_t i = 0; i < WW_STAT_MAX; ++i)
      stats[stat_name(i)] = s.counters.direction[dir].stats[i];
    for (uint32_t i = 0; i < WW_DROP_MAX; ++i)
      reasons[drop_reason_name(i)] = s.counters.direction[dir].drops[i];
  }
  j = {{"pin_root", s.pin_root},
       {"programs", {{"xdp_id", s.xdp_prog_id}, {"tc_id", s.tc_prog_id}}},
       {"interfaces", s.interfaces},
       {"policy", s.policy},
       {"counters", counters},
       {"drops", drops},
       {"rules", s.rules},
       {"sources", s.sources}};
}

}  // namespace westworld::dataplane

namespace westworld::control {

using nlohmann::json;

void to_json(json& j, const PingReply& r) {
  j = {{"protocol", r.protocol}, {"agent_version", r.agent_version}};
}

void to_json(json& j, const WatchmanSummary& w) {
  j = {{"frozen", w.frozen},
       {"freeze_reason", w.freeze_reason},
       {"alerts_total", w.alerts_total},
       {"quarantined", w.quarantined},
       {"detector_tracked_sources", w.detector_tracked_sources},
       {"window_ms", w.window_ms}};
}

void to_json(json& j, const StatusReply& r) {
  j = r.guard;
  j["agent"] = {{"running", r.agent.running}};
  if (r.agent.running) j["agent"]["policy_path"] = r.agent.policy_path;
  if (r.watchman) j["watchman"] = *r.watchman;
}

void to_json(json& j, const PeerApproval& p) { j = {{"peer", p.peer}, {"signature", p.signature}}; }

void to_json(json& j, const ApplyReply& r) {
  j = {{"generation", r.generation},
       {"digest", r.digest},
       {"rules", r.rules},
       {"audit_index", r.audit_index ? json(*r.audit_index) : json()},
       {"warnings", r.warnings}};
}

void to_json(json& j, const DetachReply& r) {
  j = {{"detached", r.detached}, {"agent_stopping", r.agent_stopping}};
}

void to_json(json& j, const QuarantineChangeReply& r) { j = {{"result", r.result}}; }

void to_json(json& j, const QuarantineListReply& r) { j = {{"quarantines", r.quarantines}}; }

void to_json(json& j, const AlertView& a) {
  j = {{"id", a.id},
       {"unix_ns", a.unix_ns},
       {"detector", a.detector},
       {"subject", a.subject},
       {"statistic", a.statistic},
       {"value", a.value},
       {"threshold", a.threshold},
       {"windows", a.windows},
       {"window_ms", a.window_ms},
       {"detail", a.detail},
       {"response", a.response}};
}

void to_json(json& j, const ResponseView& r) {
  j = {{"unix_ns", r.unix_ns}, {"action", r.action}, {"subject", r.subject}, {"reason", r.reason}};
}

void to_json(json& j, const AlertsReply& r) {
  j = {{"alerts", r.alerts},
       {"alerts_total", r.alerts_total},
       {"responses", r.responses},
       {"frozen", r.frozen},
       {"freeze_reason", r.freeze_reason}};
}

void to_json(json& j, const TopInterface& i) {
  j = {{"interface", i.interface},
       {"ifindex", i.ifindex},
       {"pps", i.pps},
       {"bps", i.bps},
       {"active_sources", i.active_sources}};
}

void to_json(json& j, const TopSource& s) {
  j = {{"source", s.source},
       {"interface", s.interface},
       {"pps", s.pps},
       {"bps", s.bps},
       {"share", s.share},
       {"dropped_pps", s.dropped_pps},
       {"dropped_quota", s.dropped_quota},
       {"dropped_share", s.dropped_share},
       {"state", s.state}};
}

void to_json(json& j, const TopReply& r) {
  j = {{"window_s", r.window_s},       {"tracked_sources", r.tracked_sources},
       {"quarantined", r.quarantined}, {"frozen", r.frozen},
       {"interfaces", r.interfaces},   {"sources", r.sources}};
}

void to_json(json& j, const UnfreezeReply& r) { j = {{"was_frozen", r.was_frozen}}; }

// Request payloads (the envelope adds version and cmd).
void to_json(json& j, const PingRequest&) { j = json::object(); }
void to_json(json& j, const StatusRequest&) { j = json::object(); }
void to_json(json& j, const ReloadRequest&) { j = json::object(); }
void to_json(json& j, const QuarantineListRequest&) { j = json::object(); }
void to_json(json& j, const UnfreezeRequest&) { j = json::object(); }

void to_json(json& j, const ApplyRequest& r) {
  j = {{"policy", r.policy}, {"source", r.source}};
  const ApplyCredentials& c = r.credentials;
  if (c.token) j["token"] = *c.token;
  if (!c.discharges.empty()) j["discharges"] = c.discharges;
  if (!c.signatures.empty()) j["signatures"] = c.signatures;
  if (c.nonce) j["nonce"] = *c.nonce;
  if (c.time) j["time"] = *c.time;
}

void to_json(json& j, const DetachRequest& r) {
  j = json::object();
  if (r.iface) j["iface"] = *r.iface;
}

void to_json(json& j, const QuarantineAddRequest& r) {
  j = {{"source", r.source}};
  if (r.action) j["action"] = *r.action;
  if (r.ban_s) j["ban_s"] = *r.ban_s;
  if (r.pps) j["pps"] = *r.pps;
  if (r.burst) j["burst"] = *r.burst;
}

void to_json(json& j, const QuarantineDelRequest& r) { j = {{"source", r.source}}; }
void to_json(json& j, const AlertsRequest& r) { j = {{"limit", r.limit}}; }
void to_json(json& j, const TopRequest& r) { j = {{"limit", r.limit}}; }

namespace {

DecodeError bad(std::string message, ErrorCode code = ErrorCode::bad_request) {
  return DecodeError(Error{code, std::move(message), {}});
}

template <typename T>
struct is_vector : std::false_type {};
template <typename T>
struct is_vector<std::vector<T>> : std::true_type {};

// --- reading -------------------------------------------------------------------------
// Every field is type- and range-checked: nlohmann's get<uint32_t>() would turn -1
// into 4294967295 without a word.

// "field 'policy.rules'", or "the message" for the top level. Keys are printed
// through the serializer, so a hostile key cannot put raw bytes into an error.
std::string field_name(const std::string& path) {
  if (path.empty()) return "the message";
  return "field " + json(path).dump(-1, ' ', false, json::error_handler_t::replace);
}

template <typename T>
void read_value(const json& value, T& out, const std::string& path);

// Reads the fields of one JSON object into a struct. Requests also refuse fields
// they were not asked for, so a misspelt key is an error, not a silent default.
class Fields {
 public:
  Fields(const json& object, std::string where) : object_(object), where_(std::move(where)) {
    if (!object.is_object()) throw bad(field_name(where_) + " must be a JSON object");
  }

  template <typename T>
  void required(const char* key, T& out) {
    seen_.insert(key);
    auto it = object_.find(key);
    if (it == object_.end()) throw bad(field_name(path(key)) + " is missing");
    read_value(*it, out, path(key));
  }

  template <typename T>
  void optional(const char* key, T& out) {
    seen_.insert(key);
    auto it = object_.find(key);
    if (it == object_.end() || it->is_null()) return;
    read_value(*it, out, path(key));
  }

  template <typename T>
  void optional(const char* key, std::optional<T>& out) {
    seen_.insert(key);
    auto it = object_.find(key);
    if (it == object_.end() || it->is_null()) return;
    read_value(*it, out.emplace(), path(key));
  }

  const json& object() const { return object_; }
  void skip(const char* key) { seen_.insert(key); }

  void refuse_others() const {
    for (auto it = object_.begin(); it != object_.end(); ++it)
      if (!seen_.count(it.key()))
        throw bad(field_name(path(it.key())) + " is not a field of this command");
  }

 private:
  std::string path(const std::string& key) const {
    return where_.empty() ? key : where_ + "." + key;
  }

  const json& object_;
  std::string where_;
  std::set<std::string> seen_;
};

// One reader per struct that travels; field names mirror the writers above.
void read_object(Fields& f, dataplane::CounterSum& c) {
  f.required("packets", c.packets);
  f.required("bytes", c.bytes);
}
void read_object(Fields& f, dataplane::InterfaceStatus& i) {
  f.required("name", i.name);
  f.required("ifindex", i.ifindex);
  f.required("xdp_mode", i.xdp_mode);
  f.required("xdp_prog_id", i.xdp_prog_id);
  f.required("tc_prog_id", i.tc_prog_id);
  f.optional("xdp_attached", i.xdp_attached);
}
void read_object(Fields& f, dataplane::BusySource& s) {
  f.required("source", s.source);
  f.required("packets", s.packets);
  f.required("bytes", s.bytes);
  f.required("dropped_quota", s.dropped_quota);
  f.required("dropped_share", s.dropped_share);
  f.required("class", s.class_id);
}
void read_object(Fields& f, dataplane::SourcesStatus& s) {
  f.required("tracked", s.tracked);
  f.required("max", s.max);
  f.required("created", s.created);
  f.required("evicted", s.evicted);
  f.required("busiest", s.busiest);
}
void read_object(Fields& f, dataplane::PolicyStatus& p) {
  f.required("valid", p.valid);
  if (!p.valid) return;
  f.required("generation", p.generation);
  f.required("digest", p.digest);
  f.required("applied_at_unix_ns", p.applied_at_unix_ns);
  f.required("rules", p.rules);
  f.required("default", p.default_action);
  f.optional("source", p.source);
}
void read_object(Fields& f, dataplane::RuleStatus& r) {
  f.required("index", r.index);
  f.required("action", r.action);
  f.required("packets", r.traffic.packets);
  f.required("bytes", r.traffic.bytes);
  f.optional("name", r.name);
}
void read_object(Fields& f, dataplane::QuarantineView& q) {
  f.required("source", q.source);
  f.required("action", q.action);
  f.required("origin", q.origin);
  f.required("enforced", q.enforced);
  f.required("remaining_s", q.remaining_s);
  f.required("held_for_s", q.held_for_s);
  f.required("dropped", q.dropped);
  f.optional("pps", q.pps);
}

// Counters by direction and name; names this build does not know are skipped, so
// a newer agent's extra counter does not break an older wwctl.
template <size_t N>
void read_named_counters(const json& by_direction, const char* field,
                         const char* (*name_of)(uint32_t),
                         std::array<dataplane::DirectionCounters, WW_DIR_MAX>& out,
                         std::array<dataplane::CounterSum, N> dataplane::DirectionCounters::*slot) {
  if (!by_direction.is_object()) throw bad(field_name(field) + " must be an object");
  for (uint32_t dir = 0; dir < WW_DIR_MAX; ++dir) {
    auto it = by_direction.find(dataplane::direction_name(dir));
    if (it == by_direction.end()) continue;
    for (uint32_t i = 0; i < N; ++i) {
      auto c = it->find(name_of(i));
      if (c != it->end())
        read_value(*c, (out[dir].*slot)[i],
                   std::string(field) + "." + dataplane::direction_name(dir) + "." + name_of(i));
    }
  }
}

void read_object(Fields& f, dataplane::GuardStatus& s) {
  f.required("pin_root", s.pin_root);
  const json& programs = f.object().at("programs");
  read_value(programs.at("xdp_id"), s.xdp_prog_id, "programs.xdp_id");
  read_value(programs.at("tc_id"), s.tc_prog_id, "programs.tc_id");
  f.required("interfaces", s.interfaces);
  f.required("policy", s.policy);
  read_named_counters(f.object().at("counters"), "counters", dataplane::stat_name,
                      s.counters.direction, &dataplane::DirectionCounters::stats);
  read_named_counters(f.object().at("drops"), "drops", dataplane::drop_reason_name,
                      s.counters.direction, &dataplane::DirectionCounters::drops);
  f.required("rules", s.rules);
  f.required("sources", s.sources);
}

void read_object(Fields& f, PingReply& r) {
  f.required("protocol", r.protocol);
  f.required("agent_version", r.agent_version);
}
void read_object(Fields& f, WatchmanSummary& w) {
  f.required("frozen", w.frozen);
  f.required("freeze_reason", w.freeze_reason);
  f.required("alerts_total", w.alerts_total);
  f.required("quarantined", w.quarantined);
  f.required("detector_tracked_sources", w.detector_tracked_sources);
  f.required("window_ms", w.window_ms);
}
void read_object(Fields& f, AgentState& a) {
  f.required("running", a.running);
  f.optional("policy_path", a.policy_path);
}
void read_object(Fields& f, StatusReply& r) {
  read_object(f, r.guard);
  f.required("agent", r.agent);
  f.optional("watchman", r.watchman);
}
void read_object(Fields& f, PeerApproval& p) {
  f.required("peer", p.peer);
  f.required("signature", p.signature);
}
void read_object(Fields& f, ApplyReply& r) {
  f.required("generation", r.generation);
  f.required("digest", r.digest);
  f.required("rules", r.rules);
  f.optional("audit_index", r.audit_index);
  f.optional("warnings", r.warnings);
}
void read_object(Fields& f, DetachReply& r) {
  f.required("detached", r.detached);
  f.required("agent_stopping", r.agent_stopping);
}
void read_object(Fields& f, QuarantineChangeReply& r) { f.required("result", r.result); }
void read_object(Fields& f, QuarantineListReply& r) { f.required("quarantines", r.quarantines); }
void read_object(Fields& f, AlertView& a) {
  f.required("id", a.id);
  f.required("unix_ns", a.unix_ns);
  f.required("detector", a.detector);
  f.required("subject", a.subject);
  f.required("statistic", a.statistic);
  f.required("value", a.value);
  f.required("threshold", a.threshold);
  f.required("windows", a.windows);
  f.required("window_ms", a.window_ms);
  f.required("detail", a.detail);
  f.required("response", a.response);
}
void read_object(Fields& f, ResponseView& r) {
  f.required("unix_ns", r.unix_ns);
  f.required("action", r.action);
  f.required("subject", r.subject);
  f.required("reason", r.reason);
}
void read_object(Fields& f, AlertsReply& r) {
  f.required("alerts", r.alerts);
  f.required("alerts_total", r.alerts_total);
  f.required("responses", r.responses);
  f.required("frozen", r.frozen);
  f.required("freeze_reason", r.freeze_reason);
}
void read_object(Fields& f, TopInterface& i) {
  f.required("interface", i.interface);
  f.required("ifindex", i.ifindex);
  f.required("pps", i.pps);
  f.required("bps", i.bps);
  f.required("active_sources", i.active_sources);
}
void read_object(Fields& f, TopSource& s) {
  f.required("source", s.source);
  f.required("interface", s.interface);
  f.required("pps", s.pps);
  f.required("bps", s.bps);
  f.required("share", s.share);
  f.required("dropped_pps", s.dropped_pps);
  f.required("dropped_quota", s.dropped_quota);
  f.required("dropped_share", s.dropped_share);
  f.required("state", s.state);
}
void read_object(Fields& f, TopReply& r) {
  f.required("window_s", r.window_s);
  f.required("tracked_sources", r.tracked_sources);
  f.required("quarantined", r.quarantined);
  f.required("frozen", r.frozen);
  f.required("interfaces", r.interfaces);
  f.required("sources", r.sources);
}
void read_object(Fields& f, UnfreezeReply& r) { f.required("was_frozen", r.was_frozen); }

// Requests.
void read_object(Fields&, PingRequest&) {}
void read_object(Fields&, StatusRequest&) {}
void read_object(Fields&, ReloadRequest&) {}
void read_object(Fields&, QuarantineListRequest&) {}
void read_object(Fields&, UnfreezeRequest&) {}
void read_object(Fields& f, ApplyRequest& r) {
  f.required("policy", r.policy);
  f.optional("source", r.source);
  ApplyCredentials& c = r.credentials;
  f.optional("token", c.token);
  f.optional("discharges", c.discharges);
  f.optional("signatures", c.signatures);
  f.optional("nonce", c.nonce);
  f.optional("time", c.time);
}
void read_object(Fields& f, DetachRequest& r) { f.optional("iface", r.iface); }
void read_object(Fields& f, QuarantineAddRequest& r) {
  f.required("source", r.source);
  f.optional("action", r.action);
  f.optional("ban_s", r.ban_s);
  f.optional("pps", r.pps);
  f.optional("burst", r.burst);
}
void read_object(Fields& f, QuarantineDelRequest& r) { f.required("source", r.source); }
void read_object(Fields& f, AlertsRequest& r) { f.optional("limit", r.limit); }
void read_object(Fields& f, TopRequest& r) { f.optional("limit", r.limit); }

template <typename T>
void read_value(const json& value, T& out, const std::string& path) {
  if constexpr (std::is_same_v<T, bool>) {
    if (!value.is_boolean()) throw bad(field_name(path) + " must be true or false");
    out = value.get<bool>();
  } else if constexpr (std::is_same_v<T, std::string>) {
    if (!value.is_string()) throw bad(field_name(path) + " must be a string");
    out = value.get<std::string>();
  } else if constexpr (std::is_integral_v<T> && std::is_unsigned_v<T>) {
    if (!value.is_number_unsigned() || value.get<uint64_t>() > std::numeric_limits<T>::max())
      throw bad(field_name(path) + " must be an integer from 0 to " +
                std::to_string(std::numeric_limits<T>::max()));
    out = static_cast<T>(value.get<uint64_t>());
  } else if constexpr (std::is_integral_v<T>) {
    if (!value.is_number_integer()) throw bad(field_name(path) + " must be an integer");
    out = value.get<int64_t>();
  } else if constexpr (std::is_floating_point_v<T>) {
    if (!value.is_number()) throw bad(field_name(path) + " must be a number");
    out = value.get<T>();
  } else if constexpr (is_vector<T>::value) {
    if (!value.is_array()) throw bad(field_name(path) + " must be an array");
    out.clear();
    for (size_t i = 0; i < value.size(); ++i)
      read_value(value[i], out.emplace_back(), path + "[" + std::to_string(i) + "]");
  } else {
    Fields f(value, path);
    read_object(f, out);
  }
}

json parse_object(std::string_view line) {
  json message = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (message.is_discarded() || !message.is_object())
    throw bad("malformed message: expected one JSON object per line");
  return message;
}

// Never throws on text: bytes that are not UTF-8 are replaced, not fatal.
std::string dump(const json& j, int indent = -1) {
  return j.dump(indent, ' ', /*ensure_ascii=*/false, json::error_handler_t::replace);
}

template <typename Request>
AnyRequest read_request(const json& message) {
  Request request;
  Fields f(message, "");
  f.skip("version");
  f.skip("cmd");
  read_object(f, request);
  f.refuse_others();
  return request;
}

}  // namespace

std::string_view to_string(ErrorCode code) {
  switch (code) {
#define WW_X(name, text) \
  case ErrorCode::name:  \
    return #name;
    WW_CONTROL_ERRORS(WW_X)
#undef WW_X
  }
  return "internal";
}

bool parse_error_code(std::string_view text, ErrorCode& out) {
#define WW_X(name, description) \
  if (text == #name) {          \
    out = ErrorCode::name;      \
    return true;                \
  }
  WW_CONTROL_ERRORS(WW_X)
#undef WW_X
  return false;
}

std::string encode_request(const AnyRequest& request) {
  return std::visit(
      [](const auto& r) -> std::string {
        using T = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          throw std::logic_error("encode_request: no request");
        } else {
          json j = r;
          j["version"] = kProtocolVersion;
          j["cmd"] = command_name<T>();
          return dump(j);
        }
      },
      request);
}

AnyRequest decode_request(std::string_view line) {
  const json message = parse_object(line);
  auto version = message.find("version");
  if (version == message.end() || !version->is_number_unsigned() ||
      version->get<uint64_t>() != kProtocolVersion)
    throw bad(
        "this agent speaks control protocol version " + std::to_string(kProtocolVersion) +
            (version == message.end() ? ", the request names none" : ", not " + dump(*version)) +
            ": use the wwctl built with this agent",
        ErrorCode::unsupported_version);
  auto cmd = message.find("cmd");
  if (cmd == message.end() || !cmd->is_string())
    throw bad(field_name("cmd") + " must be a command name");
  const std::string name = cmd->get<std::string>();
#define WW_X(wire, type) \
  if (name == wire) return read_request<type>(message);
  WW_CONTROL_COMMANDS(WW_X)
#undef WW_X
  throw bad("unknown command " + dump(json(name)), ErrorCode::unknown_command);
}

template <typename Reply>
std::string encode_reply(const Reply& reply) {
  json j = reply;
  j["version"] = kProtocolVersion;
  j["ok"] = true;
  return dump(j);
}

std::string encode_error(const Error& error) {
  json e = {{"code", to_string(error.code)}, {"message", error.message}};
  if (!error.details.empty()) e["details"] = error.details;
  return dump(json{{"version", kProtocolVersion}, {"ok", false}, {"error", e}});
}

namespace {

template <typename Reply>
Result<Reply> decode_reply_fields(const json& message) {
  auto ok = message.find("ok");
  if (ok == message.end() || !ok->is_boolean()) throw bad("the reply has no 'ok'");
  if (!ok->get<bool>()) {
    Error error;
    Fields f(message.at("error"), "error");
    std::string code;
    f.required("code", code);
    f.required("message", error.message);
    f.optional("details", error.details);
    if (!parse_error_code(code, error.code)) error.code = ErrorCode::failed;
    return error;
  }
  Reply reply;
  Fields f(message, "");
  read_object(f, reply);
  return reply;
}

}  // namespace

template <typename Reply>
Result<Reply> decode_reply(std::string_view line) {
  try {
    return decode_reply_fields<Reply>(parse_object(line));
  } catch (const json::exception& e) {  // a value of the wrong shape deep inside
    throw bad(std::string("malformed reply: ") + e.what());
  }
}

template <typename Reply>
std::string to_json_text(const Reply& reply, int indent) {
  return dump(json(reply), indent);
}

#define WW_X(type)                                            \
  template std::string encode_reply<type>(const type&);       \
  template Result<type> decode_reply<type>(std::string_view); \
  template std::string to_json_text<type>(const type&, int);
WW_CONTROL_REPLIES(WW_X)
#undef WW_X
// `wwctl quarantine list --json` has always printed the bare list.
template std::string to_json_text<std::vector<dataplane::QuarantineView>>(
    const std::vector<dataplane::QuarantineView>&, int);

}  // namespace westworld::control

// The one place that knows the JSON keys of the control protocol. Each message
// struct has one field list, `fields(visitor, object)`, walked by the Writer to
// build its JSON and by the Reader to check and fill it: a key is spelt once, so
// the two directions cannot drift apart.
#include "westworld/control/codec.h"

#include <array>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <type_traits>

#include "westworld/dataplane/names.h"

namespace westworld::control {

using nlohmann::json;

namespace {

DecodeError bad(std::string message, ErrorCode code = ErrorCode::bad_request) {
  return DecodeError(Error{code, std::move(message), {}});
}

template <typename T>
struct is_vector : std::false_type {};
template <typename T>
struct is_vector<std::vector<T>> : std::true_type {};

// "field 'policy.rules'", or "the message" for the top level. Keys are printed
// through the serializer, so a hostile key cannot put raw bytes into an error.
std::string field_name(const std::string& path) {
  if (path.empty()) return "the message";
  return "field " + json(path).dump(-1, ' ', false, json::error_handler_t::replace);
}

template <typename T>
json write_value(const T& value);
template <typename T>
void read_value(const json& value, T& out, const std::string& path);

// Counters by direction, then by name (`name_of` of the index): {"ingress": {"pass": {...}}}.
using ByDirection = std::array<dataplane::DirectionCounters, WW_DIR_MAX>;
template <size_t N>
using CounterSlot = std::array<dataplane::CounterSum, N> dataplane::DirectionCounters::*;
using NameOf = const char* (*)(uint32_t);

// What a field list says about each key, for both directions:
//   required       present when read; always written
//   defaulted      may be absent (the default stays); always written
//   optional       std::optional: may be absent or null; written only when set
//   nullable       std::optional: may be absent or null; written as null when unset
//   optional_list  a vector that may be absent; written only when not empty
//   nested         an object of its own, for fields the struct keeps flat
//   named_counters counters by direction and name

// Builds the JSON object of one struct.
class Writer {
 public:
  static constexpr bool kWrites = true;

  template <typename T>
  void required(const char* key, const T& value) {
    object_[key] = write_value(value);
  }
  template <typename T>
  void defaulted(const char* key, const T& value) {
    object_[key] = write_value(value);
  }
  template <typename T>
  void optional(const char* key, const std::optional<T>& value) {
    if (value) object_[key] = write_value(*value);
  }
  template <typename T>
  void nullable(const char* key, const std::optional<T>& value) {
    object_[key] = value ? write_value(*value) : json();
  }
  template <typename T>
  void optional_list(const char* key, const std::vector<T>& value) {
    if (!value.empty()) object_[key] = write_value(value);
  }
  template <typename Each>
  void nested(const char* key, Each&& each) {
    Writer inner;
    each(inner);
    object_[key] = inner.take();
  }
  template <size_t N>
  void named_counters(const char* key, NameOf name_of, const ByDirection& counters,
                      CounterSlot<N> slot) {
    json& out = object_[key] = json::object();
    for (uint32_t dir = 0; dir < WW_DIR_MAX; ++dir) {
      json& named = out[dataplane::direction_name(dir)] = json::object();
      for (uint32_t i = 0; i < N; ++i) named[name_of(i)] = write_value((counters[dir].*slot)[i]);
    }
  }

  json take() { return std::move(object_); }

 private:
  json object_ = json::object();
};

// Reads the fields of one JSON object into a struct, every value type- and
// range-checked (nlohmann's get<uint32_t>() would turn -1 into 4294967295 without
// a word). Requests also refuse fields they were not asked for, so a misspelt key
// is an error, not a silent default.
class Reader {
 public:
  static constexpr bool kWrites = false;

  Reader(const json& object, std::string where) : object_(object), where_(std::move(where)) {
    if (!object.is_object()) throw bad(field_name(where_) + " must be a JSON object");
  }

  template <typename T>
  void required(const char* key, T& out) {
    read_value(present(key), out, path(key));
  }
  template <typename T>
  void defaulted(const char* key, T& out) {
    if (const json* value = find(key)) read_value(*value, out, path(key));
  }
  template <typename T>
  void optional(const char* key, std::optional<T>& out) {
    if (const json* value = find(key)) read_value(*value, out.emplace(), path(key));
  }
  template <typename T>
  void nullable(const char* key, std::optional<T>& out) {
    optional(key, out);
  }
  template <typename T>
  void optional_list(const char* key, std::vector<T>& out) {
    defaulted(key, out);
  }
  template <typename Each>
  void nested(const char* key, Each&& each) {
    Reader inner(present(key), path(key));
    each(inner);
  }
  // Names this build does not know are skipped, so a newer agent's extra counter
  // does not break an older wwctl.
  template <size_t N>
  void named_counters(const char* key, NameOf name_of, ByDirection& counters, CounterSlot<N> slot) {
    const json& by_direction = present(key);
    if (!by_direction.is_object()) throw bad(field_name(path(key)) + " must be an object");
    for (uint32_t dir = 0; dir < WW_DIR_MAX; ++dir) {
      auto named = by_direction.find(dataplane::direction_name(dir));
      if (named == by_direction.end()) continue;
      for (uint32_t i = 0; i < N; ++i) {
        auto c = named->find(name_of(i));
        if (c != named->end())
          read_value(*c, (counters[dir].*slot)[i],
                     path(key) + "." + dataplane::direction_name(dir) + "." + name_of(i));
      }
    }
  }

  void skip(const char* key) { seen_.insert(key); }
  void refuse_others() const {
    for (auto it = object_.begin(); it != object_.end(); ++it)
      if (!seen_.count(it.key()))
        throw bad(field_name(path(it.key())) + " is not a field of this command");
  }

 private:
  // The value of `key`, or nullptr when it is absent or null.
  const json* find(const char* key) {
    seen_.insert(key);
    auto it = object_.find(key);
    return it == object_.end() || it->is_null() ? nullptr : &*it;
  }
  const json& present(const char* key) {
    seen_.insert(key);
    auto it = object_.find(key);
    if (it == object_.end()) throw bad(field_name(path(key)) + " is missing");
    return *it;
  }
  std::string path(const std::string& key) const {
    return where_.empty() ? key : where_ + "." + key;
  }

  const json& object_;
  std::string where_;
  std::set<std::string> seen_;
};

// The object a visitor walks: const for the Writer, which only reads it.
template <typename V, typename T>
using Visited = std::conditional_t<V::kWrites, const T, T>;

// --- the field lists -------------------------------------------------------------------

template <typename V>
void fields(V& v, Visited<V, dataplane::CounterSum>& c) {
  v.required("packets", c.packets);
  v.required("bytes", c.bytes);
}
template <typename V>
void fields(V& v, Visited<V, dataplane::InterfaceStatus>& i) {
  v.required("name", i.name);
  v.required("ifindex", i.ifindex);
  v.required("xdp_mode", i.xdp_mode);
  v.required("xdp_prog_id", i.xdp_prog_id);
  v.required("tc_prog_id", i.tc_prog_id);
  v.nullable("xdp_attached", i.xdp_attached);
}
template <typename V>
void fields(V& v, Visited<V, dataplane::BusySource>& s) {
  v.required("source", s.source);
  v.required("packets", s.packets);
  v.required("bytes", s.bytes);
  v.required("dropped_quota", s.dropped_quota);
  v.required("dropped_share", s.dropped_share);
  v.required("class", s.class_id);
}
template <typename V>
void fields(V& v, Visited<V, dataplane::SourcesStatus>& s) {
  v.required("tracked", s.tracked);
  v.required("max", s.max);
  v.required("created", s.created);
  v.required("evicted", s.evicted);
  v.required("busiest", s.busiest);
}
template <typename V>
void fields(V& v, Visited<V, dataplane::PolicyStatus>& p) {
  v.required("valid", p.valid);
  if (!p.valid) return;  // read first, so both directions see the same value
  v.required("generation", p.generation);
  v.required("digest", p.digest);
  v.required("applied_at_unix_ns", p.applied_at_unix_ns);
  v.required("rules", p.rules);
  v.required("default", p.default_action);
  v.optional("source", p.source);
}
template <typename V>
void fields(V& v, Visited<V, dataplane::RuleStatus>& r) {
  v.required("index", r.index);
  v.required("action", r.action);
  v.required("packets", r.traffic.packets);
  v.required("bytes", r.traffic.bytes);
  v.optional("name", r.name);
}
template <typename V>
void fields(V& v, Visited<V, dataplane::QuarantineView>& q) {
  v.required("source", q.source);
  v.required("action", q.action);
  v.required("origin", q.origin);
  v.required("enforced", q.enforced);
  v.required("remaining_s", q.remaining_s);
  v.required("held_for_s", q.held_for_s);
  v.required("dropped", q.dropped);
  v.optional("pps", q.pps);
}
// The guard's fields sit at the top level of a status reply (as `wwctl status
// --json` has always printed them), beside "agent" and "watchman".
template <typename V>
void fields(V& v, Visited<V, dataplane::GuardStatus>& s) {
  v.required("pin_root", s.pin_root);
  v.nested("programs", [&](auto& programs) {
    programs.required("xdp_id", s.xdp_prog_id);
    programs.required("tc_id", s.tc_prog_id);
  });
  v.required("interfaces", s.interfaces);
  v.required("policy", s.policy);
  v.named_counters("counters", dataplane::stat_name, s.counters.direction,
                   &dataplane::DirectionCounters::stats);
  v.named_counters("drops", dataplane::drop_reason_name, s.counters.direction,
                   &dataplane::DirectionCounters::drops);
  v.required("rules", s.rules);
  v.required("sources", s.sources);
}

template <typename V>
void fields(V& v, Visited<V, PingReply>& r) {
  v.required("protocol", r.protocol);
  v.required("agent_version", r.agent_version);
}
template <typename V>
void fields(V& v, Visited<V, WatchmanSummary>& w) {
  v.required("frozen", w.frozen);
  v.required("freeze_reason", w.freeze_reason);
  v.required("alerts_total", w.alerts_total);
  v.required("quarantined", w.quarantined);
  v.required("detector_tracked_sources", w.detector_tracked_sources);
  v.required("window_ms", w.window_ms);
}
template <typename V>
void fields(V& v, Visited<V, AgentState>& a) {
  v.required("running", a.running);
  if (a.running) v.defaulted("policy_path", a.policy_path);
  v.optional_list("lifted_rules", a.lifted_rules);
  v.defaulted("started_unix_ns", a.started_unix_ns);
}
template <typename V>
void fields(V& v, Visited<V, MeshSummary>& m) {
  v.required("mesh", m.mesh);
  v.required("node_id", m.node_id);
  v.required("endpoints", m.endpoints);
  v.required("connected", m.connected);
  v.defaulted("last_error", m.last_error);
  v.defaulted("disconnected_since", m.disconnected_since);
  v.required("outages", m.outages);
  v.required("registered_routers", m.registered_routers);
  v.required("mesh_size", m.mesh_size);
  v.required("bundles_applied", m.bundles_applied);
  v.required("refusals", m.refusals);
  v.defaulted("last_refusal", m.last_refusal);
  v.required("insecure_open_mesh", m.insecure_open_mesh);
}
template <typename V>
void fields(V& v, Visited<V, StatusReply>& r) {
  fields(v, r.guard);
  v.required("agent", r.agent);
  v.optional("watchman", r.watchman);
  v.optional("mesh", r.mesh);
}
template <typename V>
void fields(V& v, Visited<V, PeerApproval>& p) {
  v.required("peer", p.peer);
  v.required("signature", p.signature);
}
template <typename V>
void fields(V& v, Visited<V, ApplyReply>& r) {
  v.required("generation", r.generation);
  v.required("digest", r.digest);
  v.required("rules", r.rules);
  v.nullable("audit_index", r.audit_index);
  v.defaulted("warnings", r.warnings);
}
template <typename V>
void fields(V& v, Visited<V, DetachReply>& r) {
  v.required("detached", r.detached);
  v.required("agent_stopping", r.agent_stopping);
}
template <typename V>
void fields(V& v, Visited<V, QuarantineChangeReply>& r) {
  v.required("result", r.result);
}
template <typename V>
void fields(V& v, Visited<V, QuarantineListReply>& r) {
  v.required("quarantines", r.quarantines);
}
template <typename V>
void fields(V& v, Visited<V, AlertView>& a) {
  v.required("id", a.id);
  v.required("unix_ns", a.unix_ns);
  v.required("detector", a.detector);
  v.required("subject", a.subject);
  v.required("statistic", a.statistic);
  v.required("value", a.value);
  v.required("threshold", a.threshold);
  v.required("windows", a.windows);
  v.required("window_ms", a.window_ms);
  v.required("detail", a.detail);
  v.required("response", a.response);
  v.defaulted("contained", a.contained);
}
template <typename V>
void fields(V& v, Visited<V, ResponseView>& r) {
  v.required("unix_ns", r.unix_ns);
  v.required("action", r.action);
  v.required("subject", r.subject);
  v.required("reason", r.reason);
}
template <typename V>
void fields(V& v, Visited<V, AlertsReply>& r) {
  v.required("alerts", r.alerts);
  v.required("alerts_total", r.alerts_total);
  v.required("responses", r.responses);
  v.required("frozen", r.frozen);
  v.required("freeze_reason", r.freeze_reason);
}
template <typename V>
void fields(V& v, Visited<V, ViolationView>& x) {
  v.required("id", x.id);
  v.required("at_unix_s", x.at_unix_s);
  v.required("offender", x.offender);
  v.required("violation_type", x.violation_type);
  v.required("detail", x.detail);
  v.required("severity", x.severity);
  v.required("step", x.step);
}
template <typename V>
void fields(V& v, Visited<V, OffenderView>& o) {
  v.required("offender", o.offender);
  v.required("in_window", o.in_window);
  v.required("total", o.total);
  v.required("last_unix_s", o.last_unix_s);
  v.required("blocked_until_unix_s", o.blocked_until_unix_s);
  v.required("quarantined", o.quarantined);
  v.required("flagged", o.flagged);
  v.optional("quarantined_by", o.quarantined_by);
}
template <typename V>
void fields(V& v, Visited<V, CharterViolationsReply>& r) {
  v.required("violations", r.violations);
  v.required("offenders", r.offenders);
  v.required("gate", r.gate);
  v.required("ledger", r.ledger);
}
template <typename V>
void fields(V& v, Visited<V, OverrideSignatureView>& s) {
  v.required("signer", s.signer);
  v.required("signature", s.signature);
}
template <typename V>
void fields(V& v, Visited<V, CharterOverrideReply>& r) {
  v.required("id", r.id);
  v.required("lifted", r.lifted);
  v.required("signers", r.signers);
  v.required("expires_at", r.expires_at);
  v.optional("audit_index", r.audit_index);
}
template <typename V>
void fields(V& v, Visited<V, OverrideView>& o) {
  v.required("id", o.id);
  v.required("rules", o.rules);
  v.required("reason", o.reason);
  v.required("affected_nodes", o.affected_nodes);
  v.required("signers", o.signers);
  v.required("issued_at", o.issued_at);
  v.required("expires_at", o.expires_at);
  v.required("accepted_at", o.accepted_at);
  v.nullable("ended_at", o.ended_at);
  v.required("active", o.active);
}
template <typename V>
void fields(V& v, Visited<V, CharterOverridesReply>& r) {
  v.required("overrides", r.overrides);
  v.required("lifted", r.lifted);
  v.required("operators", r.operators);
  v.required("quorum", r.quorum);
}
template <typename V>
void fields(V& v, Visited<V, TopInterface>& i) {
  v.required("interface", i.interface);
  v.required("ifindex", i.ifindex);
  v.required("pps", i.pps);
  v.required("bps", i.bps);
  v.required("active_sources", i.active_sources);
}
template <typename V>
void fields(V& v, Visited<V, TopSource>& s) {
  v.required("source", s.source);
  v.required("interface", s.interface);
  v.required("pps", s.pps);
  v.required("bps", s.bps);
  v.required("share", s.share);
  v.required("dropped_pps", s.dropped_pps);
  v.required("dropped_quota", s.dropped_quota);
  v.required("dropped_share", s.dropped_share);
  v.required("state", s.state);
}
template <typename V>
void fields(V& v, Visited<V, TopReply>& r) {
  v.required("window_s", r.window_s);
  v.required("tracked_sources", r.tracked_sources);
  v.required("quarantined", r.quarantined);
  v.required("frozen", r.frozen);
  v.required("interfaces", r.interfaces);
  v.required("sources", r.sources);
}
template <typename V>
void fields(V& v, Visited<V, UnfreezeReply>& r) {
  v.required("was_frozen", r.was_frozen);
}

// Request payloads (the envelope adds version and cmd).
template <typename V>
void fields(V&, Visited<V, PingRequest>&) {}
template <typename V>
void fields(V&, Visited<V, StatusRequest>&) {}
template <typename V>
void fields(V&, Visited<V, ReloadRequest>&) {}
template <typename V>
void fields(V&, Visited<V, QuarantineListRequest>&) {}
template <typename V>
void fields(V&, Visited<V, UnfreezeRequest>&) {}
template <typename V>
void fields(V& v, Visited<V, ApplyRequest>& r) {
  v.required("policy", r.policy);
  v.defaulted("source", r.source);
  auto& c = r.credentials;  // at the top level, beside the policy
  v.optional("token", c.token);
  v.optional_list("discharges", c.discharges);
  v.optional_list("signatures", c.signatures);
  v.optional("nonce", c.nonce);
  v.optional("time", c.time);
  v.optional("confirm_mass_change", r.confirm_mass_change);
}
template <typename V>
void fields(V& v, Visited<V, DetachRequest>& r) {
  v.optional("iface", r.iface);
}
template <typename V>
void fields(V& v, Visited<V, QuarantineAddRequest>& r) {
  v.required("source", r.source);
  v.optional("action", r.action);
  v.optional("ban_s", r.ban_s);
  v.optional("pps", r.pps);
  v.optional("burst", r.burst);
}
template <typename V>
void fields(V& v, Visited<V, QuarantineDelRequest>& r) {
  v.required("source", r.source);
}
template <typename V>
void fields(V& v, Visited<V, CharterViolationsRequest>& r) {
  v.defaulted("limit", r.limit);
}
template <typename V>
void fields(V& v, Visited<V, CharterOverrideRequest>& r) {
  v.required("rules", r.rules);
  v.required("reason", r.reason);
  v.required("affected_nodes", r.affected_nodes);
  v.required("issued_at", r.issued_at);
  v.required("expires_at", r.expires_at);
  v.required("nonce", r.nonce);
  v.defaulted("signatures", r.signatures);
  v.defaulted("decision", r.decision);
}
template <typename V>
void fields(V& v, Visited<V, CharterRestoreRequest>& r) {
  v.required("offender", r.offender);
  v.required("decision", r.decision);
}
template <typename V>
void fields(V&, Visited<V, QuestSettleRequest>&) {}
template <typename V>
void fields(V& v, Visited<V, QuestSettleReply>& r) {
  v.required("settled", r.settled);
  v.required("batch", r.batch);
  v.required("first_transaction", r.first_transaction);
  v.required("last_transaction", r.last_transaction);
  v.required("entries", r.entries);
  v.required("minted", r.minted);
  v.required("digest", r.digest);
  v.optional("audit_index", r.audit_index);
}
template <typename V>
void fields(V& v, Visited<V, CharterRestoreReply>& r) {
  v.required("offender", r.offender);
  v.required("violation", r.violation);
  v.required("decision", r.decision);
  v.required("voters", r.voters);
  v.required("released", r.released);
  v.optional("audit_index", r.audit_index);
}
template <typename V>
void fields(V& v, Visited<V, CharterOverridesRequest>& r) {
  v.defaulted("limit", r.limit);
}
template <typename V>
void fields(V& v, Visited<V, AlertsRequest>& r) {
  v.defaulted("limit", r.limit);
}
template <typename V>
void fields(V& v, Visited<V, TopRequest>& r) {
  v.defaulted("limit", r.limit);
}

// --- values ----------------------------------------------------------------------------

template <typename T>
json write_value(const T& value) {
  if constexpr (std::is_arithmetic_v<T> || std::is_same_v<T, std::string>) {
    return json(value);
  } else if constexpr (is_vector<T>::value) {
    json array = json::array();
    for (const auto& item : value) array.push_back(write_value(item));
    return array;
  } else {
    Writer writer;
    fields(writer, value);
    return writer.take();
  }
}

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
    Reader reader(value, path);
    fields(reader, out);
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
  Reader reader(message, "");
  reader.skip("version");
  reader.skip("cmd");
  fields(reader, request);
  reader.refuse_others();
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
          json j = write_value(r);
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
  json j = write_value(reply);
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
    Reader reader(message.at("error"), "error");
    std::string code;
    reader.required("code", code);
    reader.required("message", error.message);
    reader.defaulted("details", error.details);
    if (!parse_error_code(code, error.code)) error.code = ErrorCode::failed;
    return error;
  }
  Reply reply;
  Reader reader(message, "");
  fields(reader, reply);
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
  return dump(write_value(reply), indent);
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

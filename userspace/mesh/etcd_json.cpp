#include "etcd_json.h"

#include <nlohmann/json.hpp>

#include "westworld/capability/bytes.h"

namespace westworld::mesh::etcd_json {

namespace {

using nlohmann::json;

KvError malformed(const std::string& what) {
  return KvError(KvError::Kind::protocol, "etcd sent a reply Westworld cannot read: " + what);
}

std::string b64(std::string_view raw) { return capability::to_base64(capability::as_bytes(raw)); }

std::string unb64(const json& field, const char* name) {
  if (!field.is_string()) throw malformed(std::string(name) + " is not a base64 string");
  auto bytes = capability::from_base64(field.get<std::string>());
  if (!bytes) throw malformed(std::string(name) + " is not valid base64");
  return capability::to_string(*bytes);
}

json parse(std::string_view body) {
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) throw malformed("not a JSON object");
  return doc;
}

// int64 fields arrive as decimal strings (or, from some versions, numbers); absent is 0.
int64_t int64_field(const json& object, const char* name) {
  auto it = object.find(name);
  if (it == object.end() || it->is_null()) return 0;
  if (it->is_number_integer()) return it->get<int64_t>();
  if (!it->is_string()) throw malformed(std::string(name) + " is not an integer");
  const std::string& text = it->get_ref<const std::string&>();
  try {
    std::size_t used = 0;
    const long long value = std::stoll(text, &used);
    if (used != text.size()) throw malformed(std::string(name) + " is not an integer");
    return value;
  } catch (const std::logic_error&) {
    throw malformed(std::string(name) + " is not an integer: '" + text + "'");
  }
}

// uint64 identifiers (member ids) are kept as the decimal text etcd sent.
std::string id_field(const json& object, const char* name) {
  auto it = object.find(name);
  if (it == object.end() || it->is_null()) return "0";
  if (it->is_number_unsigned() || it->is_number_integer()) return it->dump();
  if (!it->is_string() || it->get_ref<const std::string&>().empty() ||
      it->get_ref<const std::string&>().find_first_not_of("0123456789") != std::string::npos)
    throw malformed(std::string(name) + " is not an identifier");
  return it->get<std::string>();
}

bool bool_field(const json& object, const char* name) {
  auto it = object.find(name);
  if (it == object.end() || it->is_null()) return false;
  if (!it->is_boolean()) throw malformed(std::string(name) + " is not a boolean");
  return it->get<bool>();
}

const json& object_field(const json& object, const char* name) {
  static const json empty = json::object();
  auto it = object.find(name);
  if (it == object.end() || it->is_null()) return empty;
  if (!it->is_object()) throw malformed(std::string(name) + " is not an object");
  return *it;
}

Revision revision_of(const json& reply) {
  return int64_field(object_field(reply, "header"), "revision");
}

KeyValue key_value(const json& kv) {
  if (!kv.is_object()) throw malformed("a kv is not an object");
  KeyValue out;
  out.key = unb64(kv.value("key", json()), "key");
  if (auto it = kv.find("value"); it != kv.end()) out.value = unb64(*it, "value");
  out.create_revision = int64_field(kv, "create_revision");
  out.mod_revision = int64_field(kv, "mod_revision");
  out.version = int64_field(kv, "version");
  out.lease = int64_field(kv, "lease");
  return out;
}

std::string decimal(int64_t value) { return std::to_string(value); }

json put_object(const Put& put) {
  json object{{"key", b64(put.key)}, {"value", b64(put.value)}};
  if (put.lease != 0) object["lease"] = decimal(put.lease);
  return object;
}

}  // namespace

KvError error_for(int grpc_code, const std::string& message) {
  using Kind = KvError::Kind;
  const std::string what = "etcd: " + message + " (code " + std::to_string(grpc_code) + ")";
  switch (grpc_code) {
    case 5:  // NOT_FOUND: etcd uses it for leases only
      return KvError(
          message.find("lease") != std::string::npos ? Kind::lease_not_found : Kind::rejected,
          what);
    case 11:  // OUT_OF_RANGE: "required revision has been compacted"
      return KvError(Kind::compacted, what);
    case 7:   // PERMISSION_DENIED
    case 16:  // UNAUTHENTICATED
      return KvError(Kind::permission_denied, what);
    case 2:   // UNKNOWN: "context deadline exceeded" without quorum
    case 4:   // DEADLINE_EXCEEDED
    case 14:  // UNAVAILABLE: "request timed out", leader lost
      return KvError(Kind::unavailable, what);
    case 3:  // INVALID_ARGUMENT, also "user name is empty" without a token and
             // "authentication failed, invalid user ID or password"
      return KvError(message.find("user name") != std::string::npos ||
                             message.find("authentication failed") != std::string::npos
                         ? Kind::permission_denied
                         : Kind::rejected,
                     what);
    default:
      return KvError(Kind::rejected, what);
  }
}

void check_reply(unsigned status, std::string_view body) {
  json doc = json::parse(body, nullptr, false);
  if (doc.is_object() && (doc.contains("error") || doc.contains("code")) && status != 200) {
    const std::string message = doc.value("message", doc.value("error", std::string()));
    throw error_for(doc.value("code", 2), message);
  }
  if (status != 200)
    throw KvError(KvError::Kind::protocol, "etcd answered HTTP " + std::to_string(status));
  if (doc.is_discarded() || !doc.is_object()) throw malformed("not a JSON object");
}

std::string range_request(std::string_view key, std::optional<std::string> range_end,
                          bool count_only) {
  json request{{"key", b64(key)}};
  if (range_end) request["range_end"] = b64(*range_end);
  if (count_only) request["count_only"] = true;
  return request.dump();
}

std::string put_request(const Put& put) { return put_object(put).dump(); }

std::string delete_request(std::string_view key) { return json{{"key", b64(key)}}.dump(); }

std::string txn_request(const Txn& txn) {
  json compare = json::array();
  for (const Compare& c : txn.when) {
    const bool create = c.field == Compare::Field::create_revision;
    compare.push_back({{"key", b64(c.key)},
                       {"target", create ? "CREATE" : "MOD"},
                       {"result", "EQUAL"},
                       {create ? "create_revision" : "mod_revision", decimal(c.equals)}});
  }
  json success = json::array();
  for (const Put& put : txn.then) success.push_back({{"request_put", put_object(put)}});
  return json{{"compare", compare}, {"success", success}}.dump();
}

std::string lease_grant_request(std::chrono::seconds ttl) {
  return json{{"TTL", decimal(ttl.count())}}.dump();
}

std::string lease_id_request(LeaseId lease) { return json{{"ID", decimal(lease)}}.dump(); }

std::string watch_request(std::string_view prefix, Revision from) {
  json create{{"key", b64(prefix)}, {"range_end", b64(prefix_end(prefix))}};
  if (from > 0) create["start_revision"] = decimal(from);
  return json{{"create_request", create}}.dump();
}

std::string compaction_request(Revision revision) {
  return json{{"revision", decimal(revision)}, {"physical", true}}.dump();
}

std::string authenticate_request(std::string_view user, std::string_view password) {
  return json{{"name", user}, {"password", password}}.dump();
}

RangeReply range_reply(std::string_view body) {
  const json doc = parse(body);
  RangeReply reply;
  reply.revision = revision_of(doc);
  if (auto it = doc.find("kvs"); it != doc.end() && !it->is_null()) {
    if (!it->is_array()) throw malformed("kvs is not a list");
    for (const json& kv : *it) reply.kvs.push_back(key_value(kv));
  }
  return reply;
}

int64_t range_count(std::string_view body) { return int64_field(parse(body), "count"); }

Revision header_revision(std::string_view body) { return revision_of(parse(body)); }

int64_t deleted_count(std::string_view body) { return int64_field(parse(body), "deleted"); }

TxnReply txn_reply(std::string_view body) {
  const json doc = parse(body);
  // A failed comparison leaves `succeeded` out altogether.
  return TxnReply{bool_field(doc, "succeeded"), revision_of(doc)};
}

Lease lease_grant_reply(std::string_view body) {
  const json doc = parse(body);
  Lease lease{int64_field(doc, "ID"), std::chrono::seconds(int64_field(doc, "TTL"))};
  if (lease.id == 0 || lease.ttl.count() <= 0) {
    const std::string error = doc.value("error", std::string());
    throw KvError(KvError::Kind::rejected,
                  "etcd granted no lease" + (error.empty() ? std::string() : ": " + error));
  }
  return lease;
}

std::chrono::seconds keep_alive_reply(std::string_view body, LeaseId lease) {
  const json doc = parse(body);
  // Wrapped in `result`, being a stream message; an expired lease gets an answer with its
  // ID but no TTL (zero is omitted) and no error.
  const json& result = object_field(doc, "result");
  if (const json& error = object_field(doc, "error"); !error.empty())
    throw error_for(static_cast<int>(int64_field(error, "grpc_code")),
                    error.value("message", std::string("keepalive failed")));
  const int64_t ttl = int64_field(result, "TTL");
  if (ttl <= 0)
    throw KvError(KvError::Kind::lease_not_found,
                  "etcd: lease " + std::to_string(lease) + " has expired");
  return std::chrono::seconds(ttl);
}

std::string authenticate_reply(std::string_view body) {
  const json doc = parse(body);
  auto it = doc.find("token");
  if (it == doc.end() || !it->is_string() || it->get<std::string>().empty())
    throw KvError(KvError::Kind::permission_denied, "etcd: authentication gave no token");
  return it->get<std::string>();
}

WatchMessage watch_message(std::string_view line) {
  const json doc = parse(line);
  if (const json& error = object_field(doc, "error"); !error.empty())
    throw error_for(static_cast<int>(int64_field(error, "grpc_code")),
                    error.value("message", std::string("watch failed")));
  const json& result = object_field(doc, "result");
  WatchMessage message;
  message.created = bool_field(result, "created");
  message.canceled = bool_field(result, "canceled");
  message.compact_revision = int64_field(result, "compact_revision");
  message.cancel_reason = result.value("cancel_reason", std::string());
  message.batch.revision = revision_of(result);
  if (auto it = result.find("events"); it != result.end() && !it->is_null()) {
    if (!it->is_array()) throw malformed("events is not a list");
    for (const json& event : *it) {
      WatchEvent out;
      // PUT is the zero value of the event type, so a put has no `type`.
      const std::string type = event.value("type", std::string("PUT"));
      if (type == "DELETE")
        out.kind = WatchEvent::Kind::erase;
      else if (type != "PUT")
        throw malformed("unknown event type '" + type + "'");
      out.kv = key_value(object_field(event, "kv"));
      message.batch.events.push_back(std::move(out));
    }
  }
  return message;
}

StatusReply status_reply(std::string_view body) {
  const json doc = parse(body);
  const json& header = object_field(doc, "header");
  StatusReply reply;
  reply.member_id = id_field(header, "member_id");
  reply.leader_id = id_field(doc, "leader");
  reply.revision = int64_field(header, "revision");
  reply.version = doc.value("version", std::string());
  return reply;
}

}  // namespace westworld::mesh::etcd_json

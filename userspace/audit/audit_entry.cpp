#include "westworld/audit/audit_entry.h"

#include <algorithm>
#include <stdexcept>

#include "westworld/capability/crypto.h"

namespace westworld::audit {
namespace {

using nlohmann::json;

constexpr size_t kMaxTextBytes = 4096;
constexpr size_t kMaxListItems = 100000;
constexpr std::string_view kCommitmentKey = "salted_sha256";

enum class Kind { kText, kDigest, kTextList, kTime };

struct FieldSpec {
  std::string_view name;
  Kind kind;
  bool required;
  bool personal;
};

constexpr FieldSpec kActor{"actor", Kind::kText, false, true};

// The vault's records: identifiers and decisions only (see include/westworld/vault/).
std::vector<FieldSpec> vault_schema(std::string_view type) {
  auto text = [](std::string_view name) { return FieldSpec{name, Kind::kText, true, false}; };
  if (type == "vault_init")
    return {text("epoch"), text("threshold"), {"guardians", Kind::kTextList, true, false}, kActor};
  if (type == "vault_put") return {text("item"), text("item_type"), kActor};
  if (type == "vault_request") return {text("request"), text("item"), text("mode"), kActor};
  if (type == "vault_approve") return {text("request"), text("guardian"), text("decision"), kActor};
  if (type == "vault_vote") return {text("request"), text("guardian"), text("vote"), kActor};
  if (type == "vault_access")
    return {text("request"), text("item"), text("decision"), text("reason"), kActor};
  if (type == "vault_erase") return {text("item"), kActor};
  if (type == "vault_rotate")
    return {text("kind"),     text("epoch"),
            text("nonce"),    {"guardians", Kind::kTextList, true, false},
            text("decision"), kActor};
  throw std::invalid_argument("unknown audit entry type '" + std::string(type) + "'");
}

std::vector<FieldSpec> schema_of(std::string_view type) {
  if (type == "policy_apply")
    return {{"digest", Kind::kDigest, true, false},
            {"token_id", Kind::kText, true, false},
            {"signers", Kind::kTextList, true, false},
            kActor};
  if (type == "quarantine" || type == "release")
    return {{"node", Kind::kText, true, false}, {"reason", Kind::kText, true, false}, kActor};
  if (type == "freeze" || type == "unfreeze")
    return {{"target", Kind::kText, true, false}, {"reason", Kind::kText, true, false}, kActor};
  if (type == "emergency_override")
    return {
        {"who", Kind::kText, true, true},        {"what", Kind::kText, true, false},
        {"why", Kind::kText, true, false},       {"affected_nodes", Kind::kTextList, true, false},
        {"expiry", Kind::kTime, true, false},    {"override", Kind::kDigest, false, false},
        {"decision", Kind::kText, false, false}, kActor};
  if (type == "emergency_override_end")
    return {{"override", Kind::kDigest, true, false},
            {"what", Kind::kText, true, false},
            {"reason", Kind::kText, true, false},
            kActor};
  if (type == "charter_violation")
    return {{"node", Kind::kText, true, false},
            {"charter_clause", Kind::kText, true, false},
            {"detail", Kind::kText, true, false},
            kActor};
  if (type == "charter_restore")  // a charter quarantine lifted on a governance decision
    return {{"node", Kind::kText, true, false},
            {"violation", Kind::kText, true, false},
            {"decision", Kind::kDigest, true, false},
            {"voters", Kind::kTextList, true, false},
            kActor};
  if (type == "agent_start")
    return {{"enforced_digest", Kind::kDigest, true, false},
            {"file_digest", Kind::kDigest, true, false},
            {"decision", Kind::kText, true, false},
            kActor};
  if (type == "gov_apply")
    return {{"digest", Kind::kDigest, true, false},   {"proposal", Kind::kDigest, true, false},
            {"title", Kind::kText, false, false},     {"decision", Kind::kText, true, false},
            {"voters", Kind::kTextList, true, false}, kActor};
  if (type == "gov_vote")  // one counted vote, signed: re-checkable from the log alone
    return {{"proposal", Kind::kDigest, true, false}, {"voter", Kind::kText, true, false},
            {"choice", Kind::kText, true, false},     {"at", Kind::kTime, true, false},
            {"signature", Kind::kText, true, false},  kActor};
  if (type == "gov_rollback")
    return {{"digest", Kind::kDigest, true, false},
            {"proposal", Kind::kDigest, true, false},
            {"decision", Kind::kText, true, false},
            kActor};
  if (type == "gov_rollout")
    return {{"proposal", Kind::kDigest, true, false},
            {"step", Kind::kText, true, false},
            {"detail", Kind::kText, true, false},
            kActor};
  if (type == "quest_settlement")  // a batch of quest grants closed: its totals, checkable
    return {{"batch", Kind::kText, true, false},
            {"first_transaction", Kind::kText, true, false},
            {"last_transaction", Kind::kText, true, false},
            {"entries", Kind::kText, true, false},
            {"minted", Kind::kText, true, false},
            {"digest", Kind::kDigest, true, false},
            kActor};
  if (type == "subject_erase") return {{"erased_entries", Kind::kTextList, true, false}, kActor};
  if (type.starts_with("vault_")) return vault_schema(type);
  throw std::invalid_argument("unknown audit entry type '" + std::string(type) + "'");
}

bool is_text(const json& value) {
  if (!value.is_string()) return false;
  const auto& s = value.get_ref<const std::string&>();
  return !s.empty() && s.size() <= kMaxTextBytes;
}

bool is_digest(const json& value) {
  if (!value.is_string()) return false;
  const auto& s = value.get_ref<const std::string&>();
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

bool has_kind(const json& value, Kind kind) {
  switch (kind) {
    case Kind::kText:
      return is_text(value);
    case Kind::kDigest:
      return is_digest(value);
    case Kind::kTime:
      return value.is_string() &&
             capability::parse_rfc3339_utc(value.get_ref<const std::string&>()).has_value();
    case Kind::kTextList:
      return value.is_array() && value.size() <= kMaxListItems &&
             std::all_of(value.begin(), value.end(), is_text);
  }
  return false;
}

std::string_view kind_name(Kind kind) {
  switch (kind) {
    case Kind::kText:
      return "a non-empty string";
    case Kind::kDigest:
      return "64 lowercase hex characters";
    case Kind::kTextList:
      return "an array of non-empty strings";
    case Kind::kTime:
      return "an RFC 3339 UTC time";
  }
  return "?";
}

bool is_commitment(const json& value) {
  return value.is_object() && value.size() == 1 && value.contains(kCommitmentKey) &&
         is_digest(value[std::string(kCommitmentKey)]);
}

// Checks `fields` against the schema. With `committed`, personal fields must be salted
// commitments (a stored leaf); otherwise they must be plain values (a new record).
void check_fields(std::string_view type, const json& fields, bool committed) {
  if (!fields.is_object()) throw std::invalid_argument("fields must be a JSON object");
  const std::vector<FieldSpec> schema = schema_of(type);
  // Not a structured binding: clang before 16 cannot capture one in a lambda.
  for (const auto& item : fields.items()) {
    const std::string& name = item.key();
    if (std::none_of(schema.begin(), schema.end(),
                     [&](const FieldSpec& f) { return f.name == name; }))
      throw std::invalid_argument("unknown field '" + name + "' for " + std::string(type));
  }
  for (const FieldSpec& spec : schema) {
    const std::string name(spec.name);
    if (!fields.contains(name)) {
      if (spec.required)
        throw std::invalid_argument(std::string(type) + " needs field '" + name + "'");
      continue;
    }
    const bool ok = committed && spec.personal ? is_commitment(fields[name])
                                               : has_kind(fields[name], spec.kind);
    if (!ok) {
      throw std::invalid_argument("field '" + name + "' must be " +
                                  (committed && spec.personal ? std::string("a salted commitment")
                                                              : std::string(kind_name(spec.kind))));
    }
  }
}

bool is_personal(std::string_view type, std::string_view field) {
  for (const FieldSpec& spec : schema_of(type))
    if (spec.name == field) return spec.personal;
  return false;
}

}  // namespace

std::string personal_commitment(capability::ByteView salt, std::string_view value) {
  return capability::to_hex(
      capability::Sha256().update(salt).update(capability::as_bytes(value)).finish());
}

PreparedEntry prepare_entry(const AuditRecord& record, capability::UnixSeconds logged_at) {
  check_fields(record.type, record.fields, false);
  PreparedEntry entry;
  json committed = record.fields;
  for (const FieldSpec& spec : schema_of(record.type)) {
    const std::string name(spec.name);
    if (!spec.personal || !committed.contains(name)) continue;
    PersonalDatum datum{name, capability::Bytes(kPersonalSaltBytes),
                        committed[name].get<std::string>()};
    capability::random_bytes(datum.salt);
    committed[name] =
        json{{std::string(kCommitmentKey), personal_commitment(datum.salt, datum.value)}};
    entry.personal.push_back(std::move(datum));
  }
  const json leaf{{"type", record.type},
                  {"logged_at", capability::format_rfc3339_utc(logged_at)},
                  {"fields", committed}};
  try {
    entry.leaf = leaf.dump();
  } catch (const json::exception& e) {
    throw std::invalid_argument(std::string("record is not valid UTF-8 text: ") + e.what());
  }
  return entry;
}

std::optional<std::string> check_leaf(std::string_view leaf) {
  try {
    const json record = json::parse(leaf);
    if (!record.is_object() || record.size() != 3 || !record.contains("type") ||
        !record.contains("logged_at") || !record.contains("fields")) {
      return "record must be exactly {type, logged_at, fields}";
    }
    if (!record["type"].is_string()) return "record type must be a string";
    if (!has_kind(record["logged_at"], Kind::kTime))
      return "logged_at must be an RFC 3339 UTC time";
    check_fields(record["type"].get<std::string>(), record["fields"], true);
    if (record.dump() != leaf) return "record is not in canonical form";
    return std::nullopt;
  } catch (const std::exception& e) {
    return std::string("invalid record: ") + e.what();
  }
}

std::optional<std::string> check_personal_datum(std::string_view leaf, const PersonalDatum& datum) {
  try {
    const json record = json::parse(leaf);
    const json& fields = record.at("fields");
    if (!is_personal(record.at("type").get<std::string>(), datum.field) ||
        !fields.contains(datum.field)) {
      return "personal data stored for field '" + datum.field +
             "', which the record does not commit to";
    }
    const std::string want = fields[datum.field].at(std::string(kCommitmentKey)).get<std::string>();
    if (datum.salt.size() != kPersonalSaltBytes ||
        personal_commitment(datum.salt, datum.value) != want)
      return "personal data for field '" + datum.field + "' does not match its commitment";
    return std::nullopt;
  } catch (const std::exception& e) {
    return std::string("invalid record: ") + e.what();
  }
}

nlohmann::json reveal(std::string_view leaf, std::span<const PersonalDatum> personal) {
  json record = json::parse(leaf);
  json& fields = record["fields"];
  for (auto& item : fields.items()) {
    const std::string& name = item.key();
    json& value = item.value();
    if (!is_commitment(value)) continue;
    const auto held = std::find_if(personal.begin(), personal.end(),
                                   [&](const PersonalDatum& d) { return d.field == name; });
    if (held != personal.end())
      value = held->value;
    else
      value["erased"] = true;
  }
  return record;
}

}  // namespace westworld::audit

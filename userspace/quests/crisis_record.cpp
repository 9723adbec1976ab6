#include "westworld/quests/crisis_record.h"

#include <nlohmann/json.hpp>

#include "signing_frame.h"
#include "westworld/governance/json_fields.h"

namespace westworld::quests {
namespace {

constexpr std::string_view kDomain{"westworld/quests/crisis/v1\0", 27};

}  // namespace

Crisis CrisisRecord::crisis() const {
  return {0, kind, subject, alert_id, opened_at, opened_at + kCrisisWindow, node};
}

capability::Bytes crisis_signing_bytes(const CrisisRecord& record) {
  capability::Bytes out(kDomain.begin(), kDomain.end());
  detail::put_string(out, record.node);
  detail::put_string(out, crisis_kind_name(record.kind));
  detail::put_string(out, record.subject);
  detail::put_be(out, record.alert_id);
  detail::put_seconds(out, record.opened_at.time_since_epoch().count());
  return out;
}

CrisisRecord signed_crisis_record(const Crisis& crisis, std::string_view node,
                                  const capability::Ed25519KeyPair& key) {
  CrisisRecord record{crisis.kind,     std::string(node), crisis.subject,
                      crisis.alert_id, crisis.opened_at,  {}};
  const capability::Ed25519Signature signature = key.sign(crisis_signing_bytes(record));
  record.signature.assign(signature.begin(), signature.end());
  return record;
}

bool verify_crisis_signature(const CrisisRecord& record, const capability::PublicKey& key) {
  const auto signature = capability::fixed_bytes<64>(record.signature);
  return signature && capability::ed25519_verify(crisis_signing_bytes(record), *signature, key);
}

std::string encode_crisis_record(const CrisisRecord& record) {
  const nlohmann::json doc = {
      {"format", kCrisisRecordFormat},
      {"kind", crisis_kind_name(record.kind)},
      {"node", record.node},
      {"subject", record.subject},
      {"alert", record.alert_id},
      {"opened_at", record.opened_at.time_since_epoch().count()},
      {"signature", capability::to_base64(record.signature)},
  };
  return doc.dump();
}

CrisisRecord decode_crisis_record(std::string_view text) {
  const governance::detail::JsonFields f(
      text, "quest crisis record", kCrisisRecordFormat,
      {"kind", "node", "subject", "alert", "opened_at", "signature"});
  CrisisRecord record;
  const std::optional<CrisisKind> kind = parse_crisis_kind(f.string("kind"));
  if (!kind) f.fail("kind", "must be one of " + crisis_kind_names());
  record.kind = *kind;
  record.node = f.string("node");
  record.subject = f.string("subject");
  record.alert_id = f.natural("alert");
  record.opened_at = common::UnixSeconds(std::chrono::seconds(f.integer("opened_at")));
  const auto signature = f.base64<64>("signature");
  record.signature.assign(signature.begin(), signature.end());
  return record;
}

}  // namespace westworld::quests

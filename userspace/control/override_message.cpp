#include "westworld/control/override_message.h"

#include <algorithm>
#include <stdexcept>

#include "westworld/capability/bytes.h"
#include "westworld/capability/clock.h"

namespace westworld::control {
namespace {

common::UnixSeconds time_field(const std::string& text, const char* field) {
  const auto time = capability::parse_rfc3339_utc(text);
  if (!time)
    throw std::invalid_argument(std::string(field) + " '" + text +
                                "' is not a time like 2026-12-01T00:00:00Z");
  return *time;
}

}  // namespace

CharterOverrideRequest to_message(const charter::EmergencyOverride& o,
                                  std::span<const charter::OperatorSignature> signatures) {
  CharterOverrideRequest message;
  message.rules = o.rules;
  message.reason = o.reason;
  message.affected_nodes = o.affected_nodes;
  message.issued_at = capability::format_rfc3339_utc(o.issued_at);
  message.expires_at = capability::format_rfc3339_utc(o.expires_at);
  message.nonce = capability::to_hex(o.nonce);
  for (const charter::OperatorSignature& s : signatures)
    message.signatures.push_back(
        {capability::to_base64(s.signer), capability::to_base64(s.signature)});
  return message;
}

OverrideMessage from_message(const CharterOverrideRequest& message) {
  OverrideMessage out;
  charter::EmergencyOverride& o = out.override_;
  o.rules = message.rules;
  o.reason = message.reason;
  o.affected_nodes = message.affected_nodes;
  o.issued_at = time_field(message.issued_at, "issued_at");
  o.expires_at = time_field(message.expires_at, "expires_at");
  const auto nonce = capability::fixed_bytes<16>(capability::from_hex(message.nonce));
  if (!nonce) throw std::invalid_argument("nonce '" + message.nonce + "' is not 32 hex characters");
  o.nonce = *nonce;
  for (size_t i = 0; i < message.signatures.size(); ++i) {
    const auto s = charter::decode_operator_signature(message.signatures[i].signer,
                                                      message.signatures[i].signature);
    if (!s)
      throw std::invalid_argument("signatures[" + std::to_string(i) +
                                  "]: signer or signature is not base64 of 32 or 64 bytes");
    out.signatures.push_back(*s);
  }
  return out;
}

}  // namespace westworld::control

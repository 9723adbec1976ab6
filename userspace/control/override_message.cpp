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

template <size_t N>
void exact_bytes(const std::optional<capability::Bytes>& bytes, std::array<std::uint8_t, N>& out,
                 const std::string& what) {
  if (!bytes || bytes->size() != N)
    throw std::invalid_argument(what + " is not " + std::to_string(N) + " bytes");
  std::copy(bytes->begin(), bytes->end(), out.begin());
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
  exact_bytes(message.nonce.size() == 2 * o.nonce.size() ? capability::from_hex(message.nonce)
                                                         : std::nullopt,
              o.nonce, "nonce '" + message.nonce + "'");
  for (size_t i = 0; i < message.signatures.size(); ++i) {
    const std::string where = "signatures[" + std::to_string(i) + "]";
    charter::OperatorSignature s;
    exact_bytes(capability::from_base64(message.signatures[i].signer), s.signer, where + ".signer");
    exact_bytes(capability::from_base64(message.signatures[i].signature), s.signature,
                where + ".signature");
    out.signatures.push_back(s);
  }
  return out;
}

}  // namespace westworld::control

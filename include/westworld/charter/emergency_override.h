// An emergency override: named charter flow rules lifted on named nodes for at most two
// hours. Without a mesh it is allowed by a quorum of operators, each signing the override's
// canonical form with their Ed25519 key (a peer key, `wwctl peer keygen`); the operators and
// the quorum are the agent's configuration, never the request's say-so. The signed form
// carries its own expiry, so a signed override cannot be replayed to last longer, and its
// digest is its id, so the same override is accepted once.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "westworld/capability/crypto.h"
#include "westworld/capability/ed25519.h"
#include "westworld/common/clock.h"

namespace westworld::charter {

// The charter's hard maximum: no override lasts longer, whoever signs it.
inline constexpr std::chrono::hours kMaxOverride{2};
// How far ahead of this node's clock an override may say it was issued (clock skew).
inline constexpr std::chrono::seconds kOverrideClockSkew{60};

using OverrideNonce = std::array<std::uint8_t, 16>;

struct EmergencyOverride {
  std::vector<std::string> rules;           // charter flow rules lifted, by name
  std::string reason;                       // why, in words: public in the audit log
  std::vector<std::string> affected_nodes;  // node ids (an agent's --node-id)
  common::UnixSeconds issued_at;
  common::UnixSeconds expires_at;  // the rules return at this second
  OverrideNonce nonce{};           // tells apart two overrides that say the same
};

// What is wrong with the override's form (empty or repeated names, no reason, an expiry
// not after issue or more than kMaxOverride after it); nothing when it is well formed.
std::optional<std::string> override_form_error(const EmergencyOverride& override_);

// SHA-256 over a domain tag and the fields in fixed framing (rules and nodes sorted):
// what operators sign, and the override's id.
capability::Digest override_digest(const EmergencyOverride& override_);
std::string override_id(const EmergencyOverride& override_);  // the digest in hex

struct OperatorSignature {
  capability::PublicKey signer{};
  capability::Ed25519Signature signature{};
};

OperatorSignature sign_override(const EmergencyOverride& override_,
                                const capability::Ed25519KeyPair& key);

// A signature as files and messages write it (signer and signature in standard base64);
// nothing when either does not decode to its size.
std::optional<OperatorSignature> decode_operator_signature(std::string_view signer,
                                                           std::string_view signature);

struct Operator {
  std::string id;
  capability::PublicKey key{};
};

// The operators who may allow an override on this node, and how many must sign.
struct OperatorQuorum {
  std::vector<Operator> operators;
  std::size_t quorum = 0;
};

// Two thirds of the operators, rounded up (the charter's emergency quorum, 67%), and never
// fewer than two: one operator alone is never enough.
std::size_t default_override_quorum(std::size_t operators);

enum class OverrideRefusal : std::uint8_t {
  none = 0,
  malformed = 1,           // override_form_error
  not_configured = 2,      // this node has no operator quorum for overrides
  not_affected = 3,        // this node is not among the affected nodes
  not_yet_issued = 4,      // issued further in the future than the clock skew allows
  expired = 5,             // its expiry has passed
  unknown_operator = 6,    // a signer is not one of this node's operators
  duplicate_operator = 7,  // the same operator signed twice
  bad_signature = 8,       // a signature does not verify over the override's digest
  too_few_signatures = 9,  // fewer operators than the quorum
  decision_refused = 10,   // the governance decision named does not allow this override
};

const char* to_string(OverrideRefusal refusal);

struct OverrideVerdict {
  OverrideRefusal refusal = OverrideRefusal::none;
  std::string detail;                // a sentence naming the signer, field or counts
  std::vector<std::string> signers;  // operator ids, when allowed

  bool ok() const { return refusal == OverrideRefusal::none; }
};

// Whether `override_` may take effect on node `node_id` at `now` whoever allows it: well
// formed, naming this node, issued and not expired. An override allowed by a governance
// decision is checked with this, then against the decision (agent/override_keeper).
OverrideVerdict check_override_terms(const EmergencyOverride& override_, std::string_view node_id,
                                     common::UnixSeconds now);

// Whether `signatures` allow `override_` on node `node_id` at `now`.
OverrideVerdict check_override(const EmergencyOverride& override_,
                               std::span<const OperatorSignature> signatures,
                               const OperatorQuorum& operators, std::string_view node_id,
                               common::UnixSeconds now);

}  // namespace westworld::charter

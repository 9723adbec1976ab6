#include "westworld/charter/emergency_override.h"

#include <algorithm>
#include <map>
#include <set>

#include "westworld/capability/bytes.h"
#include "westworld/capability/clock.h"

namespace westworld::charter {
namespace {

using capability::as_bytes;
using capability::Sha256;

constexpr std::string_view kOverrideDomain = "westworld.charter.emergency-override.v1";

std::vector<std::string> sorted(std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  return names;
}

// A list's count, then each name framed: no two lists hash alike.
void hash_names(Sha256& hash, const std::vector<std::string>& names) {
  const std::vector<std::string> in_order = sorted(names);
  hash.update_u64_be(in_order.size());
  for (const std::string& name : in_order) hash.update_framed(as_bytes(name));
}

std::optional<std::string> names_error(const std::vector<std::string>& names,
                                       std::string_view what) {
  if (names.empty()) return "an override names at least one " + std::string(what);
  std::set<std::string> seen;
  for (const std::string& name : names) {
    if (name.empty()) return "an empty " + std::string(what) + " name";
    if (!seen.insert(name).second) return std::string(what) + " '" + name + "' is named twice";
  }
  return std::nullopt;
}

OverrideVerdict refuse(OverrideRefusal refusal, std::string detail) {
  return OverrideVerdict{refusal, std::move(detail), {}};
}

}  // namespace

std::optional<std::string> override_form_error(const EmergencyOverride& o) {
  if (auto error = names_error(o.rules, "rule")) return error;
  if (auto error = names_error(o.affected_nodes, "node")) return error;
  if (o.reason.empty()) return "an override says why (a reason)";
  if (o.expires_at <= o.issued_at) return "an override expires after it is issued";
  if (o.expires_at - o.issued_at > kMaxOverride)
    return "an override lasts at most 2 h, this one " +
           std::to_string((o.expires_at - o.issued_at).count()) + " s";
  return std::nullopt;
}

capability::Digest override_digest(const EmergencyOverride& o) {
  Sha256 hash;
  hash.update_framed(as_bytes(kOverrideDomain));
  hash_names(hash, o.rules);
  hash.update_framed(as_bytes(o.reason));
  hash_names(hash, o.affected_nodes);
  hash.update_u64_be(static_cast<std::uint64_t>(o.issued_at.time_since_epoch().count()));
  hash.update_u64_be(static_cast<std::uint64_t>(o.expires_at.time_since_epoch().count()));
  hash.update(o.nonce);
  return hash.finish();
}

std::string override_id(const EmergencyOverride& o) {
  return capability::to_hex(override_digest(o));
}

OperatorSignature sign_override(const EmergencyOverride& o, const capability::Ed25519KeyPair& key) {
  return {key.public_key(), key.sign(override_digest(o))};
}

std::optional<OperatorSignature> decode_operator_signature(std::string_view signer,
                                                           std::string_view signature) {
  const auto key = capability::fixed_bytes<32>(capability::from_base64(signer));
  const auto bytes = capability::fixed_bytes<64>(capability::from_base64(signature));
  if (!key || !bytes) return std::nullopt;
  return OperatorSignature{*key, *bytes};
}

std::size_t default_override_quorum(std::size_t operators) {
  return std::max<std::size_t>(2, (2 * operators + 2) / 3);
}

const char* to_string(OverrideRefusal refusal) {
  switch (refusal) {
    case OverrideRefusal::none:
      return "none";
    case OverrideRefusal::malformed:
      return "malformed";
    case OverrideRefusal::not_configured:
      return "not_configured";
    case OverrideRefusal::not_affected:
      return "not_affected";
    case OverrideRefusal::not_yet_issued:
      return "not_yet_issued";
    case OverrideRefusal::expired:
      return "expired";
    case OverrideRefusal::unknown_operator:
      return "unknown_operator";
    case OverrideRefusal::duplicate_operator:
      return "duplicate_operator";
    case OverrideRefusal::bad_signature:
      return "bad_signature";
    case OverrideRefusal::too_few_signatures:
      return "too_few_signatures";
    case OverrideRefusal::decision_refused:
      return "decision_refused";
  }
  return "unknown";
}

OverrideVerdict check_override_terms(const EmergencyOverride& o, std::string_view node_id,
                                     common::UnixSeconds now) {
  if (auto error = override_form_error(o)) return refuse(OverrideRefusal::malformed, *error);
  if (std::find(o.affected_nodes.begin(), o.affected_nodes.end(), node_id) ==
      o.affected_nodes.end())
    return refuse(OverrideRefusal::not_affected,
                  "this node ('" + std::string(node_id) + "') is not among the affected nodes");
  if (o.issued_at > now + kOverrideClockSkew)
    return refuse(OverrideRefusal::not_yet_issued,
                  "issued " + capability::format_rfc3339_utc(o.issued_at) +
                      ", ahead of this node's clock (" + capability::format_rfc3339_utc(now) + ")");
  if (now >= o.expires_at)
    return refuse(OverrideRefusal::expired,
                  "expired at " + capability::format_rfc3339_utc(o.expires_at));
  return {};
}

OverrideVerdict check_override(const EmergencyOverride& o,
                               std::span<const OperatorSignature> signatures,
                               const OperatorQuorum& operators, std::string_view node_id,
                               common::UnixSeconds now) {
  if (auto error = override_form_error(o)) return refuse(OverrideRefusal::malformed, *error);
  if (operators.quorum < 2 || operators.operators.size() < operators.quorum)
    return refuse(OverrideRefusal::not_configured,
                  "this node has no operator quorum for emergency overrides (start the agent "
                  "with --operators FILE naming at least two operators)");
  if (OverrideVerdict terms = check_override_terms(o, node_id, now); !terms.ok()) return terms;

  std::map<capability::PublicKey, const Operator*> by_key;
  for (const Operator& op : operators.operators) by_key[op.key] = &op;
  const capability::Digest digest = override_digest(o);
  std::set<capability::PublicKey> counted;
  OverrideVerdict verdict;
  for (const OperatorSignature& s : signatures) {
    const auto op = by_key.find(s.signer);
    if (op == by_key.end())
      return refuse(OverrideRefusal::unknown_operator, "signer " + capability::to_base64(s.signer) +
                                                           " is not an operator of this node");
    if (!counted.insert(s.signer).second)
      return refuse(OverrideRefusal::duplicate_operator,
                    "operator '" + op->second->id + "' signed twice");
    if (!capability::ed25519_verify(digest, s.signature, s.signer))
      return refuse(OverrideRefusal::bad_signature,
                    "operator '" + op->second->id + "': the signature does not verify");
    verdict.signers.push_back(op->second->id);
  }
  if (counted.size() < operators.quorum)
    return refuse(OverrideRefusal::too_few_signatures,
                  std::to_string(counted.size()) + " operator signature(s), the quorum is " +
                      std::to_string(operators.quorum) + " of " +
                      std::to_string(operators.operators.size()));
  return verdict;
}

}  // namespace westworld::charter

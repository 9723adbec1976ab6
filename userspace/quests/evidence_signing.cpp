#include "westworld/quests/evidence_signing.h"

#include <cstdint>
#include <string>

#include "signing_frame.h"

namespace westworld::quests {
namespace {

constexpr std::string_view kDomain{"westworld/quests/evidence/v1\0", 29};

}  // namespace

capability::Bytes evidence_signing_bytes(const Evidence& evidence) {
  capability::Bytes out(kDomain.begin(), kDomain.end());
  detail::put_string(out, evidence.node_id);
  detail::put_seconds(out, evidence.observed_at.time_since_epoch().count());
  // Through the catalogue, not field by field: a criterion added to it is signed without
  // anyone having to remember this function.
  for (const CatalogueEntry& entry : catalogue()) {
    const std::optional<int64_t> value = evidence_value(evidence, entry.kind);
    out.push_back(value ? 1 : 0);
    if (value) detail::put_be(out, static_cast<uint64_t>(*value));
  }
  return out;
}

void sign_evidence(Evidence& evidence, const capability::Ed25519KeyPair& key) {
  const capability::Ed25519Signature signature = key.sign(evidence_signing_bytes(evidence));
  evidence.signature.assign(signature.begin(), signature.end());
}

bool verify_evidence(const Evidence& evidence, const capability::PublicKey& key) {
  const auto signature = capability::fixed_bytes<64>(evidence.signature);
  if (!signature) return false;
  return capability::ed25519_verify(evidence_signing_bytes(evidence), *signature, key);
}

ClaimDecision decide_signed_claim(const Quest& quest, std::string_view step_id,
                                  const Evidence& evidence, std::string_view node,
                                  const capability::PublicKey& node_key,
                                  common::UnixSeconds activated, const common::Clock& clock,
                                  const Freshness& freshness) {
  if (evidence.node_id != node)
    return refused_claim("the evidence is about node '" + evidence.node_id + "', not '" +
                         std::string(node) + "'");
  if (evidence.signature.empty())
    return refused_claim("the evidence is not signed; a claim needs the node's own signature");
  if (!verify_evidence(evidence, node_key))
    return refused_claim("the evidence's signature does not verify under the key of node '" +
                         std::string(node) + "' (signed by another key, or altered since)");
  return decide_claim(quest, step_id, evidence, node, activated, clock, freshness);
}

}  // namespace westworld::quests

#include "westworld/capability/mass_change.h"

#include <algorithm>
#include <string_view>

namespace westworld::capability {
namespace {

constexpr std::string_view kChangeDomain = "westworld/mass-change/v1";
constexpr std::string_view kTargetSetDomain = "westworld/target-set/v1";

MassChangeVerdict refuse(MassChangeRefusal refusal, std::string detail) {
  return {refusal, std::move(detail)};
}

std::string key_name(const PublicKey& key) { return to_hex(key); }

std::vector<std::string> distinct(std::span<const std::string> targets) {
  std::vector<std::string> sorted(targets.begin(), targets.end());
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  return sorted;
}

// Checks one signature in the context of the one before it (the list is sorted, unique).
std::optional<MassChangeVerdict> check_signature(const PeerSignature& signature,
                                                 const PeerSignature* previous,
                                                 const Digest& digest, const PeerSet& peers,
                                                 const PublicKey& requester) {
  const std::string who = key_name(signature.signer);
  if (previous && previous->signer == signature.signer)
    return refuse(MassChangeRefusal::kDuplicateSignature, "peer " + who + " signed twice");
  if (previous && signature.signer < previous->signer)
    return refuse(MassChangeRefusal::kUnsortedSignatures,
                  "signatures are not sorted by signer key at " + who);
  if (signature.signer == requester)
    return refuse(MassChangeRefusal::kSelfSignature,
                  "the requester " + who + " signed its own change");
  if (!peers.contains(signature.signer))
    return refuse(MassChangeRefusal::kNotAPeer, who + " is not in this node's peer set");
  if (!ed25519_verify(digest, signature.signature, signature.signer))
    return refuse(MassChangeRefusal::kBadSignature, "the signature of peer " + who + " is invalid");
  return std::nullopt;
}

}  // namespace

Digest target_set_digest(std::span<const std::string> targets) {
  const std::vector<std::string> set = distinct(targets);
  Sha256 hash;
  hash.update_framed(as_bytes(kTargetSetDomain)).update_u64_be(set.size());
  for (const std::string& target : set) hash.update_framed(as_bytes(target));
  return hash.finish();
}

Digest change_digest(const ChangeRequest& change) {
  return Sha256()
      .update_framed(as_bytes(kChangeDomain))
      .update_framed(as_bytes(change.action))
      .update(target_set_digest(change.targets))
      .update(change.policy_digest)
      .update(change.nonce)
      .update_u64_be(static_cast<std::uint64_t>(change.unix_time))
      .finish();
}

PeerSignature sign_change(const ChangeRequest& change, const Ed25519KeyPair& peer) {
  return {peer.public_key(), peer.sign(change_digest(change))};
}

bool is_mass_change(const ChangeRequest& change, std::uint64_t mesh_size) {
  for (const std::string& target : change.targets)
    if (target == kAllNodes) return true;
  const std::uint64_t targets = distinct(change.targets).size();
  // Compare targets/mesh > 10/100 without division; both sides stay far below 2^64.
  return static_cast<unsigned __int128>(targets) * 100 >
         static_cast<unsigned __int128>(mesh_size) * kMassChangePercent;
}

std::string_view refusal_name(MassChangeRefusal refusal) {
  switch (refusal) {
    case MassChangeRefusal::kNone:
      return "none";
    case MassChangeRefusal::kReplayedNonce:
      return "replayed_nonce";
    case MassChangeRefusal::kUnsortedSignatures:
      return "unsorted_signatures";
    case MassChangeRefusal::kDuplicateSignature:
      return "duplicate_signature";
    case MassChangeRefusal::kSelfSignature:
      return "self_signature";
    case MassChangeRefusal::kNotAPeer:
      return "not_a_peer";
    case MassChangeRefusal::kBadSignature:
      return "bad_signature";
    case MassChangeRefusal::kTooFewSignatures:
      return "too_few_signatures";
  }
  return "unknown";
}

MassChangeVerdict check_mass_change(const ChangeRequest& change,
                                    std::span<const PeerSignature> signatures,
                                    const PeerSet& peer_set, const PublicKey& requester,
                                    std::uint64_t mesh_size, NonceStore& nonce_store) {
  const std::string nonce = to_hex(change.nonce);
  if (nonce_store.seen(change.nonce))
    return refuse(MassChangeRefusal::kReplayedNonce, "nonce " + nonce + " was already used");

  const Digest digest = change_digest(change);
  const PeerSignature* previous = nullptr;
  for (const PeerSignature& signature : signatures) {
    if (auto refusal = check_signature(signature, previous, digest, peer_set, requester))
      return *refusal;
    previous = &signature;
  }

  if (is_mass_change(change, mesh_size) && signatures.size() < kMassChangeApprovals) {
    return refuse(MassChangeRefusal::kTooFewSignatures,
                  "the change targets " + std::to_string(distinct(change.targets).size()) + " of " +
                      std::to_string(mesh_size) + " nodes (more than " +
                      std::to_string(kMassChangePercent) + "%) and needs " +
                      std::to_string(kMassChangeApprovals) + " peer signatures, got " +
                      std::to_string(signatures.size()));
  }
  // Spent last, and atomically, so a concurrent identical request loses cleanly.
  if (!nonce_store.remember(change.nonce))
    return refuse(MassChangeRefusal::kReplayedNonce, "nonce " + nonce + " was already used");
  return {};
}

}  // namespace westworld::capability

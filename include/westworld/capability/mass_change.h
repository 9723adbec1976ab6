// The mass-change rule: a change that targets more than 10% of the known mesh needs
// Ed25519 approvals from at least 3 distinct peers of this node, none of them the
// requester, and is accepted at most once (its nonce is then spent).
#pragma once

#include <array>
#include <cstdint>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "westworld/capability/crypto.h"
#include "westworld/capability/ed25519.h"
#include "westworld/capability/nonce_store.h"

namespace westworld::capability {

inline constexpr std::uint64_t kMassChangePercent = 10;
inline constexpr std::size_t kMassChangeApprovals = 3;

struct ChangeRequest {
  std::string action;
  std::vector<std::string> targets;  // node ids; order and repeats do not matter
  Digest policy_digest{};
  ChangeNonce nonce{};
  std::int64_t unix_time = 0;
};

// SHA-256 over the sorted, de-duplicated targets, each length-prefixed, domain-separated.
Digest target_set_digest(std::span<const std::string> targets);
// The message peers sign: a domain tag, then the action, target set digest, policy digest,
// nonce and time in fixed framing.
Digest change_digest(const ChangeRequest& change);

struct PeerSignature {
  PublicKey signer{};
  Ed25519Signature signature{};
};

PeerSignature sign_change(const ChangeRequest& change, const Ed25519KeyPair& peer);

using PeerSet = std::set<PublicKey>;

// The target that stands for every node of the mesh (a bundle published to all routers).
// Peers sign it like any target, so approving "all" is approving a mesh-wide change.
inline constexpr std::string_view kAllNodes = "all";

// Number of distinct targets; "more than 10%" is distinct_targets * 100 > 10 * mesh_size.
// A change that targets kAllNodes is always a mass change.
bool is_mass_change(const ChangeRequest& change, std::uint64_t mesh_size);

enum class MassChangeRefusal {
  kNone,
  kReplayedNonce,       // this change (nonce) was accepted before
  kUnsortedSignatures,  // signatures must be sorted by signer key
  kDuplicateSignature,  // the same signer twice
  kSelfSignature,       // the requester cannot approve its own change
  kNotAPeer,            // the signer is not in this node's peer set
  kBadSignature,        // the signature does not verify over the change digest
  kTooFewSignatures,    // fewer than 3 approvals for a mass change
};

struct MassChangeVerdict {
  MassChangeRefusal refusal = MassChangeRefusal::kNone;
  std::string detail;  // a sentence naming the signer or the counts involved

  bool ok() const { return refusal == MassChangeRefusal::kNone; }
};

std::string_view refusal_name(MassChangeRefusal refusal);

// Every change passes through here. Any signature presented must be well-formed and
// valid, whether or not the change is large enough to need it. On acceptance the nonce is
// spent in `nonce_store`, so the same change cannot be applied twice.
MassChangeVerdict check_mass_change(const ChangeRequest& change,
                                    std::span<const PeerSignature> signatures,
                                    const PeerSet& peer_set, const PublicKey& requester,
                                    std::uint64_t mesh_size, NonceStore& nonce_store);

}  // namespace westworld::capability

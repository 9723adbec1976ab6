// A governance proposal: deploy one compiled policy (by digest) to some nodes, in waves,
// decided by the members' vote within a window. Its id is the SHA-256 of its canonical
// form, and that id is what the proposer signs and what every vote names, so a vote for
// one proposal can never count for another.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "westworld/capability/crypto.h"
#include "westworld/capability/ed25519.h"
#include "westworld/common/clock.h"
#include "westworld/governance/members.h"

namespace westworld::governance {

enum class ProposalKind : std::uint8_t {
  standard = 0,   // a normal policy change: long window, low quorum
  emergency = 1,  // a fix that cannot wait: short window, the 67% quorum
};

const char* to_string(ProposalKind kind);
std::optional<ProposalKind> parse_proposal_kind(std::string_view text);  // "standard", ...

inline constexpr std::string_view kAllTargets = "all";

struct Proposal {
  std::string mesh;  // the mesh's name: a proposal of one mesh means nothing in another
  ProposalKind kind = ProposalKind::standard;
  capability::Digest policy_digest{};  // the compiled policy to deploy
  std::vector<std::string> targets;    // node ids, or just "all"; a set (order is not signed)
  std::vector<std::string> waves;      // rollout waves in order: "1", "10%", "50%", "100%"
  std::optional<capability::Digest> experiment_report;  // the sandbox run, when there was one
  std::string proposer;                                 // a member id
  common::UnixSeconds created{};                        // the window opens at this second
  std::chrono::seconds window{0};                       // ... and closes window later
  capability::Digest members_digest{};  // the snapshot: members_digest() of who may vote
  // What voters read and what the rollout obeys, signed like the rest so the coordinator
  // cannot bake a wave shorter or drop a gate the members approved.
  std::string title;
  std::chrono::seconds bake{0};    // how long each wave is watched before the next starts
  std::vector<std::string> gates;  // health gates in order, "SIGNAL OP THRESHOLD" (rollout.h)
};

// SHA-256 over "westworld.governance.proposal.v1" and every field in fixed framing
// (targets sorted, waves and gates in their order): the proposal's id.
capability::Digest proposal_id(const Proposal& proposal);

struct SignedProposal {
  Proposal proposal;
  capability::Ed25519Signature signature{};  // the proposer's, over proposal_id()
};

SignedProposal sign_proposal(Proposal proposal, const capability::Ed25519KeyPair& proposer);
bool verify_proposal(const SignedProposal& signed_proposal, const capability::PublicKey& key);

// Why the proposal cannot be voted on under `snapshot` (the snapshot is not the one it
// names, the proposer is not a member or did not sign it, no window, no targets); nothing
// when it can.
std::optional<std::string> proposal_error(const SignedProposal& signed_proposal,
                                          const MemberSet& snapshot);

}  // namespace westworld::governance

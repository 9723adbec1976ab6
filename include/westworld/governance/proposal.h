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

// What a passed proposal does. Every action but deploy_policy is done by its readers, not
// rolled out in waves: such a proposal has no waves, gates or bake, and names what it acts
// on by `subject`, a digest its reader recomputes from what it is about to do.
enum class ProposalAction : std::uint8_t {
  deploy_policy = 0,     // roll the compiled policy `policy_digest` out in waves
  change_members = 1,    // replace the member set by the one whose members_digest is `subject`
  charter_override = 2,  // allow the emergency override whose override_digest is `subject`
  charter_restore = 3,   // lift the charter quarantine whose restore_digest is `subject`
};

const char* to_string(ProposalAction action);
std::optional<ProposalAction> parse_proposal_action(std::string_view text);  // "deploy_policy"

inline constexpr std::string_view kAllTargets = "all";

struct Proposal {
  std::string mesh;  // the mesh's name: a proposal of one mesh means nothing in another
  ProposalKind kind = ProposalKind::standard;
  ProposalAction action = ProposalAction::deploy_policy;
  capability::Digest policy_digest{};  // the compiled policy to deploy (deploy_policy only)
  capability::Digest subject{};        // what any other action acts on (zero for deploy_policy)
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
// (targets sorted, waves and gates in their order): the proposal's id. The action and the
// subject are framed last and only for actions other than deploy_policy, so the ids of
// proposals from before actions existed are unchanged.
capability::Digest proposal_id(const Proposal& proposal);

struct SignedProposal {
  Proposal proposal;
  capability::Ed25519Signature signature{};  // the proposer's, over proposal_id()
};

SignedProposal sign_proposal(Proposal proposal, const capability::Ed25519KeyPair& proposer);
bool verify_proposal(const SignedProposal& signed_proposal, const capability::PublicKey& key);

// Why the proposal cannot be voted on under `snapshot` (the snapshot is not the one it
// names, the proposer is not a member or did not sign it, no window, no targets, waves on an
// action that is not rolled out); nothing when it can.
std::optional<std::string> proposal_error(const SignedProposal& signed_proposal,
                                          const MemberSet& snapshot);

}  // namespace westworld::governance

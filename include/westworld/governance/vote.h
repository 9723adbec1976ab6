// A member's vote on one proposal, signed with the member's key. The signed form names the
// mesh, the proposal's id and kind and the time, so a vote cannot be moved to another
// proposal, mesh or moment; check_vote says whether it counts and, if not, why.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "westworld/capability/crypto.h"
#include "westworld/capability/ed25519.h"
#include "westworld/common/clock.h"
#include "westworld/governance/members.h"
#include "westworld/governance/proposal.h"

namespace westworld::governance {

enum class Choice : std::uint8_t { yes = 0, no = 1, abstain = 2 };

const char* to_string(Choice choice);
std::optional<Choice> parse_choice(std::string_view text);  // "yes", "no", "abstain"

struct Vote {
  std::string mesh;
  capability::Digest proposal{};  // proposal_id() of what is voted on
  ProposalKind kind = ProposalKind::standard;
  Choice choice = Choice::abstain;
  std::string voter;  // a member id
  common::UnixSeconds at{};
};

// SHA-256 over "westworld.governance.vote.v1", the mesh, the proposal's id and kind, the
// choice, the voter and the time: what the voter signs.
capability::Digest vote_digest(const Vote& vote);

struct SignedVote {
  Vote vote;
  capability::Ed25519Signature signature{};  // the voter's, over vote_digest()
};

SignedVote sign_vote(Vote vote, const capability::Ed25519KeyPair& voter);

enum class VoteRefusal : std::uint8_t {
  none = 0,
  not_a_member = 1,      // the voter is not in the proposal's member snapshot
  bad_signature = 2,     // the signature does not verify with the voter's key
  foreign_proposal = 3,  // another proposal's id, another mesh or another kind
  before_window = 4,     // cast before the proposal was created
  after_window = 5,      // cast at or after created + window
  duplicate = 6,         // the voter has already voted on this proposal
  from_the_future = 7,   // dated later than the tally's clock allows (kVoteClockSkew)
};

// How far ahead of the tallying node's clock a vote may be dated. A vote from further ahead
// is not counted yet: it could otherwise make a proposal pass early before it was cast.
inline constexpr std::chrono::seconds kVoteClockSkew{60};

const char* to_string(VoteRefusal refusal);

struct VoteVerdict {
  VoteRefusal refusal = VoteRefusal::none;
  std::string detail;  // a sentence naming the voter and what is wrong

  bool ok() const { return refusal == VoteRefusal::none; }
};

// Whether `vote` counts for `proposal` under `snapshot`, given the voters whose votes
// already count. The window is [created, created + window): a vote at the closing second
// is late. The proposal itself is checked by proposal_error(), not here.
VoteVerdict check_vote(const SignedVote& vote, const SignedProposal& proposal,
                       const MemberSet& snapshot, const std::set<std::string>& already_voted);

}  // namespace westworld::governance

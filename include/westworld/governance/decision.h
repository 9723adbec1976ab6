// What the members decided on one proposal, established from etcd without trusting it:
// the genesis must hash to the digest this node was given, the proposal must be signed by
// a member of that genesis and fit its settings, and the tally is recomputed from the
// signed votes. Routers call this before applying anything a rollout releases; wwctl calls
// it to show a tally. Both get the same answer from the same records.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "westworld/common/clock.h"
#include "westworld/governance/gov_store.h"
#include "westworld/governance/membership.h"
#include "westworld/governance/tally.h"

namespace westworld::governance {

// The proposal cannot be decided on at all (no genesis, a swapped genesis, an unsigned or
// malformed proposal): the message says which and why.
class DecisionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Decision {
  std::string id;  // the proposal's id (hex)
  ProposalRecord record;
  MemberSet members;  // the proposal's snapshot: who could vote, with which power
  Tally tally;
  std::vector<std::string> yes_voters;             // the members whose yes counted
  std::vector<SignedVote> counted_votes;           // the signed votes the tally counted
  std::vector<UnreadableRecord> unreadable_votes;  // damaged or misfiled vote records
};

// The genesis stored in the mesh, checked against `expected` (the --gov-genesis digest).
// Throws DecisionError when there is none or it is another.
Genesis trusted_genesis(GovernanceStore& store, const capability::Digest& expected);

// Why `proposal` may not be voted on in a mesh founded by `genesis` whose members have been
// `history` (snapshot, signature, window bounds, the experiment rule), or nothing.
std::optional<std::string> admission_error(const SignedProposal& proposal, const Genesis& genesis,
                                           const MemberHistory& history);

// Throws DecisionError when the proposal is missing, damaged or inadmissible. The first form
// derives the member history itself; the second is for callers that hold one already.
Decision decide(GovernanceStore& store, const Genesis& genesis, std::string_view id,
                common::UnixSeconds now);
Decision decide(GovernanceStore& store, const Genesis& genesis, const MemberHistory& history,
                std::string_view id, common::UnixSeconds now);

}  // namespace westworld::governance

// The outcome of a proposal, recomputed from the signed votes alone: anyone holding the
// proposal, the member snapshot and the votes gets the same tally, so no node's word is
// needed for it.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "westworld/common/clock.h"
#include "westworld/governance/members.h"
#include "westworld/governance/proposal.h"
#include "westworld/governance/thresholds.h"
#include "westworld/governance/vote.h"

namespace westworld::governance {

struct Tally {
  std::uint64_t yes = 0;  // counted power, by choice
  std::uint64_t no = 0;
  std::uint64_t abstain = 0;
  std::uint64_t total = 0;  // the snapshot's total power
  bool open = false;        // now is inside [created, created + window)
  bool passed = false;
  bool decided = false;                                      // the outcome can no longer change
  std::vector<std::pair<std::string, Choice>> counted;       // voter, choice, as counted
  std::vector<std::pair<std::string, VoteRefusal>> refused;  // voter, why not counted
};

// Counts each vote that check_vote() accepts, weighted by the voter's power; the first
// valid vote of a voter counts and later ones are refused as duplicates. A vote dated more
// than kVoteClockSkew after `now` is not counted (from_the_future).
//
// Early execution (Aragon's mode): while open, `passed` is true as soon as the missing
// power cannot change the outcome (support holds even if all of it voted no, and
// participation is already met). Once the window has closed, `passed` is support and
// participation. `decided` is: closed, or passing is certain, or failing is certain (support
// cannot hold even if all the missing power voted yes).
//
// Throws std::invalid_argument when proposal_error() finds the proposal unfit to vote on.
Tally tally(const SignedProposal& proposal, const MemberSet& snapshot,
            std::span<const SignedVote> votes, common::UnixSeconds now,
            const Thresholds& thresholds);

// The tally in one sentence: "3 of 5 yes, 1 no, 0 abstain; passed".
std::string describe(const Tally& tally);

}  // namespace westworld::governance

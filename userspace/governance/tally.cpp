#include "westworld/governance/tally.h"

#include <set>
#include <stdexcept>

namespace westworld::governance {

Tally tally(const SignedProposal& signed_proposal, const MemberSet& snapshot,
            std::span<const SignedVote> votes, common::UnixSeconds now,
            const Thresholds& thresholds) {
  if (auto error = proposal_error(signed_proposal, snapshot))
    throw std::invalid_argument("cannot tally the proposal: " + *error);
  const Proposal& p = signed_proposal.proposal;

  Tally t;
  t.total = snapshot.total_power();
  std::set<std::string> voted;
  for (const SignedVote& v : votes) {
    if (v.vote.at > now + kVoteClockSkew) {
      t.refused.emplace_back(v.vote.voter, VoteRefusal::from_the_future);
      continue;
    }
    const VoteVerdict verdict = check_vote(v, signed_proposal, snapshot, voted);
    if (!verdict.ok()) {
      t.refused.emplace_back(v.vote.voter, verdict.refusal);
      continue;
    }
    voted.insert(v.vote.voter);
    t.counted.emplace_back(v.vote.voter, v.vote.choice);
    const std::uint64_t power = snapshot.find(v.vote.voter)->power;
    switch (v.vote.choice) {
      case Choice::yes:
        t.yes += power;
        break;
      case Choice::no:
        t.no += power;
        break;
      case Choice::abstain:
        t.abstain += power;
        break;
    }
  }

  // Each member counts once, so the cast power never exceeds the total.
  const std::uint64_t missing = t.total - (t.yes + t.no + t.abstain);
  const bool participation = participation_passes(thresholds, t.yes, t.no, t.abstain, t.total);
  const bool pass_certain = participation && support_passes(thresholds, t.yes, t.no + missing);
  const bool fail_certain = !support_passes(thresholds, t.yes + missing, t.no);
  const bool closed = now >= p.created + p.window;
  t.open = now >= p.created && !closed;
  t.passed = closed ? participation && support_passes(thresholds, t.yes, t.no) : pass_certain;
  t.decided = closed || pass_certain || fail_certain;
  return t;
}

std::string describe(const Tally& t) {
  return std::to_string(t.yes) + " of " + std::to_string(t.total) + " yes, " +
         std::to_string(t.no) + " no, " + std::to_string(t.abstain) + " abstain; " +
         (t.passed    ? "passed"
          : t.decided ? "failed"
                      : "still open");
}

}  // namespace westworld::governance

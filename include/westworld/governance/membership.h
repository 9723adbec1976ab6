// The member sets a mesh has had: the genesis set, then each set a passed change_members
// proposal put in its place. Nothing stores "the current members": every reader derives the
// history from the genesis (pinned by --gov-genesis) and the signed proposals and votes, so
// whoever controls etcd cannot add a member, and no proposal can without the members' vote.
//
// The rules, so that every reader gets the same history:
//  - a change_members proposal under set k (its snapshot) that passed takes effect when its
//    voting window closes, never earlier, so members see a change coming;
//  - when several passed under set k, the one whose window closes first is set k + 1, ties
//    going to the smaller id; the others are void (their snapshot is no longer current);
//  - a proposal belongs to the set that was current when it was created: created at or after
//    its set took effect and before the next one did. Votes on it are counted against that
//    set, as the snapshot rule asks, even if a voter has been removed since.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "westworld/common/clock.h"
#include "westworld/governance/genesis.h"
#include "westworld/governance/gov_store.h"

namespace westworld::governance {

struct MemberEpoch {
  MemberSet members;
  capability::Digest digest{};  // members_digest(members)
  // When the set took effect: nothing for the genesis set, which always was.
  std::optional<common::UnixSeconds> since;
  std::string proposal;  // the change_members proposal that made it (hex id); empty for genesis
};

class MemberHistory {
 public:
  explicit MemberHistory(const Genesis& genesis);

  const std::vector<MemberEpoch>& epochs() const { return epochs_; }
  // The set in effect at `at`.
  const MemberEpoch& current(common::UnixSeconds at) const;
  // The set a proposal was created under, or why it names no set of this history at the
  // time it was created.
  std::variant<const MemberEpoch*, std::string> snapshot_of(const Proposal& proposal) const;

  void append(MemberEpoch epoch) { epochs_.push_back(std::move(epoch)); }

 private:
  std::vector<MemberEpoch> epochs_;
};

// A change_members proposal's new set, parsed from its record and checked against the signed
// subject; why not, when it cannot be.
std::variant<MemberSet, std::string> proposed_members(const ProposalRecord& record);

// Every member set that has taken effect by `now`. A proposal that is damaged, inadmissible
// or carries a member set that does not hash to its subject never changes the members; each
// one skipped is logged with its reason.
MemberHistory member_history(GovernanceStore& store, const Genesis& genesis,
                             common::UnixSeconds now);

}  // namespace westworld::governance

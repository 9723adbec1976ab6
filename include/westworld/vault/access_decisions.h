// Whether a request may be served, apart from the guardians' shares.
//
// Policy by item type (from the original design): `archive` needs only the guardian
// quorum; `knowledge` and `identity` also need a passed vote. An emergency request, of
// any type, needs an emergency decision: a higher quorum inside its 2-hour window.
//
// Governance (proposals, members, tallies) will decide votes; until it lands, the vote
// is a quorum of the guardians' own signed vote records (GuardianVoteDecisions). The
// vault talks only to this interface, so governance replaces the implementation, not
// the vault.
#pragma once

#include <memory>
#include <span>
#include <string>

#include "westworld/vault/records.h"

namespace westworld::vault {

struct DecisionInput {
  const RequestRecord& request;
  ItemType type;
  const EpochInfo& epoch;  // the current guardians
  std::span<const VoteRecord> votes;
  capability::UnixSeconds now;
};

struct Decision {
  bool passed = false;
  std::string reason;  // why not, or what carried it
};

class AccessDecisions {
 public:
  virtual ~AccessDecisions() = default;
  virtual Decision decide(const DecisionInput& input) const = 0;
};

bool type_needs_vote(ItemType type);
// Yes votes a standard vote needs: the guardian threshold.
std::uint32_t standard_vote_quorum(const EpochInfo& epoch);
// Yes votes an emergency decision needs: two thirds of the guardians, rounded up (7 of 10),
// and never fewer than the threshold.
std::uint32_t emergency_vote_quorum(const EpochInfo& epoch);

// Counts yes and no votes whose signature verifies under a current guardian's key; a
// standard vote passes with standard_vote_quorum yes votes and more yes than no; an
// emergency decision with emergency_vote_quorum yes votes.
class GuardianVoteDecisions final : public AccessDecisions {
 public:
  Decision decide(const DecisionInput& input) const override;
};

}  // namespace westworld::vault

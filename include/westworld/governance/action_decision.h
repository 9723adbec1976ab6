// The decision a router needs before it acts on a proposal that is not a policy rollout
// (an emergency override of charter rules, lifting a charter quarantine): the proposal
// passed, it asks for exactly this action about exactly this subject (a digest the router
// recomputes from what it is about to do), it names this router, and, where the charter
// asks for one, it was an emergency decision (the 67% quorum). Anything else is refused with
// the reason, so a decision about one thing never allows another.
#pragma once

#include <string_view>

#include "westworld/governance/decision.h"

namespace westworld::governance {

struct ActionRequest {
  ProposalAction action = ProposalAction::charter_override;
  capability::Digest subject{};
  std::string_view node;   // this router's id: the proposal must target it (or "all")
  bool emergency = false;  // only an emergency decision will do
};

// The passed decision; throws DecisionError saying why it does not allow `request`.
Decision decision_allowing(GovernanceStore& store, const Genesis& genesis, std::string_view id,
                           const ActionRequest& request, common::UnixSeconds now);

}  // namespace westworld::governance

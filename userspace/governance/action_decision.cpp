#include "westworld/governance/action_decision.h"

#include <algorithm>

namespace westworld::governance {

Decision decision_allowing(GovernanceStore& store, const Genesis& genesis, std::string_view id,
                           const ActionRequest& request, common::UnixSeconds now) {
  Decision decision = decide(store, genesis, id, now);
  const Proposal& p = decision.record.proposal.proposal;
  const std::string which = "proposal " + std::string(id.substr(0, 16));
  if (p.action != request.action)
    throw DecisionError(which + " is a " + to_string(p.action) + ", not a " +
                        to_string(request.action));
  if (p.subject != request.subject)
    throw DecisionError(which + " decided on " + hex_id(p.subject).substr(0, 16) + ", not on " +
                        hex_id(request.subject).substr(0, 16) + ": another " +
                        to_string(request.action));
  if (request.emergency && p.kind != ProposalKind::emergency)
    throw DecisionError(which + " is a " + to_string(p.kind) +
                        " proposal: this needs an emergency decision (its higher quorum)");
  const bool targeted = std::any_of(p.targets.begin(), p.targets.end(), [&](const auto& t) {
    return t == kAllTargets || t == request.node;
  });
  if (!targeted)
    throw DecisionError(which + " does not name node '" + std::string(request.node) + "'");
  if (!decision.tally.passed)
    throw DecisionError(which + " has not passed: " + describe(decision.tally));
  return decision;
}

}  // namespace westworld::governance

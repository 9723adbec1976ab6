#include "westworld/agent/charter_restorer.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "westworld/agent/flow_violations.h"
#include "westworld/charter/restoration.h"

namespace westworld::agent {
namespace {

using control::ErrorCode;

control::Error refusal(ErrorCode code, std::string message) {
  spdlog::warn("refused to restore a charter offender: {}", message);
  return control::Error{code, "restore refused: " + std::move(message), {}};
}

}  // namespace

control::Result<control::CharterRestoreReply> CharterRestorer::restore(
    const control::CharterRestoreRequest& r) {
  const charter::Standing standing = ledger_.standing(r.offender);
  if (!standing.quarantined_by)
    return refusal(ErrorCode::not_found,
                   "'" + r.offender + "' is not quarantined by the charter on this node");
  const std::int64_t violation = *standing.quarantined_by;
  governance::Decision decision;
  try {
    decision = decisions_.allowing(
        r.decision, {governance::ProposalAction::charter_restore,
                     charter::restore_digest(node_id_, r.offender, violation), node_id_, false});
  } catch (const governance::DecisionError& e) {
    return refusal(ErrorCode::refused, e.what());
  } catch (const std::exception& e) {
    return refusal(ErrorCode::failed, std::string("cannot read the decision: ") + e.what());
  }

  // Public before it takes effect: a restoration that cannot be audited is not done.
  control::CharterRestoreReply reply{r.offender,          violation, r.decision,
                                     decision.yes_voters, false,     std::nullopt};
  try {
    reply.audit_index = audit_.record({"charter_restore",
                                       {{"node", r.offender},
                                        {"violation", std::to_string(violation)},
                                        {"decision", r.decision},
                                        {"voters", decision.yes_voters}}});
  } catch (const std::exception& e) {
    return refusal(ErrorCode::failed, std::string("the audit log refused the entry: ") + e.what());
  }
  if (auto error = ledger_.restore(r.offender, violation, r.decision))
    return refusal(ErrorCode::failed, *error);
  if (r.offender.starts_with(kFlowOffenderPrefix)) {
    const QuarantineOutcome released =
        watchman_.charter_release(r.offender.substr(kFlowOffenderPrefix.size()),
                                  "charter: restored by proposal " + r.decision.substr(0, 16));
    reply.released = released.done;
  }
  spdlog::warn("charter: {} restored (violation {}) by proposal {}: {}", r.offender, violation,
               r.decision.substr(0, 16), describe(decision.tally));
  return reply;
}

}  // namespace westworld::agent

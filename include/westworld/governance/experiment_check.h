// The experiment rule, checked on the report itself: a proposal that cites a twin report
// (`wwctl gov propose --experiment REPORT.json`) carries the report's JSON beside its policy,
// and every router checks it before it counts the proposal as admissible: the report is
// intact and validly signed, its digest is the one the proposer signed into the proposal, its
// verdict is pass, its signer is a member of the mesh, and the candidate it tried is the policy
// the proposal deploys. A report that fails any of these is named and refused; the proposal
// is then decided on as if it had none (the whole-mesh rule refuses it).
#pragma once

#include <optional>
#include <string>

#include "westworld/governance/genesis.h"
#include "westworld/governance/records.h"

namespace westworld::governance {

// Why the record's experiment report does not stand, or nothing (also when it cites none).
// The report's signer must be one of `members`, the proposal's snapshot.
std::optional<std::string> experiment_error(const ProposalRecord& record, const Genesis& genesis,
                                            const MemberSet& members);

}  // namespace westworld::governance

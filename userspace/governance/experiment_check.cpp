#include "westworld/governance/experiment_check.h"

#include "westworld/capability/bytes.h"
#include "westworld/cradle/report_codec.h"

namespace westworld::governance {

std::optional<std::string> experiment_error(const ProposalRecord& record, const Genesis& genesis,
                                            const MemberSet& members) {
  const Proposal& p = record.proposal.proposal;
  if (!p.experiment_report) return std::nullopt;
  const std::string cited = hex_id(*p.experiment_report);
  if (record.experiment_report_text.empty())
    return "the proposal cites twin report " + cited.substr(0, 16) + " but carries no report";
  const cradle::ReportCheck check =
      cradle::verify_report_text(record.experiment_report_text, std::nullopt);
  if (!check.ok) return "its twin report is refused: " + check.problem;
  if (check.digest != cited)
    return "its twin report has digest " + check.digest.substr(0, 16) + ", not the " +
           cited.substr(0, 16) + " the proposer signed";
  if (check.verdict != "pass")
    return "its twin report's verdict is " + check.verdict + ": only a pass admits a proposal";
  const Member* signer = nullptr;
  for (const Member& m : members.members)
    if (capability::to_base64(m.key) == check.signer) signer = &m;
  if (!signer)
    return "its twin report is signed by " + check.signer + ", who is not a member of mesh '" +
           genesis.mesh + "'";
  if (check.candidate_policy_digest != hex_id(p.policy_digest))
    return "its twin report tried policy " + check.candidate_policy_digest.substr(0, 16) +
           ", but the proposal deploys " + hex_id(p.policy_digest).substr(0, 16);
  return std::nullopt;
}

}  // namespace westworld::governance

#include "westworld/quests/governance_evidence.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "westworld/governance/proposal.h"
#include "westworld/governance/records.h"

namespace westworld::quests {
namespace {

bool targets(const governance::Proposal& proposal, std::string_view node) {
  return std::any_of(proposal.targets.begin(), proposal.targets.end(), [&](const std::string& t) {
    return t == governance::kAllTargets || t == node;
  });
}

}  // namespace

GovernanceEvidence governance_evidence(governance::GovernanceStore& store,
                                       const governance::Genesis& genesis,
                                       const governance::MemberHistory& history,
                                       std::string_view node, common::UnixSeconds now) {
  GovernanceEvidence out;
  std::optional<common::UnixSeconds> latest_created;
  for (const auto& [id, entry] : store.proposals()) {
    if (!std::holds_alternative<governance::ProposalRecord>(entry)) continue;  // damaged
    governance::Decision decision;
    try {
      decision = governance::decide(store, genesis, history, id, now);
    } catch (const governance::DecisionError& e) {
      spdlog::debug("quest evidence: proposal {} is not counted: {}", id, e.what());
      continue;
    }
    const auto& counted = decision.tally.counted;
    if (std::any_of(counted.begin(), counted.end(), [&](const auto& c) { return c.first == node; }))
      ++out.votes_cast;

    const governance::Proposal& proposal = decision.record.proposal.proposal;
    if (proposal.action != governance::ProposalAction::deploy_policy) continue;
    if (!decision.tally.passed || !decision.tally.decided || !targets(proposal, node)) continue;
    // The newest by creation; the smaller id breaks a tie so every reader picks the same.
    if (!latest_created || proposal.created > *latest_created ||
        (proposal.created == *latest_created && id < out.latest_approved)) {
      latest_created = proposal.created;
      out.latest_approved = id;
      out.latest_approved_digest = governance::hex_id(proposal.policy_digest);
    }
  }
  return out;
}

void add_governance_evidence(Evidence& evidence, const GovernanceEvidence& governance,
                             std::string_view running_digest) {
  evidence.votes_cast = governance.votes_cast;
  if (!governance.latest_approved.empty())
    evidence.runs_latest_approved_policy =
        !running_digest.empty() && running_digest == governance.latest_approved_digest;
}

}  // namespace westworld::quests

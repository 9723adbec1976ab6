#include "westworld/governance/decision.h"

#include <algorithm>

#include "westworld/governance/experiment_check.h"

namespace westworld::governance {

Genesis trusted_genesis(GovernanceStore& store, const capability::Digest& expected) {
  std::optional<Genesis> genesis;
  try {
    genesis = store.genesis();
  } catch (const RecordError& e) {
    throw DecisionError(std::string("the mesh's governance genesis is damaged: ") + e.what());
  }
  if (!genesis)
    throw DecisionError("the mesh has no governance genesis (wwctl gov init --members FILE)");
  const capability::Digest digest = genesis_digest(*genesis);
  if (digest != expected)
    throw DecisionError("the mesh's governance genesis hashes to " + hex_id(digest) +
                        ", not to the --gov-genesis digest " + hex_id(expected) +
                        ": it was swapped or this router belongs to another mesh");
  return *genesis;
}

std::optional<std::string> admission_error(const SignedProposal& s, const Genesis& genesis,
                                           const MemberHistory& history) {
  const Proposal& p = s.proposal;
  if (p.mesh != genesis.mesh)
    return "the proposal is for mesh '" + p.mesh + "', not '" + genesis.mesh + "'";
  const auto snapshot = history.snapshot_of(p);
  if (const auto* why = std::get_if<std::string>(&snapshot)) return *why;
  if (auto error = proposal_error(s, std::get<const MemberEpoch*>(snapshot)->members)) return error;
  const GovernanceSettings& settings = genesis.settings;
  if (p.window < settings.min_window || p.window > settings.window_cap(p.kind))
    return "the proposal's window of " + std::to_string(p.window.count()) +
           " s lies outside the mesh's bounds for a " + to_string(p.kind) + " proposal (" +
           std::to_string(settings.min_window.count()) + " s to " +
           std::to_string(settings.window_cap(p.kind).count()) + " s)";
  const bool whole_mesh =
      std::find(p.targets.begin(), p.targets.end(), kAllTargets) != p.targets.end();
  if (p.action == ProposalAction::deploy_policy && whole_mesh &&
      settings.experiment_above_ppm < kPpm && !p.experiment_report)
    return "a proposal for the whole mesh needs a passing twin experiment report (Cradle): "
           "this mesh requires one above " +
           std::to_string(settings.experiment_above_ppm / 10'000) + "% of the mesh";
  return std::nullopt;
}

Decision decide(GovernanceStore& store, const Genesis& genesis, std::string_view id,
                common::UnixSeconds now) {
  return decide(store, genesis, member_history(store, genesis, now), id, now);
}

Decision decide(GovernanceStore& store, const Genesis& genesis, const MemberHistory& history,
                std::string_view id, common::UnixSeconds now) {
  Decision decision;
  decision.id = std::string(id);
  try {
    std::optional<ProposalRecord> record = store.proposal(id);
    if (!record) throw DecisionError("no proposal " + std::string(id) + " in this mesh");
    decision.record = std::move(*record);
  } catch (const RecordError& e) {
    throw DecisionError(e.what());
  }
  const auto inadmissible = [&](const std::string& why) {
    return DecisionError("proposal " + std::string(id).substr(0, 16) +
                         " is not admissible: " + why);
  };
  const SignedProposal& proposal = decision.record.proposal;
  if (auto error = admission_error(proposal, genesis, history)) throw inadmissible(*error);
  decision.members = std::get<const MemberEpoch*>(history.snapshot_of(proposal.proposal))->members;
  if (auto error = experiment_error(decision.record, genesis, decision.members))
    throw inadmissible(*error);
  if (proposal.proposal.action == ProposalAction::change_members) {
    const auto members = proposed_members(decision.record);
    if (const auto* why = std::get_if<std::string>(&members)) throw inadmissible(*why);
  }
  GovernanceStore::Votes votes = store.votes(id);
  decision.unreadable_votes = std::move(votes.unreadable);
  decision.tally = tally(proposal, decision.members, votes.votes, now,
                         genesis.settings.of(proposal.proposal.kind).thresholds);
  for (const auto& [voter, choice] : decision.tally.counted) {
    if (choice == Choice::yes) decision.yes_voters.push_back(voter);
    // One stored vote per voter (create-only keys): the one the tally counted.
    const auto cast = std::find_if(votes.votes.begin(), votes.votes.end(), [&](const SignedVote& v) {
      return v.vote.voter == voter && v.vote.choice == choice;
    });
    if (cast != votes.votes.end()) decision.counted_votes.push_back(*cast);
  }
  return decision;
}

}  // namespace westworld::governance

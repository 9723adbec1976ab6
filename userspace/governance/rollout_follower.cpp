#include "westworld/governance/rollout_follower.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "westworld/common/atomic_file.h"
#include "westworld/governance/rollout.h"

namespace westworld::governance {

using nlohmann::json;

RolloutFollower::RolloutFollower(mesh::KvStore& store, const mesh::MeshKeys& keys,
                                 capability::Digest genesis, std::string node_id,
                                 ApprovedRouter& router, const common::Clock& clock,
                                 std::string memory_path)
    : gov_(store, keys),
      keys_(keys),
      genesis_(genesis),
      node_id_(std::move(node_id)),
      router_(router),
      clock_(clock),
      memory_path_(std::move(memory_path)) {
  load_memory();
}

void RolloutFollower::load_memory() {
  std::ifstream in(memory_path_);
  if (!in) return;
  const json doc = json::parse(in, nullptr, false);
  if (!doc.is_object()) {
    // Not fatal: this router then cannot roll back rollouts applied before, and says so.
    spdlog::error("governance: {} is damaged; rollbacks of earlier rollouts are not possible",
                  memory_path_);
    return;
  }
  for (const auto& [id, before] : doc.items())
    if (before.is_object() && before.value("digest", json()).is_string() &&
        before.value("policy", json()).is_string())
      before_[id] = {before["digest"].get<std::string>(), before["policy"].get<std::string>()};
}

void RolloutFollower::save_memory() const {
  json doc = json::object();
  for (const auto& [id, before] : before_)
    doc[id] = {{"digest", before.digest}, {"policy", before.text}};
  common::write_file_atomically(memory_path_, doc.dump(2) + "\n", 0600);
}

void RolloutFollower::remember(const std::string& proposal, Before before) {
  before_[proposal] = std::move(before);
  save_memory();
}

mesh::FollowResult RolloutFollower::refuse(const mesh::KeyValue& kv, std::string reason) {
  if (reason == last_refusal_) return {};
  last_refusal_ = reason;
  return {false, mesh::Refusal{kv.key, kv.mod_revision, std::move(reason),
                               clock_.now().time_since_epoch().count()}};
}

mesh::FollowResult RolloutFollower::roll_back(const mesh::KeyValue& kv, const RolloutState& state) {
  auto before = before_.find(state.proposal);
  if (before == before_.end())
    return refuse(kv, "rollout " + state.proposal.substr(0, 16) +
                          " was aborted but this router has no record of the policy it ran "
                          "before; it keeps the current one");
  const ApprovedPolicy back{before->second.text,
                            before->second.digest,
                            "governance:rollback:" + state.proposal,
                            state.proposal,
                            "",
                            "rollback: " + state.reason,
                            {},
                            true,
                            {}};
  if (auto refused = router_.apply_approved(back))
    return refuse(kv, "rollback of " + state.proposal.substr(0, 16) + " failed: " + *refused);
  spdlog::warn("governance: rolled back proposal {}: {}", state.proposal.substr(0, 16),
               state.reason);
  // Done: a later evaluation must not roll back again should the same policy return.
  before_.erase(before);
  save_memory();
  return {true, std::nullopt};
}

mesh::FollowResult RolloutFollower::follow(const std::vector<mesh::KeyValue>& rollouts) {
  // Newest first: a later rollout supersedes an earlier one.
  std::vector<std::pair<const mesh::KeyValue*, RolloutState>> states;
  for (const mesh::KeyValue& kv : rollouts) {
    try {
      states.emplace_back(&kv, decode_rollout(kv.value));
    } catch (const RecordError& e) {
      spdlog::warn("governance: ignoring the damaged rollout record {}: {}", kv.key, e.what());
    }
  }
  std::sort(states.begin(), states.end(), [](const auto& a, const auto& b) {
    return a.first->create_revision > b.first->create_revision;
  });
  const std::string running = router_.running_digest();

  // The newest rollout that concerns this router decides: an aborted one it runs takes it
  // back to what it ran before; a released one is verified and applied; any other is passed
  // over for older ones. (So an aborted rollout never undoes a newer one that approved the
  // same policy again.)
  for (const auto& [kv, state] : states) {
    if (state.state == RolloutPhase::waiting) continue;
    if (state.state == RolloutPhase::aborted) {
      if (state.digest != running) continue;
      return roll_back(*kv, state);
    }
    if (state.digest == running) return {};  // already there
    // A wave not yet released here needs no verification (the cheap check first: this
    // runs on every move of every rollout).
    if (state.state != RolloutPhase::succeeded && !releases(state, Proposal{}, node_id_)) continue;
    // Verified before releases() is believed: the decision also says who the targets are.
    Decision decision;
    try {
      const Genesis genesis = trusted_genesis(gov_, genesis_);
      decision = decide(gov_, genesis, state.proposal, clock_.now());
    } catch (const DecisionError& e) {
      if (state.state != RolloutPhase::succeeded) return refuse(*kv, e.what());
      continue;
    }
    const Proposal& proposal = decision.record.proposal.proposal;
    if (!releases(state, proposal, node_id_)) continue;
    if (proposal.action != ProposalAction::deploy_policy)
      return refuse(*kv, std::string("proposal ") + state.proposal.substr(0, 16) + " is a " +
                             to_string(proposal.action) + ", not a policy to roll out");
    if (state.digest != hex_id(proposal.policy_digest))
      return refuse(*kv, "the rollout names policy " + state.digest.substr(0, 16) +
                             " but the proposal approves " +
                             hex_id(proposal.policy_digest).substr(0, 16));
    if (!decision.tally.passed)
      return refuse(*kv, "proposal " + state.proposal.substr(0, 16) +
                             " has not passed: " + describe(decision.tally));
    const bool targeted =
        std::any_of(proposal.targets.begin(), proposal.targets.end(),
                    [&](const std::string& t) { return t == kAllTargets || t == node_id_; });
    if (!targeted)
      return refuse(*kv,
                    "proposal " + state.proposal.substr(0, 16) + " does not target this router");
    remember(state.proposal, {running, router_.running_text()});
    ApprovedPolicy approved{decision.record.policy_text,
                            state.digest,
                            "governance:" + state.proposal,
                            state.proposal,
                            proposal.title,
                            describe(decision.tally),
                            decision.yes_voters,
                            false,
                            decision.counted_votes};
    if (auto refused = router_.apply_approved(approved)) return refuse(*kv, *refused);
    last_refusal_.clear();
    spdlog::info("governance: applied proposal {} ('{}'): {}", state.proposal.substr(0, 16),
                 proposal.title, approved.decision);
    return {true, std::nullopt};
  }
  return {};
}

}  // namespace westworld::governance

// A router's side of governance: it follows the newest rollout that releases it, but only
// after verifying, itself, that the members approved it: the genesis matches
// --gov-genesis, the proposal is signed by a member and admissible, the tally recomputed
// from the signed votes has passed, and the router is a target. The policy's digest is
// checked by the router when it compiles the text. A rollout that was aborted takes the
// router back to the policy it ran before that rollout, which it remembers on disk.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "westworld/common/clock.h"
#include "westworld/governance/decision.h"
#include "westworld/governance/rollout.h"
#include "westworld/mesh/policy_follower.h"

namespace westworld::governance {

// A policy the members approved (or the one to return to when a rollout is aborted).
struct ApprovedPolicy {
  std::string text;
  std::string digest;  // what the text must compile to (hex)
  std::string source;  // "governance:<proposal id>" for logs and the policy record
  std::string proposal;
  std::string title;
  std::string decision;             // the tally in words, for the audit record
  std::vector<std::string> voters;  // the members whose yes counted
  bool rollback = false;            // returning to the policy before an aborted rollout
  // Every vote the tally counted, signed: audited one entry each before the apply, so the
  // router's log alone shows who decided and lets anyone re-check each signature.
  std::vector<SignedVote> votes;
};

// What the follower needs from the router (the agent implements it).
class ApprovedRouter {
 public:
  virtual ~ApprovedRouter() = default;
  virtual std::string running_digest() = 0;
  virtual std::string running_text() = 0;
  // Applies on the authority of the approval (no token, no freeze); the refusal, or nothing.
  virtual std::optional<std::string> apply_approved(const ApprovedPolicy& policy) = 0;
};

class RolloutFollower final : public mesh::PolicyFollower {
 public:
  // `memory_path`: where the policy before each applied rollout is kept (0600).
  RolloutFollower(mesh::KvStore& store, const mesh::MeshKeys& keys, capability::Digest genesis,
                  std::string node_id, ApprovedRouter& router, const common::Clock& clock,
                  std::string memory_path);

  mesh::FollowResult follow(const std::vector<mesh::KeyValue>& rollouts) override;

 private:
  struct Before {
    std::string digest;
    std::string text;
  };
  mesh::FollowResult refuse(const mesh::KeyValue& kv, std::string reason);
  // Back to the policy this router ran before the aborted rollout `state`.
  mesh::FollowResult roll_back(const mesh::KeyValue& kv, const RolloutState& state);
  void remember(const std::string& proposal, Before before);
  void load_memory();
  void save_memory() const;

  GovernanceStore gov_;
  const mesh::MeshKeys& keys_;
  capability::Digest genesis_;
  std::string node_id_;
  ApprovedRouter& router_;
  const common::Clock& clock_;
  std::string memory_path_;
  std::map<std::string, Before> before_;  // proposal id -> the policy it replaced here
  std::string last_refusal_;              // not refused twice in a row for the same reason
};

}  // namespace westworld::governance

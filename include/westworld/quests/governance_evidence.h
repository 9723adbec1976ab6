// Quest evidence from governance, recomputed from the signed records in etcd the way a router
// decides (governance::decide), never from a stored count:
//
//   votes_cast                   proposals whose tally counted a vote by the node (a refused
//                                vote, one by a non-member or a forged one counts nothing)
//   runs_latest_approved_policy  the running policy's digest equals the policy of the newest
//                                deploy_policy proposal that passed for good (its outcome can
//                                no longer change) and targets the node (or all); absent
//                                while none has
//
// Members are nodes: a member's id is its router's node id (governance/members.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "westworld/common/clock.h"
#include "westworld/governance/decision.h"
#include "westworld/quests/evidence.h"

namespace westworld::quests {

struct GovernanceEvidence {
  uint64_t votes_cast = 0;
  std::string latest_approved;         // the newest approved proposal's id (hex); empty when none
  std::string latest_approved_digest;  // the policy digest it deploys (hex)
};

GovernanceEvidence governance_evidence(governance::GovernanceStore& store,
                                       const governance::Genesis& genesis,
                                       const governance::MemberHistory& history,
                                       std::string_view node, common::UnixSeconds now);

// Sets votes_cast, and runs_latest_approved_policy when a policy was approved and the running
// digest is known (empty: the agent runs no valid policy, which is not the approved one).
void add_governance_evidence(Evidence& evidence, const GovernanceEvidence& governance,
                             std::string_view running_digest);

}  // namespace westworld::quests

// How a router follows governance rollouts (policy/rollout/...): the mesh member hands
// every rollout record to the follower whenever one changed; the follower verifies the
// decision behind them and applies or rolls back through the router. The mesh code knows
// nothing of proposals or votes.
#pragma once

#include <optional>
#include <vector>

#include "westworld/mesh/kv_store.h"
#include "westworld/mesh/router_record.h"

namespace westworld::mesh {

// What one evaluation did: the router's record is republished at once when it changed.
struct FollowResult {
  bool applied = false;            // a policy (or a rollback) was applied
  std::optional<Refusal> refusal;  // a rollout refused anew, to publish
};

class PolicyFollower {
 public:
  virtual ~PolicyFollower() = default;
  // Called on the mesh thread with every key under policy/rollout/.
  virtual FollowResult follow(const std::vector<KeyValue>& rollouts) = 0;
};

}  // namespace westworld::mesh

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

class PolicyFollower {
 public:
  virtual ~PolicyFollower() = default;
  // Called on the mesh thread with every key under policy/rollout/. Returns the refusal
  // to publish in the router's record when this evaluation refused a rollout anew.
  virtual std::optional<Refusal> follow(const std::vector<KeyValue>& rollouts) = 0;
};

}  // namespace westworld::mesh

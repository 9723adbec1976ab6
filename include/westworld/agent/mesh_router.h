// The agent as a mesh member sees it (mesh::LocalRouter). The mesh thread calls in; every
// call runs on the agent's event loop, where the guard, the trust gate and the watchman
// live, so the mesh adds no locking to them.
#pragma once

#include <functional>
#include <optional>
#include <string>

// clang-format off
#include <utility>  // before Asio: Boost 1.74 needs std::exchange declared under C++20
#include <boost/asio/io_context.hpp>
// clang-format on

#include "westworld/agent/agent.h"
#include "westworld/agent/trust_gate.h"
#include "westworld/control/messages.h"
#include "westworld/governance/coordinator.h"
#include "westworld/governance/rollout_follower.h"
#include "westworld/mesh/local_router.h"

namespace westworld::agent {

// It is also what governance sees of the router: the follower applies approved policies
// through it, and the coordinator's steps go to this router's audit log.
class MeshRouter final : public mesh::LocalRouter,
                         public governance::ApprovedRouter,
                         public governance::RolloutJournal {
 public:
  // `summary` gives the watchman's counts for the record (quarantines, alerts).
  MeshRouter(boost::asio::io_context& io, Agent& agent, TrustGate& trust,
             std::function<control::WatchmanSummary()> summary);

  mesh::RouterRecord report() override;
  std::optional<std::string> apply(const mesh::PolicyBundle& bundle,
                                   const std::string& origin) override;
  void registered_routers(uint64_t count) override { trust_.set_registered_routers(count); }

  std::string running_digest() override;
  std::string running_text() override;
  std::optional<std::string> apply_approved(const governance::ApprovedPolicy& policy) override;
  void rollout_event(const std::string& proposal, const std::string& kind,
                     const std::string& detail) override;

 private:
  // Runs `work` on the event loop and waits for it; throws std::runtime_error when the
  // loop has stopped (the agent is shutting down).
  template <typename Result>
  Result on_loop(std::function<Result()> work);

  boost::asio::io_context& io_;
  Agent& agent_;
  TrustGate& trust_;
  std::function<control::WatchmanSummary()> summary_;
};

// What a bundle's policy text compiles to, or the loader's first error: the mesh checks
// a bundle's claimed digest before the trust gate sees it.
struct BundleDigest {
  std::optional<std::string> digest;
  std::string error;
};
BundleDigest compile_bundle_digest(const std::string& policy_text, const std::string& origin);

}  // namespace westworld::agent

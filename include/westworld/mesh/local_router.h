// What a router's mesh membership needs from the router itself. The agent implements it;
// the mesh code never touches the guard, the trust gate or the audit log directly.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "westworld/mesh/policy_bundle.h"
#include "westworld/mesh/router_record.h"

namespace westworld::mesh {

class LocalRouter {
 public:
  virtual ~LocalRouter() = default;

  // The router's own state for its record: applied digest and generation, XDP mode,
  // drops, quarantines, alerts (identity and mesh fields are filled in by the caller).
  virtual RouterRecord report() = 0;
  // Applies a bundle through the router's own checks (the trust gate, the freeze, the
  // audit log), as a local apply; returns the refusal reason, or nothing once applied.
  // `origin` (the etcd key and revision) names it in logs and the policy record.
  virtual std::optional<std::string> apply(const PolicyBundle& bundle,
                                           const std::string& origin) = 0;
  // The number of routers registered in the mesh right now (for the mass-change rule).
  virtual void registered_routers(uint64_t count) = 0;
};

}  // namespace westworld::mesh

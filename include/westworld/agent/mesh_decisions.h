// Governance decisions as this router can verify them: read from the mesh's etcd on a client
// of their own and checked against the genesis digest the router was started with
// (--gov-genesis), so whoever controls etcd cannot forge one. A router without a mesh or
// without --gov-genesis has none, and every check is refused: nothing is lifted on a decision
// this router cannot see for itself.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "westworld/common/clock.h"
#include "westworld/governance/action_decision.h"
#include "westworld/mesh/etcd_gateway.h"

namespace westworld::agent {

class MeshDecisions {
 public:
  MeshDecisions() = default;  // no governance here
  MeshDecisions(const mesh::EtcdOptions& etcd, const std::string& mesh_name,
                const capability::Digest& genesis,
                const common::Clock& clock = common::system_clock());

  // The passed decision allowing `request`; throws governance::DecisionError (or the mesh
  // client's error when etcd cannot be read) saying why not.
  governance::Decision allowing(std::string_view id, const governance::ActionRequest& request);

 private:
  std::unique_ptr<mesh::EtcdGateway> store_;  // not movable itself; null: no governance
  std::optional<mesh::MeshKeys> keys_;
  capability::Digest genesis_{};
  const common::Clock* clock_ = nullptr;
};

}  // namespace westworld::agent

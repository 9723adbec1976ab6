#include "westworld/agent/mesh_decisions.h"

namespace westworld::agent {

MeshDecisions::MeshDecisions(const mesh::EtcdOptions& etcd, const std::string& mesh_name,
                             const capability::Digest& genesis, const common::Clock& clock)
    : store_(std::make_unique<mesh::EtcdGateway>(etcd)),
      keys_(std::in_place, mesh_name),
      genesis_(genesis),
      clock_(&clock) {}

governance::Decision MeshDecisions::allowing(std::string_view id,
                                             const governance::ActionRequest& request) {
  if (!store_)
    throw governance::DecisionError(
        "this router follows no mesh governance (start it with --mesh and --gov-genesis): it "
        "cannot verify a decision");
  governance::GovernanceStore gov(*store_, *keys_);
  const governance::Genesis genesis = governance::trusted_genesis(gov, genesis_);
  return governance::decision_allowing(gov, genesis, id, request, clock_->now());
}

}  // namespace westworld::agent

// A router without a data plane, for the mesh load tool: the agent's real mesh membership
// (MeshMember over its own etcd client: registration, lease keepalives, status reports and
// the target watch, at the agent's rates), with a LocalRouter that accepts every bundle and
// notes when it arrived. Verifying and applying a bundle is the agent's cost, measured
// elsewhere; here only etcd's side of the mesh is under load.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "counting_store.h"
#include "westworld/common/clock.h"
#include "westworld/mesh/etcd_gateway.h"
#include "westworld/mesh/local_router.h"
#include "westworld/mesh/mesh_member.h"

namespace westworld::mesh_load {

class SimulatedRouter final : public mesh::LocalRouter {
 public:
  SimulatedRouter(const mesh::EtcdOptions& etcd, mesh::MeshMemberOptions options,
                  RequestCounter& counter);
  ~SimulatedRouter() override;

  void start() { member_.start(); }
  void stop() { member_.stop(); }

  mesh::RouterRecord report() override;
  std::optional<std::string> apply(const mesh::PolicyBundle& bundle,
                                   const std::string& origin) override;
  void registered_routers(uint64_t) override {}

  // When the bundle with `digest` arrived (steady clock), if it has.
  std::optional<std::chrono::steady_clock::time_point> arrival(const std::string& digest) const;
  bool connected() const { return member_.status().connected; }

 private:
  mesh::EtcdGateway gateway_;
  CountingStore store_;
  mesh::MeshMember member_;
  mutable std::mutex mutex_;
  std::string digest_;
  std::chrono::steady_clock::time_point arrived_;
};

}  // namespace westworld::mesh_load

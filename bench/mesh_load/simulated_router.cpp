#include "simulated_router.h"

namespace westworld::mesh_load {

SimulatedRouter::SimulatedRouter(const mesh::EtcdOptions& etcd, mesh::MeshMemberOptions options,
                                 RequestCounter& counter)
    : gateway_(etcd),
      store_(gateway_, counter),
      member_(store_, *this, std::move(options), common::system_clock()) {}

SimulatedRouter::~SimulatedRouter() { member_.stop(); }

mesh::RouterRecord SimulatedRouter::report() {
  std::lock_guard lock(mutex_);
  mesh::RouterRecord record;
  record.applied_digest = digest_;
  record.xdp_mode = "simulated";
  return record;
}

std::optional<std::string> SimulatedRouter::apply(const mesh::PolicyBundle& bundle,
                                                  const std::string&) {
  std::lock_guard lock(mutex_);
  digest_ = bundle.digest;
  arrived_ = std::chrono::steady_clock::now();
  return std::nullopt;
}

std::optional<std::chrono::steady_clock::time_point> SimulatedRouter::arrival(
    const std::string& digest) const {
  std::lock_guard lock(mutex_);
  if (digest_ != digest) return std::nullopt;
  return arrived_;
}

}  // namespace westworld::mesh_load

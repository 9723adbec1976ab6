// A mesh in network namespaces: N routers in a ring, each running the real agent with its
// own pin root, state and control socket, and an etcd cluster in a "core" namespace that
// every router reaches over its own control link (a veth into the core's bridge). The
// guard sits on the ring links only: the control link carries etcd, not user traffic.
//
//   core   br0 10.250.0.1/24; etcd members listen on 10.250.0.1:<ports>
//   rI     ctl 10.250.0.(10+I)/24 (veth cI in core, on br0)
//          east  10.251.I.1/24  <->  west of r(I+1)  10.251.I.2/24   (ring, I = 1..N)
//
// Everything goes with the object: agents (SIGKILL, by PID), etcd members, guards
// (`wwctl detach`), pins, namespaces, files.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agent_sandbox.h"
#include "etcd_cluster.h"
#include "westworld/harness/command.h"
#include "westworld/harness/network_lab.h"
#include "westworld/mesh/etcd_gateway.h"
#include "westworld/mesh/mesh_view.h"

namespace westworld::mesh_test {

struct MeshLabOptions {
  int routers = 5;
  int etcd_members = 3;
  // Agent flags every router gets (after its own), e.g. trust options.
  std::vector<std::string> agent_flags;
  // Flags for one router (by index), e.g. --node-id for the trust gate.
  std::function<std::vector<std::string>(int)> router_flags;
};

class MeshLab {
 public:
  // Builds the namespaces and links, starts etcd and one agent per router running
  // `initial_policy`; throws std::runtime_error, after tearing down, if any step fails.
  MeshLab(MeshLabOptions options, const std::string& initial_policy);
  ~MeshLab();
  MeshLab(const MeshLab&) = delete;
  MeshLab& operator=(const MeshLab&) = delete;

  int size() const { return static_cast<int>(routers_.size()); }
  std::string node_id(int router) const { return "r" + std::to_string(router + 1); }
  const std::string& router_ns(int router) const { return routers_.at(router).sandbox.netns; }
  // Its state and data directory (policy record, audit log).
  const std::string& state_dir(int router) const { return routers_.at(router).sandbox.state_dir; }
  // The address of `router` on its west link (from the previous router in the ring).
  std::string west_address(int router) const;
  // The previous router in the ring (whose east link reaches `router`'s west).
  int west_neighbour(int router) const { return (router + size() - 1) % size(); }

  // How many of `count` UDP datagrams sent to `router`'s west address on `port` from its
  // west neighbour arrived (the sender is that link's other end).
  uint64_t delivered_to(int router, uint16_t port, uint32_t count = 20);
  // The registry as etcd holds it now (read from the core namespace).
  mesh::MeshView view() const;

  harness::EtcdCluster& etcd() { return *etcd_; }
  // The etcd endpoints as routers (and wwctl in a router namespace) see them.
  std::string endpoints() const { return etcd_->endpoints(); }
  // A store client for the test thread: call it inside core_scope().
  std::unique_ptr<mesh::EtcdGateway> store() const;
  const std::string& core_ns() const { return core_ns_; }

  void kill_agent(int router);   // SIGKILL: the guard stays attached and pinned
  void start_agent(int router);  // (re)starts it with the same flags
  bool agent_running(int router);
  // wwctl in the router's namespace, pointed at its agent; the command's result.
  harness::CommandResult wwctl(int router, const std::vector<std::string>& args) const;

  std::filesystem::path write_file(const std::string& name, const std::string& text) const;
  const std::filesystem::path& work_dir() const { return work_dir_; }
  std::string agent_logs() const;

 private:
  struct Router {
    harness::AgentSandbox sandbox;
    std::vector<std::string> argv;
    std::optional<harness::ChildProcess> agent;
    std::filesystem::path log;
  };
  void build_network();
  void teardown() noexcept;

  MeshLabOptions options_;
  std::filesystem::path work_dir_;
  harness::NetworkLab lab_{"wwm"};
  std::string core_ns_;
  std::optional<harness::EtcdCluster> etcd_;
  std::vector<Router> routers_;
  int traffic_runs_ = 0;  // names each traffic run's output files
};

}  // namespace westworld::mesh_test

#include "mesh_access.h"

#include <chrono>

namespace westworld::cli {

void add_mesh_options(CLI::App& command, MeshOptions& options) {
  mesh::add_etcd_flags(command, options, "etcd endpoints http(s)://HOST:PORT[,...]", true);
  command.get_option("--mesh")->required();
}

mesh::EtcdGateway open_store(const MeshOptions& options, const CommonOptions& common) {
  mesh::EtcdOptions etcd = mesh::etcd_options(options);
  etcd.timeout = std::chrono::milliseconds(static_cast<int64_t>(common.timeout_s * 1000));
  return mesh::EtcdGateway(std::move(etcd));
}

int64_t now_unix() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace westworld::cli

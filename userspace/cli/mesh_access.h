// How wwctl reaches a mesh's etcd: the shared --mesh flags (required) and the client.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>

#include "commands.h"
#include "westworld/mesh/etcd_flags.h"
#include "westworld/mesh/etcd_gateway.h"

namespace westworld::cli {

using MeshOptions = mesh::EtcdFlags;

void add_mesh_options(CLI::App& command, MeshOptions& options);
mesh::EtcdGateway open_store(const MeshOptions& options, const CommonOptions& common);
int64_t now_unix();

}  // namespace westworld::cli

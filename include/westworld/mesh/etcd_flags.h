// The command-line flags that say how to reach a mesh's etcd, shared by westworld-agent and
// `wwctl mesh`: one spelling, one help text, one way to read the password file.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "westworld/mesh/etcd_gateway.h"

namespace westworld::mesh {

struct EtcdFlags {
  std::string endpoints;  // --mesh
  std::string mesh_name = "default";
  std::string ca_file;
  std::string user;
  std::string password_file;
};

// Adds --mesh (env WW_MESH when `from_env`), --mesh-name, --mesh-ca-file, --mesh-user and
// --mesh-password-file; `mesh_help` describes --mesh for this program.
void add_etcd_flags(CLI::App& app, EtcdFlags& flags, const std::string& mesh_help, bool from_env);

// The client options the flags describe: endpoints parsed, the password read from its file
// (mode 0600, a trailing newline dropped). Throws std::invalid_argument or
// std::runtime_error naming the flag or file at fault.
EtcdOptions etcd_options(const EtcdFlags& flags);

}  // namespace westworld::mesh

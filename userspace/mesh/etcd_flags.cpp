#include "westworld/mesh/etcd_flags.h"

#include <stdexcept>

#include "westworld/capability/secret_file.h"

namespace westworld::mesh {

void add_etcd_flags(CLI::App& app, EtcdFlags& flags, const std::string& mesh_help, bool from_env) {
  CLI::Option* mesh = app.add_option("--mesh", flags.endpoints, mesh_help);
  if (from_env) mesh->envname("WW_MESH");
  app.add_option("--mesh-name", flags.mesh_name, "The mesh's name in etcd's key space")
      ->capture_default_str();
  app.add_option("--mesh-ca-file", flags.ca_file,
                 "For https:// endpoints: the CA (PEM) that signed etcd's certificates");
  app.add_option("--mesh-user", flags.user, "etcd user (etcd's own authentication)");
  app.add_option("--mesh-password-file", flags.password_file,
                 "File (mode 0600) holding the etcd user's password");
}

EtcdOptions etcd_options(const EtcdFlags& flags) {
  EtcdOptions etcd;
  etcd.endpoints = parse_endpoints(flags.endpoints);
  etcd.tls.ca_file = flags.ca_file;
  if (!flags.ca_file.empty() && !etcd.endpoints.front().tls)
    throw std::invalid_argument("--mesh-ca-file is for https:// endpoints; --mesh gives http://");
  etcd.user = flags.user;
  if (!flags.password_file.empty()) {
    std::string password = capability::read_secret_file(flags.password_file);
    while (!password.empty() && (password.back() == '\n' || password.back() == '\r'))
      password.pop_back();
    etcd.password = std::move(password);
  }
  if (!flags.user.empty() && etcd.password.empty())
    throw std::invalid_argument("--mesh-user needs --mesh-password-file");
  if (flags.user.empty() && !flags.password_file.empty())
    throw std::invalid_argument("--mesh-password-file needs --mesh-user");
  return etcd;
}

}  // namespace westworld::mesh

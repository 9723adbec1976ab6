// The router's own addresses, as getifaddrs() reports them in the agent's
// network namespace: sources the agent must never quarantine.
#pragma once

#include <string>
#include <vector>

#include "westworld/mesh/router_record.h"
#include "westworld/policy/model.h"

namespace westworld::agent {

// Every IPv4 and IPv6 address of every interface, each as a host prefix.
std::vector<policy::Cidr> own_addresses();

// The IPv4 address (with its prefix length) and MTU of each of `ifaces` that has one, as the
// router publishes them to its mesh.
std::vector<mesh::RouterLink> interface_links(const std::vector<std::string>& ifaces);

}  // namespace westworld::agent

// The router's own addresses, as getifaddrs() reports them in the agent's
// network namespace: sources the agent must never quarantine.
#pragma once

#include <vector>

#include "westworld/policy/model.h"

namespace westworld::agent {

// Every IPv4 and IPv6 address of every interface, each as a host prefix.
std::vector<policy::Cidr> own_addresses();

}  // namespace westworld::agent

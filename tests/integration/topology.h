// The test network: one router namespace (where the guard runs) and a few source namespaces,
// each joined to the router by its own veth pair. Link N carries
//
//   router  <iface wwrN>  10.231.N.1/24  fd00:231:N::1/64  02:31:00:0N:00:01
//   source  <iface eth0>  10.231.N.2/24  fd00:231:N::2/64  02:31:00:0N:00:02
//
// with static neighbour entries, so the links carry traffic as soon as they exist. Namespace
// names start with "wwi<pid>-" (see harness::NetworkLab).
#pragma once

#include <string>
#include <vector>

#include "westworld/harness/network_lab.h"

namespace westworld::integration {

struct VethLink {
  int number = 0;            // N above, from 1
  std::string source_ns;     // the source end's namespace
  std::string router_iface;  // the router end, where the guard attaches
  std::string source_iface;
  std::string router_ipv4;
  std::string source_ipv4;
  std::string router_ipv6;
  std::string source_ipv6;
  std::string ipv4_network;  // 10.231.N.0/24
  std::string ipv6_network;  // fd00:231:N::/64
};

class Topology {
 public:
  // Creates the router and `source_count` source namespaces (at most 9); throws
  // std::runtime_error, after removing whatever it created, if any step fails.
  explicit Topology(int source_count);

  const std::string& router_ns() const { return router_ns_; }
  // The link to source `number` (1-based).
  const VethLink& link(int number) const;
  const std::vector<VethLink>& links() const { return links_; }

 private:
  void add_link(int number);

  harness::NetworkLab lab_{"wwi"};
  std::string router_ns_;
  std::vector<VethLink> links_;
};

}  // namespace westworld::integration

// The test network: one router namespace (where the guard runs) and a few source namespaces,
// each joined to the router by its own veth pair. Link N carries
//
//   router  <iface wwrN>  10.231.N.1/24  fd00:231:N::1/64  02:31:00:0N:00:01
//   source  <iface eth0>  10.231.N.2/24  fd00:231:N::2/64  02:31:00:0N:00:02
//
// Neighbour entries are static (no ARP or neighbour discovery to wait for or to be
// confused by) and IPv6 addresses skip duplicate address detection, so the links carry
// traffic as soon as they exist. Namespace names start with "wwi<pid>-", which makes them
// unique per test process and lets a later run remove what a crashed one left behind.
#pragma once

#include <string>
#include <vector>

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
  // Removes stale namespaces, then creates the router and `source_count` source namespaces
  // (at most 9); throws std::runtime_error, after removing whatever it created, if any step
  // fails.
  explicit Topology(int source_count);
  Topology(const Topology&) = delete;
  Topology& operator=(const Topology&) = delete;
  ~Topology();

  const std::string& router_ns() const { return router_ns_; }
  // The link to source `number` (1-based).
  const VethLink& link(int number) const;
  const std::vector<VethLink>& links() const { return links_; }

  // The prefix of this process's namespaces, "wwi<pid>-".
  static std::string name_prefix();
  // Removes namespaces named wwi<pid>-* whose process no longer runs (or is this one).
  static void remove_stale_namespaces();

 private:
  void create();
  void destroy() noexcept;

  std::string router_ns_;
  std::vector<VethLink> links_;
  std::vector<std::string> created_namespaces_;
};

}  // namespace westworld::integration

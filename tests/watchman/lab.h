// The test network: a router namespace, where the agent guards `wwm0`, and a
// LAN namespace behind it whose one interface carries several source
// addresses, so sources share an interface as they do on a real mesh link:
//
//   router  wwm0  10.238.0.1/24   (+ 10.238.9.1/32 on lo: one of the router's own addresses)
//   lan     eth0  10.238.0.2 .. 10.238.0.(1+hosts)/24, and 10.238.9.1/32 (posing as the router)
//
// Neighbour entries are static, so traffic flows at once. Names start with
// "wwm<pid>-" (see harness::NetworkLab).
#pragma once

#include <string>

#include "westworld/harness/network_lab.h"

namespace westworld::watchman_test {

class Lab {
 public:
  explicit Lab(int hosts);  // throws, after cleaning up, if any step fails

  const std::string& router_ns() const { return router_ns_; }
  const std::string& lan_ns() const { return lan_ns_; }
  static std::string iface() { return "wwm0"; }
  static std::string router_address() { return "10.238.0.1"; }
  static std::string router_alias() { return "10.238.9.1"; }
  // LAN host `n` (1-based).
  static std::string host(int n) { return "10.238.0." + std::to_string(n + 1); }

 private:
  harness::NetworkLab network_{"wwm"};
  std::string router_ns_;
  std::string lan_ns_;
};

}  // namespace westworld::watchman_test

// A private test network: network namespaces named "<stem><pid>-<name>", veth pairs between
// them, addresses and static neighbour entries, all through `ip`. What it creates goes when it
// does: the processes still in a namespace are killed by PID, then the namespace is deleted
// (and with it its veth ends and any XDP or tc program attached there).
#pragma once

#include <string>
#include <vector>

namespace westworld::harness {

struct VethEnd {
  std::string ns;  // full namespace name
  std::string iface;
  std::string mac;
};

class NetworkLab {
 public:
  // First removes the namespaces of `stem` that dead processes left behind.
  explicit NetworkLab(std::string stem);
  NetworkLab(const NetworkLab&) = delete;
  NetworkLab& operator=(const NetworkLab&) = delete;
  ~NetworkLab();

  // Each step throws std::runtime_error, with ip's complaint, if it fails.

  // Creates "<stem><pid>-<name>" with its loopback up; returns that full name.
  std::string add_namespace(const std::string& name);
  void add_veth(const VethEnd& one, const VethEnd& other);
  // `cidr` as "address/prefix"; IPv6 addresses skip duplicate address detection, so a link
  // carries traffic as soon as it is up.
  void add_address(const std::string& ns, const std::string& iface, const std::string& cidr);
  void set_up(const std::string& ns, const std::string& iface);
  // A permanent neighbour entry: no ARP or neighbour discovery to wait for or be confused by.
  void add_neighbour(const std::string& ns, const std::string& iface, const std::string& address,
                     const std::string& mac);

  // Removes namespaces "<stem><pid>-*" whose process is gone (or is this one).
  static void remove_leftovers(const std::string& stem);

 private:
  std::string stem_;
  std::vector<std::string> namespaces_;
};

}  // namespace westworld::harness

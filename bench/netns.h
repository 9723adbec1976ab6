// Network namespaces the harness works in: the sender's, where the traffic
// generator's test_run resolves its ingress interface, and the receiver's,
// where programs are attached and nft tables live. Namespaces are per thread;
// bpffs and the BPF objects are not, so one process serves both sides.
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace westworld::bench {

// The calling thread lives in /run/netns/NAME until the scope ends.
class NetnsScope {
 public:
  explicit NetnsScope(const std::string& name);
  ~NetnsScope();
  NetnsScope(const NetnsScope&) = delete;
  NetnsScope& operator=(const NetnsScope&) = delete;

 private:
  int original_ = -1;
};

struct InterfaceInfo {
  uint32_t ifindex = 0;
  std::string mac;  // "02:77:62:00:00:02"
};

// Looks the interface up inside the namespace.
InterfaceInfo interface_in(const std::string& netns, const std::string& iface);

}  // namespace westworld::bench

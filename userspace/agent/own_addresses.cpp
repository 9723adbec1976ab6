#include "westworld/agent/own_addresses.h"

#include <ifaddrs.h>
#include <netinet/in.h>

#include <cstring>

namespace westworld::agent {

std::vector<policy::Cidr> own_addresses() {
  std::vector<policy::Cidr> addresses;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return addresses;
  for (const ifaddrs* ifa = list; ifa; ifa = ifa->ifa_next) {
    if (!ifa->ifa_addr) continue;
    policy::Cidr host;
    if (ifa->ifa_addr->sa_family == AF_INET) {
      const auto* in = reinterpret_cast<const sockaddr_in*>(ifa->ifa_addr);
      host.family = policy::Family::ipv4;
      host.length = 32;
      std::memcpy(host.addr.data(), &in->sin_addr, 4);
    } else if (ifa->ifa_addr->sa_family == AF_INET6) {
      const auto* in6 = reinterpret_cast<const sockaddr_in6*>(ifa->ifa_addr);
      host.family = policy::Family::ipv6;
      host.length = 128;
      std::memcpy(host.addr.data(), &in6->sin6_addr, 16);
    } else {
      continue;
    }
    addresses.push_back(host);
  }
  freeifaddrs(list);
  return addresses;
}

}  // namespace westworld::agent

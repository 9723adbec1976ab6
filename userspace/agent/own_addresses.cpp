#include "westworld/agent/own_addresses.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
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

namespace {

uint32_t mtu_of(const std::string& iface) {
  const int fd = socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0) return 0;
  ifreq request{};
  std::strncpy(request.ifr_name, iface.c_str(), IFNAMSIZ - 1);
  const bool ok = ioctl(fd, SIOCGIFMTU, &request) == 0;
  close(fd);
  return ok ? static_cast<uint32_t>(request.ifr_mtu) : 0;
}

}  // namespace

std::vector<mesh::RouterLink> interface_links(const std::vector<std::string>& ifaces) {
  std::vector<mesh::RouterLink> links;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return links;
  for (const ifaddrs* ifa = list; ifa; ifa = ifa->ifa_next) {
    if (!ifa->ifa_addr || ifa->ifa_addr->sa_family != AF_INET || !ifa->ifa_netmask) continue;
    if (std::find(ifaces.begin(), ifaces.end(), ifa->ifa_name) == ifaces.end()) continue;
    char text[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(ifa->ifa_addr)->sin_addr, text,
              sizeof text);
    const uint32_t mask =
        ntohl(reinterpret_cast<const sockaddr_in*>(ifa->ifa_netmask)->sin_addr.s_addr);
    links.push_back({ifa->ifa_name, std::string(text) + "/" + std::to_string(std::popcount(mask)),
                     mtu_of(ifa->ifa_name)});
  }
  freeifaddrs(list);
  std::sort(links.begin(), links.end(),
            [](const mesh::RouterLink& a, const mesh::RouterLink& b) { return a.iface < b.iface; });
  return links;
}

}  // namespace westworld::agent

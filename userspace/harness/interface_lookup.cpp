#include "westworld/harness/interface_lookup.h"

#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "westworld/harness/netns.h"

namespace westworld::harness {

InterfaceInfo interface_in(const std::string& netns, const std::string& iface) {
  NetnsScope scope(netns);
  InterfaceInfo info;
  info.ifindex = if_nametoindex(iface.c_str());
  if (info.ifindex == 0) {
    throw std::runtime_error("no interface " + iface + " in network namespace " + netns);
  }
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  }
  ifreq request{};
  std::strncpy(request.ifr_name, iface.c_str(), IFNAMSIZ - 1);
  const int rc = ::ioctl(fd, SIOCGIFHWADDR, &request);
  const int error = errno;
  ::close(fd);
  if (rc != 0) {
    throw std::runtime_error("cannot read the MAC address of " + iface + ": " +
                             std::strerror(error));
  }
  const auto* mac = reinterpret_cast<const unsigned char*>(request.ifr_hwaddr.sa_data);
  char text[18];
  std::snprintf(text, sizeof text, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
                mac[4], mac[5]);
  info.mac = text;
  return info;
}

}  // namespace westworld::harness

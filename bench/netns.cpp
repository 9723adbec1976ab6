#include "netns.h"

#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "westworld/dataplane/bpffs.h"
#include "westworld/dataplane/error.h"

namespace westworld::bench {

using dataplane::describe_errno;
using dataplane::Error;

NetnsScope::NetnsScope(const std::string& name) {
  original_ = ::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (original_ < 0)
    throw Error(describe_errno("cannot open this thread's network namespace", errno));
  dataplane::enter_netns(name);
}

NetnsScope::~NetnsScope() {
  if (::setns(original_, CLONE_NEWNET) != 0)
    std::fprintf(stderr, "ww-bench: cannot return to the original network namespace: %s\n",
                 std::strerror(errno));
  ::close(original_);
}

InterfaceInfo interface_in(const std::string& netns, const std::string& iface) {
  NetnsScope scope(netns);
  InterfaceInfo info;
  info.ifindex = if_nametoindex(iface.c_str());
  if (info.ifindex == 0) throw Error("no interface " + iface + " in network namespace " + netns);
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw Error(describe_errno("socket", errno));
  ifreq req{};
  std::strncpy(req.ifr_name, iface.c_str(), IFNAMSIZ - 1);
  int rc = ::ioctl(fd, SIOCGIFHWADDR, &req);
  int err = errno;
  ::close(fd);
  if (rc != 0) throw Error(describe_errno("cannot read the MAC address of " + iface, err));
  const auto* mac = reinterpret_cast<const unsigned char*>(req.ifr_hwaddr.sa_data);
  char text[18];
  std::snprintf(text, sizeof text, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
                mac[4], mac[5]);
  info.mac = text;
  return info;
}

}  // namespace westworld::bench

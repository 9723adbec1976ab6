#include "westworld/dataplane/events.h"

#include <arpa/inet.h>
#include <net/if.h>

#include <sstream>

#include "westworld/dataplane/names.h"

namespace westworld::dataplane {

std::string describe_event(const ww_event& event) {
  const int af = event.family == WW_FAMILY_IPV4 ? AF_INET : AF_INET6;
  char src[INET6_ADDRSTRLEN] = {}, dst[INET6_ADDRSTRLEN] = {}, ifname[IF_NAMESIZE] = {};
  inet_ntop(af, event.src, src, sizeof src);
  inet_ntop(af, event.dst, dst, sizeof dst);
  if (!if_indextoname(event.ifindex, ifname))
    std::snprintf(ifname, sizeof ifname, "if%u", event.ifindex);

  std::ostringstream out;
  out << (event.kind == WW_EVENT_VIOLATION ? "violation" : "audit") << " rule=" << event.rule
      << " gen=" << event.generation << ' ' << direction_name(event.direction) << " dev=" << ifname
      << " proto=" << int(event.protocol) << ' ' << src;
  if (event.src_port || event.dst_port) out << ':' << event.src_port;
  out << " -> " << dst;
  if (event.src_port || event.dst_port) out << ':' << event.dst_port;
  out << " len=" << event.length;
  return out.str();
}

}  // namespace westworld::dataplane

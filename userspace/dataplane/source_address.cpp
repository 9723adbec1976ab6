#include "westworld/dataplane/source_address.h"

#include <arpa/inet.h>

namespace westworld::dataplane {

std::string source_address(const ww_source_key& key) {
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(key.family == WW_FAMILY_IPV4 ? AF_INET : AF_INET6, key.addr, text, sizeof text);
  return text;
}

}  // namespace westworld::dataplane

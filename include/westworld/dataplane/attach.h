// Attaching the guard to interfaces: XDP on ingress through libxdp, tc
// egress through libbpf's clsact support.
#pragma once

#include <cstdint>
#include <string>

#include "westworld/dataplane/guard_maps.h"

namespace westworld::dataplane {

enum class XdpMode { automatic, native, generic };

XdpMode parse_xdp_mode(const std::string& text);  // throws Error on unknown text
const char* to_string(XdpMode mode);

struct Attachment {
  std::string iface;
  uint32_t ifindex = 0;
  std::string xdp_mode;  // "native" or "generic", as the kernel reports it
  uint32_t xdp_prog_id = 0;
  uint32_t tc_prog_id = 0;
  bool adopted = false;  // already attached by an earlier agent; left as it was
};

// Resolves the interface name; throws Error "unknown interface NAME".
uint32_t ifindex_of(const std::string& iface);

// Attaches XDP and tc egress unless the guard is already attached there,
// and records the attachment in ww_ifaces.
Attachment attach(const Guard& guard, const std::string& iface, XdpMode mode);

// Id of the guard's XDP program attached to ifindex (legacy or under the
// libxdp dispatcher), or 0 when it is not attached there.
uint32_t attached_guard_id(uint32_t ifindex);

// Whether ifindex in this network namespace is the interface recorded as
// `name`: ifindexes are per namespace, so a wwctl outside the agent's
// namespace must not act on them.
bool is_same_interface(uint32_t ifindex, const char* name);

// Detaches the guard (only the guard's own programs) from one interface.
void detach(const Guard& guard, uint32_t ifindex);

}  // namespace westworld::dataplane

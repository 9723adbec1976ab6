#include "westworld/dataplane/telemetry_guard.h"

#include <bpf/bpf.h>

#include <cerrno>

#include "map_keys.h"
#include "westworld/abi.h"
#include "westworld/dataplane/error.h"

namespace westworld::dataplane {

void write_telemetry_gate_port(const GuardMaps& maps, uint16_t port) {
  const uint32_t zero = 0;
  ww_node node{};
  node.telemetry_gate_port = port;
  if (bpf_map_update_elem(maps.node.get(), &zero, &node, BPF_ANY) != 0)
    throw Error(describe_errno("cannot write ww_node", errno));
}

uint16_t read_telemetry_gate_port(const GuardMaps& maps) {
  const uint32_t zero = 0;
  ww_node node{};
  if (bpf_map_lookup_elem(maps.node.get(), &zero, &node) != 0)
    throw Error(describe_errno("cannot read ww_node", errno));
  return node.telemetry_gate_port;
}

std::map<uint32_t, uint64_t> read_bypass_senders(const GuardMaps& maps) {
  std::map<uint32_t, uint64_t> senders;
  const int fd = maps.bypass.get();
  for (const uint32_t uid : map_keys<uint32_t>(fd)) {
    uint64_t packets = 0;
    // An entry the LRU evicted since the walk is simply gone.
    if (bpf_map_lookup_elem(fd, &uid, &packets) == 0) senders[uid] = packets;
  }
  return senders;
}

}  // namespace westworld::dataplane

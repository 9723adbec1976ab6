// The kernel's half of the telemetry gate, from userspace: the gate's port the tc program
// exempts (ww_node), and who had telemetry dropped for sending it around the gate
// (ww_bypass, by socket uid).
#pragma once

#include <cstdint>
#include <map>

#include "westworld/dataplane/guard_maps.h"

namespace westworld::dataplane {

// 0: no gate runs, and nothing may send to a collector.
void write_telemetry_gate_port(const GuardMaps& maps, uint16_t port);
uint16_t read_telemetry_gate_port(const GuardMaps& maps);

// Socket uid -> packets dropped as telemetry_bypass, since the guard was loaded.
std::map<uint32_t, uint64_t> read_bypass_senders(const GuardMaps& maps);

}  // namespace westworld::dataplane

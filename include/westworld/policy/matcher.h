// Two independent ways to find the rule a packet matches. reference_match()
// reads the Policy and scans the rules in order, plainly; classify() walks
// the compiled tables exactly as the BPF program does. Tests require them to
// agree, and the data plane tests require the kernel to agree with classify().
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "westworld/policy/compiled_policy.h"
#include "westworld/policy/model.h"

namespace westworld::policy {

struct PacketFields {
  uint8_t direction = WW_DIR_INGRESS;
  Family family = Family::ipv4;
  std::array<uint8_t, 16> src{};
  std::array<uint8_t, 16> dst{};
  uint8_t protocol = 0;  // IP protocol number
  bool has_ports = false;  // false for ICMP and for l3-only fragments
  uint16_t src_port = 0;
  uint16_t dst_port = 0;
};

// Index of the first matching rule, or nullopt (then the default applies).
std::optional<uint32_t> reference_match(const Policy& policy, const PacketFields& packet);
std::optional<uint32_t> classify(const CompiledPolicy& compiled, const PacketFields& packet);

}  // namespace westworld::policy

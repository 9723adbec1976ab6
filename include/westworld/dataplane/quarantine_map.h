// ww_quarantine from userspace: the sources the agent (or an operator) holds.
// The map is pinned, so quarantines outlive the agent that set them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "westworld/abi.h"
#include "westworld/dataplane/guard_maps.h"

namespace westworld::dataplane {

struct QuarantineEntry {
  ww_source_key key{};
  ww_quarantine value{};
};

std::vector<QuarantineEntry> read_quarantines(const GuardMaps& maps);
std::optional<ww_quarantine> find_quarantine(const GuardMaps& maps, const ww_source_key& key);
// Adds or replaces an entry; throws Error (a full map among the reasons).
void write_quarantine(const GuardMaps& maps, const ww_source_key& key, const ww_quarantine& value);
// False when there was no such entry.
bool delete_quarantine(const GuardMaps& maps, const ww_source_key& key);

// One quarantine as people see it (wwctl quarantine list).
struct QuarantineView {
  std::string source;
  std::string action;     // drop | limit
  std::string origin;     // manual, rate_jump, share_creep
  bool enforced = false;  // false once the term ran out (the agent releases it soon)
  double remaining_s = 0;
  double held_for_s = 0;
  uint64_t dropped = 0;
  std::optional<uint64_t> pps;  // the limit, for action limit
};

// `now_ns` on the monotonic clock (common::Clock::monotonic_ns), which until_ns is measured on.
std::vector<QuarantineView> describe_quarantines(const std::vector<QuarantineEntry>& entries,
                                                 uint64_t now_ns);

const char* quarantine_action_name(uint32_t action);  // enum ww_quarantine_action
const char* quarantine_origin_name(uint32_t origin);  // enum ww_quarantine_origin

}  // namespace westworld::dataplane

// What the guard is doing, read from the pinned maps: the same report for
// `wwctl status` with or without a running agent.
#pragma once

#include <nlohmann/json.hpp>

#include "westworld/dataplane/guard_maps.h"

namespace westworld::dataplane {

// Per-CPU counters summed over CPUs.
struct CounterSum {
  uint64_t packets = 0;
  uint64_t bytes = 0;
};

CounterSum read_counter(int percpu_map_fd, uint32_t index);

// rule_names: names of the active generation's rules, by index (from the
// agent's policy record); may be null when unknown.
nlohmann::json read_status(const Guard& guard, const nlohmann::json* policy_record);

}  // namespace westworld::dataplane

// The guard's counters, read from the pinned per-CPU maps and summed over CPUs.
// The one reader of ww_stats, ww_drop_stats and ww_rule_stats: status, the
// watchman, the metrics, the bench and the tests all read through it.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "westworld/abi.h"
#include "westworld/dataplane/guard_maps.h"
#include "westworld/dataplane/policy_writer.h"

namespace westworld::dataplane {

struct CounterSum {
  uint64_t packets = 0;
  uint64_t bytes = 0;
};

struct DirectionCounters {
  std::array<CounterSum, WW_STAT_MAX> stats{};  // by enum ww_stat
  std::array<CounterSum, WW_DROP_MAX> drops{};  // by enum ww_drop_reason
};

struct GuardCounters {
  std::array<DirectionCounters, WW_DIR_MAX> direction{};  // by enum ww_direction

  uint64_t packets(uint32_t dir, ww_stat stat) const { return direction[dir].stats[stat].packets; }
  uint64_t dropped(uint32_t dir, ww_drop_reason reason) const {
    return direction[dir].drops[reason].packets;
  }
  // Packets of `stat` in both directions.
  uint64_t packets_both_ways(ww_stat stat) const;
  // Packets dropped for `reason` in both directions.
  uint64_t dropped_both_ways(ww_drop_reason reason) const;
};

GuardCounters read_guard_counters(const GuardMaps& maps);

// The running generation's per-rule counters, by rule index; empty without a policy.
// A generation's rule counters are zeroed when it is written, so these count the
// traffic each rule matched since the running policy was applied.
std::vector<CounterSum> read_rule_counters(const GuardMaps& maps, const ActivePolicy& active);
// One rule's counter in generation `gen` (live or not).
CounterSum read_rule_counter(const GuardMaps& maps, uint32_t gen, uint32_t rule);

}  // namespace westworld::dataplane

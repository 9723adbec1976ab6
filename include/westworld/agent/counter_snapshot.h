// The guard's counters at one moment, summed over CPUs: what the metrics
// export and the churn detector reads, gathered once per window.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "westworld/abi.h"
#include "westworld/control/policy_record.h"
#include "westworld/dataplane/counters.h"
#include "westworld/dataplane/guard_maps.h"

namespace westworld::agent {

struct RuleCounter {
  std::string name;
  std::string action;
  dataplane::CounterSum traffic;
};

struct CounterSnapshot {
  dataplane::GuardCounters counters;
  std::vector<RuleCounter> rules;  // of the running generation

  bool policy_valid = false;
  uint64_t policy_generation = 0;
  uint64_t policy_applied_at_unix_ns = 0;

  uint64_t sources_capacity = 0;
  uint64_t sources_created = 0;  // both directions

  uint64_t stat(uint32_t dir, ww_stat which) const { return counters.packets(dir, which); }
};

// `record` names the running rules (the agent's policy record).
CounterSnapshot read_counter_snapshot(const dataplane::Guard& guard,
                                      const control::PolicyRecord& record);

}  // namespace westworld::agent

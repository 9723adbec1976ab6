// The guard's own verdict counters, read as snapshots and subtracted, so the
// bench can check that the guard decided exactly what the traffic intended.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>

#include "westworld/dataplane/guard_maps.h"

namespace westworld::bench {

struct GuardVerdicts {
  uint64_t seen = 0;
  uint64_t passed = 0;
  uint64_t dropped = 0;
  uint64_t dropped_by_rule = 0;
  uint64_t dropped_by_quota = 0;
  uint64_t dropped_other = 0;  // every other drop reason: none is expected in the bench

  GuardVerdicts operator-(const GuardVerdicts& earlier) const;
};

// Ingress counters, summed over CPUs.
GuardVerdicts read_guard_verdicts(const dataplane::GuardMaps& maps);

nlohmann::json to_json(const GuardVerdicts& verdicts);

}  // namespace westworld::bench

// The whole of ww_sources in one pass, for the agent's per-window rates.
#pragma once

#include <vector>

#include "westworld/abi.h"
#include "westworld/dataplane/guard_maps.h"

namespace westworld::dataplane {

// keys[i] goes with values[i].
struct SourceTable {
  std::vector<ww_source_key> keys;
  std::vector<ww_source> values;
};

// Reads in batches (one syscall per few thousand sources); where the kernel
// lacks batch lookups on the LRU, falls back to a key walk.
SourceTable read_sources(const GuardMaps& maps);

}  // namespace westworld::dataplane

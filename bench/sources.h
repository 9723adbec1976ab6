// Active sources: ww_sources pre-populated from userspace, so a measurement
// with N sources runs against an LRU that really holds N entries.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "westworld/policy/model.h"

namespace westworld::bench {

// Inserts sources [0, count) of `family` (keys as the guard derives them),
// with fresh quota state; existing entries are overwritten.
void populate_sources(int sources_fd, policy::Family family, uint32_t count);

// Empties ww_sources.
void clear_sources(int sources_fd);

// Entries now in the map.
uint64_t count_sources(int sources_fd);

}  // namespace westworld::bench

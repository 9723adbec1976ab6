// CPU time and resident memory of a process, from /proc.
#pragma once

#include <sys/types.h>

#include <cstdint>

namespace westworld::mesh_load {

struct ProcessUsage {
  double cpu_s = 0;      // user + system since it started
  uint64_t rss_kib = 0;  // resident set now
};

// Zeros when the process is gone.
ProcessUsage process_usage(pid_t pid);

}  // namespace westworld::mesh_load

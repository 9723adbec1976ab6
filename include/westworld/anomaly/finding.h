// What a detector reports when it fires: which statistic crossed which
// threshold, over how many windows. The agent turns it into an alert.
#pragma once

#include <cstdint>
#include <string>

namespace westworld::anomaly {

struct Finding {
  std::string detector;   // "rate_jump", "share_creep", "source_churn", "control_plane"
  std::string statistic;  // what was measured, e.g. "packets_per_second"
  double value = 0;       // its value in the window that fired
  double threshold = 0;   // the value it had to reach
  uint32_t windows = 1;   // windows of evidence behind the finding
  std::string detail;     // the baseline or context a person needs to judge it
};

}  // namespace westworld::anomaly

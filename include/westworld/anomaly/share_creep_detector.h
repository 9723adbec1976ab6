// Share creep: one source's share of its interface's traffic rising and
// staying above a bound. A one-sided CUSUM accumulates the share above
// bound + slack and fires when the sum reaches the limit, so a source that
// creeps to just above the bound is caught as surely (only later) as one that
// jumps far above it, while brief spikes and noise below the bound drain away.
#pragma once

#include <cstdint>
#include <optional>

#include "westworld/anomaly/finding.h"
#include "westworld/policy/detect.h"

namespace westworld::anomaly {

class ShareCreepDetector {
 public:
  explicit ShareCreepDetector(const policy::ShareCreepSettings& settings);

  // Feeds one window's share in [0, 1]; nullopt when the interface carried too
  // little to judge (the evidence is kept, not grown). Returns a finding in the
  // window the source becomes flagged.
  std::optional<Finding> observe(std::optional<double> share);

  bool flagged() const { return flagged_; }
  double cusum() const { return cusum_; }

 private:
  policy::ShareCreepSettings settings_;
  double cusum_ = 0;
  uint32_t evidence_windows_ = 0;  // windows since the sum last was zero
  bool flagged_ = false;
  uint32_t calm_streak_ = 0;
};

}  // namespace westworld::anomaly

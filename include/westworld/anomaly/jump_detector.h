// Rate jump: a series far above its own baseline for several windows in a
// row. Used per source (packets per second) and for source churn (new
// sources per second). A window counts as high only if it clears all three
// bars: the robust z-score, a multiple of the baseline, and an absolute
// floor, so neither a quiet series' tiny spread nor a small source's
// doubling raises an alert.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "westworld/anomaly/finding.h"
#include "westworld/anomaly/robust_baseline.h"
#include "westworld/policy/detect.h"

namespace westworld::anomaly {

// Whether two settings judge alike (the response aside): a detector is
// rebuilt, and its baseline learned anew, only when they do not.
bool same_thresholds(const policy::JumpSettings& a, const policy::JumpSettings& b);

class JumpDetector {
 public:
  // `detector` and `statistic` name the findings ("rate_jump", "packets_per_second").
  JumpDetector(const policy::JumpSettings& settings, std::string detector, std::string statistic);

  // Feeds one window; returns a finding in the window the series becomes flagged.
  std::optional<Finding> observe(double value);

  bool flagged() const { return flagged_; }
  const RobustBaseline& baseline() const { return baseline_; }
  // The value a window must reach to count as high (infinite until warmed up).
  double threshold() const;

 private:
  bool calm(double value) const;

  policy::JumpSettings settings_;
  std::string detector_;
  std::string statistic_;
  RobustBaseline baseline_;
  bool flagged_ = false;
  uint32_t high_streak_ = 0;
  uint32_t calm_streak_ = 0;
};

}  // namespace westworld::anomaly

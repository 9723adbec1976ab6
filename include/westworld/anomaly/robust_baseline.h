// The normal level of one series and how much it normally varies, learned
// online. The first estimate is the median and MAD of a warm-up sample; after
// that an EWMA follows the level, fed deviations clipped to a few spreads
// (Huber), and another the mean absolute deviation of the inliers, so a burst
// cannot drag the baseline up in one window, nor a ramp widen its spread. Callers stop feeding it
// while the series is flagged, which is what keeps an attacker from teaching it a new normal.
#pragma once

#include <cstdint>
#include <vector>

namespace westworld::anomaly {

struct BaselineSettings {
  uint32_t span_windows = 60;    // EWMA span: alpha = 2 / (span + 1)
  uint32_t warmup_windows = 20;  // samples before the baseline is trusted
  double relative_floor = 0.05;  // the spread is at least this fraction of the level...
  double absolute_floor = 1.0;   // ...and at least this, in the series' unit
};

class RobustBaseline {
 public:
  explicit RobustBaseline(BaselineSettings settings);

  void learn(double value);
  bool ready() const { return ready_; }
  uint64_t samples() const { return samples_; }

  double level() const { return level_; }
  // One standard deviation of normal variation (never below the floors).
  double sigma() const;
  // How many sigmas `value` lies above the level.
  double score(double value) const { return (value - level_) / sigma(); }

 private:
  void finish_warmup();

  BaselineSettings settings_;
  double alpha_;
  std::vector<double> warmup_;
  bool ready_ = false;
  uint64_t samples_ = 0;
  double level_ = 0;
  double spread_ = 0;  // sigma estimate before the floors
};

}  // namespace westworld::anomaly

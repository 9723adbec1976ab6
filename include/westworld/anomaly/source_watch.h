// The per-source detectors over time: each window the busiest sources (and
// every source already flagged) get a rate-jump and a share-creep detector.
// Tracking is bounded: a source that leaves the busiest set keeps its baseline
// for a while, in case it returns, and is forgotten after that.
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "westworld/anomaly/jump_detector.h"
#include "westworld/anomaly/share_creep_detector.h"
#include "westworld/anomaly/source_rates.h"
#include "westworld/policy/detect.h"

namespace westworld::anomaly {

struct SourceFinding {
  ww_source_key key{};
  uint32_t ifindex = 0;
  Finding finding;
};

class SourceWatch {
 public:
  explicit SourceWatch(const policy::DetectSettings& settings);

  // New thresholds restart the baselines of the detectors they change.
  void reconfigure(const policy::DetectSettings& settings);

  std::vector<SourceFinding> observe(const RateSnapshot& snapshot);

  bool flagged(const ww_source_key& key) const;
  // Sources whose rates must be reported even when they are not the busiest.
  SourceKeySet watched() const;
  size_t tracked() const { return tracked_.size(); }

 private:
  struct Tracked {
    JumpDetector rate;
    ShareCreepDetector share;
    uint32_t windows_out_of_top = 0;
  };

  Tracked make_tracked() const;
  void forget_stale();

  policy::DetectSettings settings_;
  std::unordered_map<ww_source_key, Tracked, SourceKeyHash, SourceKeyEqual> tracked_;
};

}  // namespace westworld::anomaly

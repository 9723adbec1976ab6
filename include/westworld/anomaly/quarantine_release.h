// When a quarantine ends: only after its ban time, and only once the source
// has been quiet (offering at most quiet_pps) for quiet_seconds. A source that
// is still loud when its ban runs out has the ban extended a little past the
// quiet time it still needs, so the kernel keeps enforcing between decisions
// and a ban never outlives its agent by more than that.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

#include "westworld/abi.h"
#include "westworld/anomaly/source_key.h"
#include "westworld/policy/detect.h"

namespace westworld::anomaly {

struct ReleaseDecision {
  enum class Kind { keep, extend, release } kind = Kind::keep;
  uint64_t until_ns = 0;  // the new end of the ban, for extend
  std::string reason;     // for the log
};

class QuarantineRelease {
 public:
  QuarantineRelease(const policy::QuarantineSettings& settings, uint32_t window_ms);

  // Reviews one quarantined source once per window.
  ReleaseDecision review(const ww_source_key& key, const ww_quarantine& entry, double offered_pps,
                         uint64_t now_ns);
  void forget(const ww_source_key& key) { quiet_since_ns_.erase(key); }

 private:
  policy::QuarantineSettings settings_;
  uint64_t window_ns_;
  // When each quarantined source last became quiet.
  std::unordered_map<ww_source_key, uint64_t, SourceKeyHash, SourceKeyEqual> quiet_since_ns_;
};

}  // namespace westworld::anomaly

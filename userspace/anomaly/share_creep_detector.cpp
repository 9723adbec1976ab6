#include "westworld/anomaly/share_creep_detector.h"

#include <algorithm>
#include <sstream>

#include "westworld/anomaly/alert.h"

namespace westworld::anomaly {
namespace {

// Windows below the bound before a flagged source counts as back to normal.
constexpr uint32_t kCalmWindows = 3;

}  // namespace

ShareCreepDetector::ShareCreepDetector(const policy::ShareCreepSettings& settings)
    : settings_(settings) {}

std::optional<Finding> ShareCreepDetector::observe(std::optional<double> share) {
  if (!share) return std::nullopt;
  if (flagged_) {
    calm_streak_ = *share < settings_.bound ? calm_streak_ + 1 : 0;
    if (calm_streak_ >= kCalmWindows) {
      flagged_ = false;
      calm_streak_ = 0;
      cusum_ = 0;
      evidence_windows_ = 0;
    }
    return std::nullopt;
  }
  cusum_ = std::max(0.0, cusum_ + *share - (settings_.bound + settings_.slack));
  evidence_windows_ = cusum_ > 0 ? evidence_windows_ + 1 : 0;
  if (cusum_ < settings_.limit) return std::nullopt;
  flagged_ = true;
  std::ostringstream detail;
  detail.precision(4);
  detail << "share now " << *share << " of its interface; CUSUM of share above bound "
         << settings_.bound << " + slack " << settings_.slack;
  return Finding{.detector = std::string(kShareCreepDetector),
                 .statistic = "share_cusum",
                 .value = cusum_,
                 .threshold = settings_.limit,
                 .windows = evidence_windows_,
                 .detail = detail.str()};
}

}  // namespace westworld::anomaly

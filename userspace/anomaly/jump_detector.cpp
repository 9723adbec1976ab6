#include "westworld/anomaly/jump_detector.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

namespace westworld::anomaly {
namespace {

BaselineSettings baseline_settings(const policy::JumpSettings& settings) {
  return {.span_windows = settings.baseline_windows, .warmup_windows = settings.warmup_windows};
}

}  // namespace

bool same_thresholds(const policy::JumpSettings& a, const policy::JumpSettings& b) {
  return a.enabled == b.enabled && a.z == b.z && a.min_ratio == b.min_ratio &&
         a.min_rate == b.min_rate && a.baseline_windows == b.baseline_windows &&
         a.warmup_windows == b.warmup_windows && a.persistence == b.persistence;
}

JumpDetector::JumpDetector(const policy::JumpSettings& settings, std::string detector,
                           std::string statistic)
    : settings_(settings),
      detector_(std::move(detector)),
      statistic_(std::move(statistic)),
      baseline_(baseline_settings(settings)) {}

double JumpDetector::threshold() const {
  if (!baseline_.ready()) return std::numeric_limits<double>::infinity();
  const double level = baseline_.level();
  return std::max(
      {level + settings_.z * baseline_.sigma(), settings_.min_ratio * level, settings_.min_rate});
}

// Back below halfway between the baseline and the threshold: the excursion is
// over. The gap between the two bars keeps a series hovering at the threshold
// from flapping.
bool JumpDetector::calm(double value) const {
  const double level = baseline_.level();
  return value < level + (threshold() - level) / 2;
}

std::optional<Finding> JumpDetector::observe(double value) {
  if (!baseline_.ready()) {
    baseline_.learn(value);
    return std::nullopt;
  }
  if (flagged_) {
    // The baseline stays frozen until the series is calm again, so a
    // persistent attacker cannot teach it a new normal.
    calm_streak_ = calm(value) ? calm_streak_ + 1 : 0;
    if (calm_streak_ >= settings_.persistence) {
      flagged_ = false;
      calm_streak_ = 0;
    }
    return std::nullopt;
  }
  const double bar = threshold();
  if (value < bar) {
    high_streak_ = 0;
    baseline_.learn(value);
    return std::nullopt;
  }
  // High windows are not learned either, or a step would teach itself in.
  if (++high_streak_ < settings_.persistence) return std::nullopt;
  high_streak_ = 0;
  flagged_ = true;
  std::ostringstream detail;
  detail.precision(4);
  detail << "baseline " << baseline_.level() << " (robust sigma " << baseline_.sigma() << "), z "
         << baseline_.score(value) << "; bars: z >= " << settings_.z << ", x" << settings_.min_ratio
         << " baseline, >= " << settings_.min_rate;
  return Finding{.detector = detector_,
                 .statistic = statistic_,
                 .value = value,
                 .threshold = bar,
                 .windows = settings_.persistence,
                 .detail = detail.str()};
}

}  // namespace westworld::anomaly

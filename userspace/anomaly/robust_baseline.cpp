#include "westworld/anomaly/robust_baseline.h"

#include <algorithm>
#include <cmath>

namespace westworld::anomaly {
namespace {

// Deviations beyond this many sigmas are clipped before they reach the EWMA.
constexpr double kClipSigmas = 3.0;
// MAD * this estimates the standard deviation of normal data.
constexpr double kMadToSigma = 1.4826;
// Mean absolute deviation * this does the same (sqrt(pi / 2)).
constexpr double kMeanAbsToSigma = 1.2533;

double median(std::vector<double> values) {
  auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), middle, values.end());
  double upper = *middle;
  if (values.size() % 2 == 1) return upper;
  double lower = *std::max_element(values.begin(), middle);
  return (lower + upper) / 2;
}

}  // namespace

RobustBaseline::RobustBaseline(BaselineSettings settings)
    : settings_(settings), alpha_(2.0 / (std::max(settings.span_windows, 1u) + 1.0)) {
  warmup_.reserve(settings.warmup_windows);
}

double RobustBaseline::sigma() const {
  return std::max({spread_, settings_.relative_floor * std::abs(level_), settings_.absolute_floor});
}

void RobustBaseline::learn(double value) {
  ++samples_;
  if (!ready_) {
    warmup_.push_back(value);
    if (warmup_.size() >= std::max(settings_.warmup_windows, 1u)) finish_warmup();
    return;
  }
  const double limit = kClipSigmas * sigma();
  const double deviation = value - level_;
  level_ += alpha_ * std::clamp(deviation, -limit, limit);
  // The spread learns from inliers only. Were outliers clipped into it, a
  // ramp would widen it a few percent per window, compounding, and the
  // baseline would swallow the ramp; this way the level can follow a ramp
  // only linearly, by alpha * limit per window, and a fast ramp escapes.
  if (std::abs(deviation) <= limit)
    spread_ += alpha_ * (kMeanAbsToSigma * std::abs(deviation) - spread_);
}

void RobustBaseline::finish_warmup() {
  level_ = median(warmup_);
  std::vector<double> deviations;
  deviations.reserve(warmup_.size());
  for (double v : warmup_) deviations.push_back(std::abs(v - level_));
  spread_ = kMadToSigma * median(deviations);
  warmup_.clear();
  warmup_.shrink_to_fit();
  ready_ = true;
}

}  // namespace westworld::anomaly

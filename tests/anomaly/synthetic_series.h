// Synthetic counter series for the detector tests: noise of several shapes,
// and the attacks the detectors must catch (step, ramp, slow creep). Every
// generator is seeded, so a failure reproduces exactly.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <numbers>
#include <random>

namespace westworld::anomaly::testing {

// One value per window.
using Series = std::function<double(uint64_t window)>;

inline Series poisson_noise(double rate, uint64_t seed) {
  auto rng = std::make_shared<std::mt19937_64>(seed);
  return [rng, rate](uint64_t) {
    std::poisson_distribution<int64_t> poisson(rate);
    return static_cast<double>(poisson(*rng));
  };
}

// Gaussian around `level` with coefficient of variation `cv`, never negative.
inline Series gaussian_noise(double level, double cv, uint64_t seed) {
  auto rng = std::make_shared<std::mt19937_64>(seed);
  return [rng, level, cv](uint64_t) {
    std::normal_distribution<double> normal(level, cv * level);
    return std::max(0.0, normal(*rng));
  };
}

// Bursty traffic: log-normal around `median`, a heavy right tail.
inline Series lognormal_noise(double median, double sigma_log, uint64_t seed) {
  auto rng = std::make_shared<std::mt19937_64>(seed);
  return [rng, median, sigma_log](uint64_t) {
    std::lognormal_distribution<double> lognormal(std::log(median), sigma_log);
    return lognormal(*rng);
  };
}

// A day-shaped swing of +-`swing` (a fraction) over `period` windows, with Gaussian noise.
inline Series diurnal_noise(double level, double swing, uint64_t period, double cv, uint64_t seed) {
  Series noise = gaussian_noise(1.0, cv, seed);
  return [=](uint64_t w) {
    const double phase = 2 * std::numbers::pi * static_cast<double>(w) / period;
    return level * (1 + swing * std::sin(phase)) * noise(w);
  };
}

// `base` until window `at`, then `base` scaled by `factor`.
inline Series step(Series base, uint64_t at, double factor) {
  return [=](uint64_t w) { return base(w) * (w >= at ? factor : 1.0); };
}

// `base` scaled linearly from 1 at window `from` to `factor` at window `to`, then held.
inline Series ramp(Series base, uint64_t from, uint64_t to, double factor) {
  return [=](uint64_t w) {
    if (w < from) return base(w);
    const double progress = std::min(1.0, static_cast<double>(w - from) / (to - from));
    return base(w) * (1 + (factor - 1) * progress);
  };
}

// A share in [0, 1]: `start` until window `from`, then rising linearly by `per_window`,
// held at `end`, with Gaussian noise of `sigma`.
inline Series creeping_share(double start, double end, uint64_t from, double per_window,
                             double sigma, uint64_t seed) {
  auto rng = std::make_shared<std::mt19937_64>(seed);
  return [=](uint64_t w) {
    const double mean =
        w < from ? start : std::min(end, start + per_window * static_cast<double>(w - from));
    std::normal_distribution<double> normal(mean, sigma);
    return std::clamp(normal(*rng), 0.0, 1.0);
  };
}

// The first window at or after `from` in which `fires` returns true, or -1.
template <typename Fires>
int64_t first_firing(uint64_t from, uint64_t until, Fires fires) {
  for (uint64_t w = from; w < until; ++w)
    if (fires(w)) return static_cast<int64_t>(w);
  return -1;
}

}  // namespace westworld::anomaly::testing

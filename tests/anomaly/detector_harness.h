// Runs detectors over synthetic series and measures what the tests assert:
// false alerts per window on noise, and detection delay on attacks.
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>

#include "synthetic_series.h"
#include "westworld/anomaly/jump_detector.h"
#include "westworld/anomaly/share_creep_detector.h"

namespace westworld::anomaly::testing {

// The assertion bar of the issue: at most one false alert per 10,000 windows.
inline constexpr double kMaxFalseAlertsPerWindow = 1.0 / 10000;

struct NoiseRun {
  uint64_t windows = 0;
  uint64_t alerts = 0;
  double rate() const { return windows ? static_cast<double>(alerts) / windows : 0; }
};

// `make(seed)` builds one series per seed; each runs through a fresh detector.
template <typename MakeDetector, typename MakeSeries>
NoiseRun count_false_alerts(MakeDetector make_detector, MakeSeries make_series, int series,
                            uint64_t windows) {
  NoiseRun run;
  for (int s = 0; s < series; ++s) {
    auto detector = make_detector();
    Series values = make_series(static_cast<uint64_t>(s) + 1);
    for (uint64_t w = 0; w < windows; ++w) run.alerts += detector.observe(values(w)).has_value();
    run.windows += windows;
  }
  return run;
}

// Windows from `attack_start` until the detector fires (1 = the first attack window), or -1.
template <typename Detector>
int64_t detection_delay(Detector& detector, const Series& values, uint64_t attack_start,
                        uint64_t windows) {
  for (uint64_t w = 0; w < windows; ++w) {
    if (detector.observe(values(w)) && w >= attack_start)
      return static_cast<int64_t>(w - attack_start + 1);
  }
  return -1;
}

// Measurements go to stdout so a run of the tests documents them.
inline void report(const std::string& what, const std::string& value) {
  std::printf("[ measured ] %s: %s\n", what.c_str(), value.c_str());
}

}  // namespace westworld::anomaly::testing

// What an arm observed, before it is turned into signals (arm_signals.cpp).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "westworld/cradle/experiment.h"
#include "westworld/cradle/report.h"
#include "westworld/cradle/traffic.h"

namespace westworld::cradle {

struct ArmMeasurements {
  Windows windows;
  std::map<uint16_t, StreamCount> streams;  // sent from the senders, the rest from receivers
  // First time (ms from the arm's start) each quarantined source was seen, by source text.
  std::map<std::string, int64_t> quarantined_at_ms;
  bool quarantines_watched = false;  // every poll of every agent answered at least once
  // Guard drops over the arm, all routers, both directions, by reason name.
  std::optional<std::map<std::string, uint64_t>> drops;
  uint32_t agent_kills = 0;
  uint32_t restarts_survived = 0;
};

// The signals of the arm (every signal the table has that this experiment can measure) and
// the legitimate traffic's series.
void derive_signals(const Experiment& experiment, const ArmMeasurements& measured,
                    ArmResult& result);

// Whether a quarantined source (as the agent lists it, "10.79.0.1" or "10.79.0.0/24") is one
// of the twin's legitimate addresses, or the source of attack `index` (spoofed: its prefix).
bool is_legitimate_source(const std::string& source);
bool is_attack_source(const std::string& source, const AttackSpec& attack, size_t index);

}  // namespace westworld::cradle

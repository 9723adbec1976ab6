// The charter's escalation ladder: what a violation costs its offender, given the offender's
// earlier violations. Pure, so every boundary is testable at any instant.
//
//   1st violation within 30 days  warning: logged, audited, counted in the metrics
//   2nd                           the offender's telemetry is withheld for 24 hours
//   3rd                           the offender is quarantined until a decision restores it
//   4th and later                 a continuing pattern: flagged for legal escalation
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "westworld/common/clock.h"

namespace westworld::charter {

enum class EscalationStep : uint8_t {
  warning = 0,
  telemetry_blocked = 1,
  quarantined = 2,
  legal_escalation = 3,
};

const char* to_string(EscalationStep step);
std::optional<EscalationStep> parse_escalation_step(std::string_view name);

// Earlier violations count while less than 30 days old: one exactly 30 days old has left.
inline constexpr std::chrono::days kEscalationWindow{30};
// How long a second violation withholds the offender's telemetry.
inline constexpr std::chrono::hours kTelemetryBlock{24};

// The step of a violation committed at `now` by an offender whose earlier violations were
// committed at `earlier` (any order; times after `now` are ignored).
EscalationStep escalation_for(std::span<const common::UnixSeconds> earlier,
                              common::UnixSeconds now);

}  // namespace westworld::charter

#include "westworld/charter/escalation.h"

#include <algorithm>
#include <array>

#include "enum_names.h"

namespace westworld::charter {
namespace {

constexpr std::array<const char*, 4> kStepNames = {"warning", "telemetry_blocked", "quarantined",
                                                   "legal_escalation"};

}  // namespace

const char* to_string(EscalationStep step) { return kStepNames.at(static_cast<size_t>(step)); }

std::optional<EscalationStep> parse_escalation_step(std::string_view name) {
  return enum_named<EscalationStep>(kStepNames, name);
}

EscalationStep escalation_for(std::span<const common::UnixSeconds> earlier,
                              common::UnixSeconds now) {
  const auto in_window = std::count_if(earlier.begin(), earlier.end(), [now](auto at) {
    return at <= now && now - at < kEscalationWindow;
  });
  const auto last = static_cast<long>(EscalationStep::legal_escalation);
  return static_cast<EscalationStep>(std::min<long>(in_window, last));
}

}  // namespace westworld::charter

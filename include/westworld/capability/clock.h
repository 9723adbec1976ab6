// Time comes from a Clock so verification can be tested at any instant.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "westworld/common/clock.h"

namespace westworld::capability {

// The userspace's one clock (common/clock.h), under the names the trust code uses.
using UnixSeconds = common::UnixSeconds;
using Clock = common::Clock;
using SystemClock = common::SystemClock;
using FixedClock = common::ManualClock;
using common::system_clock;

// Exactly YYYY-MM-DDTHH:MM:SSZ (RFC 3339, UTC, whole seconds): one spelling per instant.
std::optional<UnixSeconds> parse_rfc3339_utc(std::string_view text);
std::string format_rfc3339_utc(UnixSeconds time);

}  // namespace westworld::capability

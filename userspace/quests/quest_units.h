// Durations and dates as quests write them: "7d", "24h", "30s", "500ms"; "2026-12-31" or
// "2026-12-31T18:00:00Z". Always an integer with its unit: a bare number in a file where
// criteria mix days and seconds is a guess waiting to be wrong. Pure parsers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "westworld/common/clock.h"

namespace westworld::quests {

// Milliseconds, or nullopt for anything but an integer and one of ms, s, m, h, d.
std::optional<int64_t> parse_duration_ms(std::string_view text);

// The shortest exact spelling: 604800000 -> "7d", 1500 -> "1500ms".
std::string format_duration_ms(int64_t ms);

// A calendar date (midnight UTC) or a UTC date and time with a Z.
std::optional<common::UnixSeconds> parse_utc_instant(std::string_view text);

}  // namespace westworld::quests

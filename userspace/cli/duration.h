// Durations on the command line: "90m", "2h", "45s", "1h30m", "3d".
#pragma once

#include <chrono>
#include <string>

namespace westworld::cli {

// Throws std::runtime_error naming `flag` on anything else; "0s" only when `allow_zero`.
std::chrono::seconds parse_duration(const std::string& text, const std::string& flag,
                                    bool allow_zero = false);

}  // namespace westworld::cli

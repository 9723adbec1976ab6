// The picture of a run: legitimate delivery and p99 latency over time, baseline beside
// candidate, drawn by gnuplot into a PNG next to the report.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "westworld/cradle/report.h"

namespace westworld::cradle {

// nullopt when the PNG was written, else why not (gnuplot missing or failing): the report
// stands without its picture.
std::optional<std::string> write_plot(const Report& report, const std::filesystem::path& png);

}  // namespace westworld::cradle

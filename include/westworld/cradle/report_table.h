// The report as a plain, aligned text table for a terminal: what `wwctl cradle run` ends with.
#pragma once

#include <string>

#include "westworld/cradle/report.h"

namespace westworld::cradle {

// Baseline vs candidate for every signal either arm has (with its unit), then every gate
// (name, signal, test, action, both arms' values, verdict, reason), then what the twin did not
// model and the overall verdict. No colours; text from the run is escaped to one line each.
std::string render_table(const Report& report);

}  // namespace westworld::cradle

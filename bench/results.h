// results.json: the sections' measurements plus the headline numbers, the
// goals they are measured against (reported, never enforced), and whether the
// guard's verdicts matched the traffic everywhere it was checked.
#pragma once

#include <nlohmann/json.hpp>

namespace westworld::bench {

// Adds "summary", "goals" and "checks" to a results object that holds the
// sections "program_cost", "live" and "control_plane" (any may be missing:
// its numbers are then null). Top-level copies of the summary numbers are
// added too, as results.json's contract names them.
void add_summary(nlohmann::json& results);

}  // namespace westworld::bench

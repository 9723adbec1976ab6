// Program cost: ns per packet through BPF_PROG_TEST_RUN for the empty XDP
// program (the floor), the guard with a parse-only policy, and the full guard
// pipeline across rule counts, active sources, address families and mixes.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "profile.h"

namespace westworld::bench {

// Loads its own guard under pin_root (unpinned again on return).
nlohmann::json measure_program_cost(const Profile& profile, const std::string& pin_root);

}  // namespace westworld::bench

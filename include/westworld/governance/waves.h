// A rollout's wave plan: "1,10%,50%,100%" means one node first, then up to 10% of the
// targets, then half, then all. Counts are cumulative; a wave that would add nobody (10%
// of five nodes is still the one canary) is dropped rather than baked for nothing.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "westworld/capability/crypto.h"

namespace westworld::governance {

inline const std::vector<std::string> kDefaultWaves = {"1", "10%", "50%", "100%"};

// Why the plan is not a list of strictly growing counts ("N" nodes or "P%", 1-100) that
// ends at "100%", or nothing.
std::optional<std::string> wave_plan_error(const std::vector<std::string>& waves);

// The nodes of each wave, in order. The canary order is the nodes sorted by
// SHA-256(proposal id, node): fixed by the proposal, so every reader computes the same
// waves, and not by name, so the same routers are not always first.
std::vector<std::vector<std::string>> assign_waves(const std::vector<std::string>& waves,
                                                   std::vector<std::string> nodes,
                                                   const capability::Digest& proposal);

}  // namespace westworld::governance

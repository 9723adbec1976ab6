// What the agent remembers about the running policy beyond the maps: where
// it came from and its rule names (the kernel only knows indices). Kept in
// the state directory so wwctl and a restarted agent can read it.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "westworld/policy/compiled_policy.h"

namespace westworld::control {

nlohmann::json make_policy_record(const policy::CompiledPolicy& compiled, const std::string& source);

// Atomic replace (write, fsync, rename).
void save_policy_record(const std::string& state_dir, const nlohmann::json& record);
std::optional<nlohmann::json> load_policy_record(const std::string& state_dir);

}  // namespace westworld::control

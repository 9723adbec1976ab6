// Requests only the agent can answer (alerts, top, quarantine add, unfreeze):
// the reply, or one clear line on stderr when no agent runs or it refuses.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "commands.h"

namespace westworld::cli {

// The reply when it says ok; otherwise prints "wwctl: error: ..." and returns nullopt.
// `why_agent` completes "needs the running agent (...)".
std::optional<nlohmann::json> ask_agent(const CommonOptions& common, const nlohmann::json& request,
                                        const std::string& why_agent);

// "2026-11-26T06:54:01Z"
std::string utc_time(uint64_t unix_ns);

}  // namespace westworld::cli

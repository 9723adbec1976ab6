// Blocking client for the agent's control socket, used by wwctl.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace westworld::control {

// Sends one request and returns the reply, or nullopt when no agent listens
// at socket_path. Throws std::runtime_error on a broken exchange.
std::optional<nlohmann::json> call_agent(const std::string& socket_path,
                                         const nlohmann::json& request);

}  // namespace westworld::control

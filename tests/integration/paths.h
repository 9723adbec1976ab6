// Where the programs under test and the system tools the tests drive live.
#pragma once

#include <string>

namespace westworld::integration {

// Set by tests/integration/CMakeLists.txt to the built binaries.
inline const std::string kAgentBinary = WW_AGENT_BIN;
inline const std::string kWwctlBinary = WW_WWCTL_BIN;
inline const std::string kTrafficBinary = WW_TRAFFIC_BIN;

// The absolute path of a system tool (ip, tc): searched in $PATH, then /usr/sbin and /sbin,
// which a non-login root shell may lack in $PATH. Returns `name` itself if not found.
std::string system_tool(const std::string& name);

}  // namespace westworld::integration

// The programs under test, as built in this tree (paths set by tests/support/CMakeLists.txt).
#pragma once

#include <string>

namespace westworld::harness {

inline const std::string kAgentBinary = WW_AGENT_BIN;
inline const std::string kWwctlBinary = WW_WWCTL_BIN;
inline const std::string kTrafficBinary = WW_TRAFFIC_BIN;

}  // namespace westworld::harness

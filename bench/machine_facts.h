// What the results depend on besides the code: CPU, kernel, JIT, XDP mode,
// toolchain and library versions, and how busy the machine was.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace westworld::bench {

nlohmann::json machine_facts();

// The 1, 5 and 15 minute load averages, as /proc/loadavg has them.
std::string load_average();

}  // namespace westworld::bench

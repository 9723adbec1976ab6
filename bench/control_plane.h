// Control plane: compile time and peak memory for 1,000 to 100,000 rules
// (each compile in a fresh child process, so its peak is its own), the time
// of an atomic apply of 10,000 rules, and the agent's RSS idle and under load.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "profile.h"

namespace westworld::bench {

struct ControlPlaneInputs {
  std::string self_exe;     // this binary, run as `compile-probe` per rule count
  std::string bin_dir;      // westworld-agent and wwctl
  std::string work_dir;     // the agent's socket, state and log
  std::string pin_root;     // for the apply measurement and, suffixed, the agent
  std::string policy_path;  // the live bench policy (10,000 rules)
  std::string tx_netns, rx_netns, tx_iface, rx_iface;
};

nlohmann::json measure_control_plane(const Profile& profile, const ControlPlaneInputs& inputs);

// The child side of a compile measurement: generates the bench policy with
// `rules` rules, then loads and compiles its YAML, and prints one JSON object.
int run_compile_probe(uint32_t rules);

}  // namespace westworld::bench

// wwctl gov: governance in the mesh's etcd (gov_commands.cpp writes: init, propose, vote;
// gov_views.cpp reads and steers: list, show, tally, rollout).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "mesh_access.h"
#include "westworld/governance/decision.h"

namespace westworld::cli {

struct GovOptions {
  MeshOptions mesh;
  std::string genesis;  // --gov-genesis: the digest the stored genesis must have
  bool as_json = false;
};

// --mesh flags, --gov-genesis, and --json when `json_output`.
void add_gov_options(CLI::App& command, GovOptions& options, bool json_output);

// The stored genesis. With --gov-genesis it must hash to it; without, it is used as found
// and a warning says so (the routers, started with --gov-genesis, check it regardless).
governance::Genesis load_genesis(governance::GovernanceStore& store, const GovOptions& options);

void register_gov_view_commands(CLI::App& gov, const CommonOptions& common, int& exit_code);

}  // namespace westworld::cli

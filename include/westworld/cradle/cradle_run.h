// `wwctl cradle run`: both arms of an experiment on fresh twins, the comparison, the verdict,
// and the signed report.
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "westworld/capability/ed25519.h"
#include "westworld/cradle/experiment.h"
#include "westworld/cradle/mesh_snapshot.h"
#include "westworld/cradle/report.h"

namespace westworld::cradle {

struct RunOptions {
  // `from: mesh`: what the registry said (the experiment's topology is already adopted).
  std::optional<MeshSnapshot> snapshot;
  std::filesystem::path experiment_file;  // hashed into the report
  std::filesystem::path baseline_policy;
  std::filesystem::path candidate_policy;
  std::filesystem::path agent_binary;
  std::function<void(const std::string&)> progress = [](const std::string&) {};
  // Set by a signal handler: the run ends early, tears its twin down and throws.
  const std::atomic<bool>* stop = nullptr;
};

// What the experiment asks for that this twin cannot do, in words.
std::vector<std::string> unmodelled_items(const Experiment& experiment);

// The twin's bytes: SHA-256 of the agent binary and of the guard object built into it.
TwinBuild describe_build(const Experiment& experiment, const std::filesystem::path& agent_binary);
MachineFacts machine_facts();

// Runs the baseline, then the candidate, judges and signs. Throws std::runtime_error only
// when it cannot run at all (a policy file it cannot read, no agent binary, not root): `wwctl`
// exits 2 then. A twin that does not come up is a report whose verdict cannot be pass.
Report run_experiment(const Experiment& experiment, const RunOptions& options,
                      const capability::Ed25519KeyPair& key);

}  // namespace westworld::cradle

// Quest evidence from the Cradle: the twin reports a node ran, each verified by its own
// Ed25519 signature (cradle::verify_report_text), counted only when signed by the node's key.
//
//   twin_experiments_run     intact reports signed by the node, whatever their verdict
//   twin_experiments_passed  those whose verdict is pass
//   mttr                     the shortest time_to_quarantine the candidate arm measured in a
//                            passed report (any attack): the time a flood took to contain
//   twin_experiments_in_crisis  those started (started_unix_s, signed) at or after a crisis
//                            opened, when reading for a crisis quest
//
// A report that does not verify is named in `refused` and counts for nothing.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "westworld/capability/ed25519.h"
#include "westworld/quests/evidence.h"

namespace westworld::quests {

struct CradleEvidence {
  uint64_t run = 0;
  uint64_t passed = 0;
  std::optional<std::chrono::milliseconds> mttr;
  std::optional<uint64_t> in_crisis;  // set when read with crisis_opened
  std::vector<std::string> refused;   // "FILE: why", for reports that did not verify
};

// Reads every *.json report under `reports` (not recursive); with `crisis_opened`, also counts
// those started since.
CradleEvidence cradle_evidence(const std::filesystem::path& reports,
                               const capability::PublicKey& node_key,
                               std::optional<common::UnixSeconds> crisis_opened = std::nullopt);

void add_cradle_evidence(Evidence& evidence, const CradleEvidence& cradle);

}  // namespace westworld::quests

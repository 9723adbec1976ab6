// Where `wwctl quest progress|claim|sync` find evidence beyond the agent's status, and the
// mesh whose members may earn: --mesh with --gov-genesis (governance evidence, the member
// registry, claims replicated through etcd), --reports (signed twin reports), --vault with
// --guardian-key (the guardian's share). Each is optional: what is not given stays missing
// evidence, never a pass.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <string>

#include "gov_cli.h"
#include "westworld/capability/ed25519.h"
#include "westworld/governance/membership.h"
#include "westworld/quests/evidence.h"
#include "westworld/quests/mesh_claims.h"
#include "westworld/quests/mesh_crises.h"

namespace westworld::cli::quest_cli {

struct SourceOptions {
  GovOptions gov;            // --mesh... and --gov-genesis
  std::string reports;       // --reports DIR
  std::string vault;         // --vault DIR
  std::string guardian_key;  // --guardian-key FILE
};

// `with_evidence`: also --reports, --vault and --guardian-key (progress and claim; sync reads
// only the mesh).
void add_source_options(CLI::App& command, SourceOptions& options, bool with_evidence);

// A mesh's governance as a quest reader needs it: the genesis pinned by --gov-genesis, the
// member history now, and the claims and crises kept beside them. Not movable: the stores hold
// references.
struct QuestMesh {
  mesh::EtcdGateway store;
  mesh::MeshKeys keys;
  governance::GovernanceStore gov;
  governance::Genesis genesis;
  governance::MemberHistory history;
  quests::MeshClaimStore claims;
  quests::MeshCrisisStore crisis_store;
  quests::MeshCrises crises;  // read and judged when the mesh was opened

  QuestMesh(const GovOptions& options, const CommonOptions& common, common::UnixSeconds now);
  // What the mesh's own records say (a node's counted ballots, recounted once per node; the
  // crises it counts), for checking what claims say against.
  quests::MeshWitness witness(common::UnixSeconds now);

  QuestMesh(const QuestMesh&) = delete;
  QuestMesh& operator=(const QuestMesh&) = delete;
};

// Names each crisis record of the mesh that was refused, on stderr; true when there was none.
bool report_refused_crises(const QuestMesh& mesh);

// The mesh when --mesh was given, else nullptr (the node keeps its ledger alone). Refuses a
// mesh without --gov-genesis: rewards must rest on the member set the routers pinned.
std::unique_ptr<QuestMesh> open_quest_mesh(const SourceOptions& options,
                                           const CommonOptions& common, common::UnixSeconds now);

// Adds what the given sources show about `evidence.node_id`. `node_key` (the claiming node's
// public key, when known) selects the twin reports it signed; `running_digest` is the agent's
// policy digest (hex, empty when none runs); `crisis_opened`, for a crisis quest, is when the
// twin reports of twin_experiments_in_crisis count from. Notes what each source refused on
// stderr.
void add_source_evidence(quests::Evidence& evidence, const SourceOptions& options, QuestMesh* mesh,
                         const std::optional<capability::PublicKey>& node_key,
                         const std::string& running_digest, common::UnixSeconds now,
                         std::optional<common::UnixSeconds> crisis_opened = std::nullopt);

}  // namespace westworld::cli::quest_cli

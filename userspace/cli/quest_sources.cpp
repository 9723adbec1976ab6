#include "quest_sources.h"

#include <iostream>
#include <map>

#include "westworld/common/printable.h"
#include "westworld/mesh/etcd_flags.h"
#include "westworld/quests/cradle_evidence.h"
#include "westworld/quests/governance_evidence.h"
#include "westworld/quests/guardian_evidence.h"

namespace westworld::cli::quest_cli {

void add_source_options(CLI::App& command, SourceOptions& options, bool with_evidence) {
  mesh::add_etcd_flags(command, options.gov.mesh,
                       "The mesh's etcd http(s)://HOST:PORT[,...]: governance evidence, the "
                       "member registry and the mesh's claims (default: this node alone)",
                       true);
  command.add_option("--gov-genesis", options.gov.genesis,
                     "The genesis digest the routers were started with (required with --mesh)");
  if (!with_evidence) return;
  command.add_option("--reports", options.reports,
                     "Directory of this node's signed twin reports (wwctl cradle run)");
  command.add_option("--vault", options.vault, "The vault whose guardian this node is");
  command.add_option("--guardian-key", options.guardian_key,
                     "The guardian key file (wwctl vault guardian keygen), with --vault");
}

QuestMesh::QuestMesh(const GovOptions& options, const CommonOptions& common,
                     common::UnixSeconds now)
    : store(open_store(options.mesh, common)),
      keys(options.mesh.mesh_name),
      gov(store, keys),
      genesis(load_genesis(gov, options)),
      history(governance::member_history(gov, genesis, now)),
      claims(store, keys),
      crisis_store(store, keys),
      crises(crisis_store.read(history, now)) {}

quests::MeshWitness QuestMesh::witness(common::UnixSeconds now) {
  auto ballots = std::make_shared<std::map<std::string, uint64_t>>();
  return {[this, ballots, now](const std::string& node) {
            auto [it, fresh] = ballots->try_emplace(node, 0);
            if (fresh)
              it->second = quests::governance_evidence(gov, genesis, history, node, now).votes_cast;
            return it->second;
          },
          crises.counted};
}

bool report_refused_crises(const QuestMesh& mesh) {
  for (const quests::RefusedRecord& refused : mesh.crises.refused)
    std::cerr << "refused crisis " << common::printable(refused.key) << ": "
              << common::printable(refused.reason) << '\n';
  return mesh.crises.refused.empty();
}

std::unique_ptr<QuestMesh> open_quest_mesh(const SourceOptions& options,
                                           const CommonOptions& common, common::UnixSeconds now) {
  if (options.gov.mesh.endpoints.empty()) return nullptr;
  if (options.gov.genesis.empty())
    throw std::runtime_error(
        "--mesh needs --gov-genesis: who may earn is the member set the routers pinned");
  return std::make_unique<QuestMesh>(options.gov, common, now);
}

void add_source_evidence(quests::Evidence& evidence, const SourceOptions& options, QuestMesh* mesh,
                         const std::optional<capability::PublicKey>& node_key,
                         const std::string& running_digest, common::UnixSeconds now,
                         std::optional<common::UnixSeconds> crisis_opened) {
  if (mesh) {
    const quests::GovernanceEvidence governance =
        quests::governance_evidence(mesh->gov, mesh->genesis, mesh->history, evidence.node_id, now);
    quests::add_governance_evidence(evidence, governance, running_digest);
  }
  if (!options.reports.empty()) {
    if (!node_key) throw std::runtime_error("--reports needs the node's --key: whose reports?");
    const quests::CradleEvidence cradle =
        quests::cradle_evidence(options.reports, *node_key, crisis_opened);
    for (const std::string& refused : cradle.refused)
      std::cerr << "note: twin report not counted: " << common::printable(refused) << '\n';
    quests::add_cradle_evidence(evidence, cradle);
  }
  if (options.vault.empty() != options.guardian_key.empty())
    throw std::runtime_error("--vault and --guardian-key go together");
  if (!options.vault.empty()) {
    const vault::ShareCheck check =
        quests::check_guardian_share(options.vault, options.guardian_key);
    if (!check.ok)
      std::cerr << "note: guardian '" << check.guardian
                << "' share does not verify: " << common::printable(check.reason) << '\n';
    quests::add_guardian_evidence(evidence, check);
  }
}

}  // namespace westworld::cli::quest_cli

// wwctl quest claim|sync: grants recorded in the ledger, on this node's own signed evidence.
//
// Alone (no --mesh) the node's ledger is its own record. On a mesh the ledger of record is
// the claims replicated through etcd (quests/mesh_claims.h says why): a claim is granted when
// its create-only record is written, only to a registered member whose member key signed the
// evidence, and `sync` mirrors into this node's ledger every record it verifies itself. A
// crisis quest's claim is replicated when its crisis is one the mesh counts (mesh_crises.h).
#include <filesystem>
#include <iostream>

#include "agent_request.h"
#include "peer_key.h"
#include "quest_cli.h"
#include "quest_crisis.h"
#include "westworld/quests/claim.h"
#include "westworld/quests/evidence_signing.h"
#include "westworld/quests/ledger.h"

namespace westworld::cli::quest_cli {
namespace {

namespace fs = std::filesystem;

struct ClaimArgs {
  std::string quest;
  std::string step;
  std::string key;
  std::string node;
  SourceOptions sources;
};

quests::Ledger open_ledger(const CommonOptions& common) {
  const fs::path path = ledger_path(common);
  fs::create_directories(path.parent_path());
  return quests::Ledger(path, true, common::system_clock());
}

// Why `node` with `key` may not earn in `mesh`, or nothing.
std::optional<std::string> membership_refusal(const QuestMesh& mesh, const std::string& node,
                                              const capability::PublicKey& key,
                                              common::UnixSeconds at) {
  const governance::Member* member = quests::registered_member(mesh.history, node, at);
  if (!member)
    return "'" + node + "' is not a member of mesh '" + mesh.keys.mesh() +
           "': only registered members earn (wwctl gov members)";
  if (member->key != key)
    return "the key given is not the member key of '" + node + "' in mesh '" + mesh.keys.mesh() +
           "'";
  return std::nullopt;
}

// Records a met claim: in the mesh first when there is one (its create-only key decides
// whether it is new), then in this node's ledger, which mirrors the mesh. `mesh` is nullptr
// for a claim that stays this node's own (see below). `crisis_opener` names the mesh's crisis a
// crisis quest's claim is dated by.
void record_claim(const quests::Claim& claim, const quests::Evidence& evidence, QuestMesh* mesh,
                  const std::string& crisis_opener, quests::Ledger& ledger,
                  const quests::Step& step) {
  std::optional<bool> new_in_mesh;
  if (mesh)
    new_in_mesh =
        mesh->claims.publish({claim.quest, claim.step, claim.period, evidence, crisis_opener});
  const quests::ClaimResult result = ledger.claim(claim);
  const bool granted = new_in_mesh.value_or(result.granted);
  if (granted)
    std::cout << "granted to " << claim.node << ": " << reward_text(step.reward);
  else
    std::cout << "already granted to " << claim.node << " for this period";
  std::cout << " (transaction " << result.transaction;
  if (mesh) std::cout << "; recorded in mesh '" << mesh->keys.mesh() << "'";
  std::cout << ")\n";
}

int claim_quest(const CommonOptions& common, const std::string& dir, ClaimArgs args) {
  const auto all = load_quests(dir);
  if (!all) return kCouldNotRun;
  const quests::Quest* quest = find_quest(*all, args.quest, dir);
  if (!quest) return kCouldNotRun;
  if (!args.step.empty() && !quest->find_step(args.step)) {
    std::cerr << "wwctl: error: quest '" << quest->id << "' has no step '" << args.step << "'\n";
    return kCouldNotRun;
  }
  const common::Clock& clock = common::system_clock();
  const auto mesh = open_quest_mesh(args.sources, common, clock.now());
  // A standing quest is open from when it was loaded (now); a crisis quest from the opening of
  // the newest crisis of its kind open now, in the mesh or on this node, and not at all without.
  const quests::ActivationLookup found = quest_activation(*quest, common, clock.now(), mesh.get());
  if (!found.activation) {
    std::cerr << "wwctl: quest '" << quest->id << "' is not open: " << found.why_not << '\n';
    return kRefused;
  }
  if (quest->opens_on) std::cout << quest->id << ": " << crisis_quest_state(*quest, found) << '\n';
  const capability::Ed25519KeyPair key = read_peer_key(args.key);
  // A crisis the mesh counts is replicated with its claims; one only this node's board holds
  // (the mesh never heard of it) stays this node's, with its grants: no other node could judge
  // its window.
  const std::string crisis_opener =
      found.activation->crisis ? found.activation->crisis->opener : std::string();
  QuestMesh* replicate_in = quest->opens_on && crisis_opener.empty() ? nullptr : mesh.get();
  if (mesh) {
    if (const auto refusal = membership_refusal(*mesh, args.node, key.public_key(), clock.now())) {
      std::cerr << "wwctl: " << *refusal << '\n';
      return kRefused;
    }
  }
  std::optional<common::UnixSeconds> crisis_opened;
  if (quest->opens_on) crisis_opened = found.activation->at;
  quests::Evidence evidence =
      collect(EvidenceContext{common, args.sources, mesh.get(), key.public_key(), crisis_opened},
              args.node);
  quests::sign_evidence(evidence, key);

  quests::Ledger ledger = open_ledger(common);
  bool any_granted = false;
  for (const quests::Step& step : quest->steps) {
    if (!args.step.empty() && step.id != args.step) continue;
    const quests::ClaimDecision decision = quests::decide_signed_claim(
        *quest, step.id, evidence, args.node, key.public_key(), found.activation->at, clock);
    std::cout << quest->id << '/' << step.id << ": ";
    if (!decision.claim) {
      std::cout << quests::outcome_name(decision.evaluation.outcome) << ": "
                << decision.evaluation.reason << '\n';
      print_evaluation(decision.evaluation, "  ");
      continue;
    }
    record_claim(*decision.claim, evidence, replicate_in, crisis_opener, ledger, step);
    any_granted = true;
  }
  return any_granted ? kOk : kRefused;
}

// Mirrors the mesh's verified claims into this node's ledger; names every refused record (claims,
// and the crises crisis quests' claims are dated by).
int sync_claims(const CommonOptions& common, const std::string& dir, const SourceOptions& sources) {
  const auto all = load_quests(dir);
  if (!all) return kCouldNotRun;
  const common::UnixSeconds now = common::system_clock().now();
  const auto mesh = open_quest_mesh(sources, common, now);
  if (!mesh) throw std::runtime_error("sync reads a mesh's claims: give --mesh and --gov-genesis");
  const quests::MeshClaims claims = mesh->claims.read(*all, mesh->history, now, mesh->witness(now));
  const bool crises_clean = report_refused_crises(*mesh);
  quests::Ledger ledger = open_ledger(common);
  size_t added = 0;
  for (const quests::Claim& claim : claims.verified)
    if (ledger.claim(claim).granted) ++added;
  for (const quests::RefusedRecord& refused : claims.refused)
    std::cerr << "refused " << common::printable(refused.key) << ": "
              << common::printable(refused.reason) << '\n';
  std::cout << "mesh '" << mesh->keys.mesh() << "': " << claims.verified.size()
            << " claims verified, " << added << " new in " << ledger_path(common).string() << ", "
            << claims.refused.size() << " refused\n";
  return claims.refused.empty() && crises_clean ? kOk : kRefused;
}

}  // namespace

void register_quest_claim_commands(CLI::App& quest, const CommonOptions& common,
                                   std::shared_ptr<std::string> dir, int& exit_code) {
  auto claim_args = std::make_shared<ClaimArgs>();
  CLI::App* claim = quest.add_subcommand(
      "claim", "Collect and sign this node's evidence, and record what it meets in the ledger");
  claim->add_option("id", claim_args->quest, "Quest id")->required();
  claim->add_option("--step", claim_args->step, "Only this step (default: every step)");
  claim->add_option("--key", claim_args->key, "The node's key (wwctl peer keygen)")->required();
  claim->add_option("--node", claim_args->node, "The claiming node")->required();
  add_source_options(*claim, claim_args->sources, true);
  claim->add_option("--dir", *dir, "Directory of quest files")->capture_default_str();
  claim->callback([&common, dir, claim_args, &exit_code] {
    exit_code = guarded([&] { return claim_quest(common, *dir, *claim_args); });
  });

  auto sync_sources = std::make_shared<SourceOptions>();
  CLI::App* sync = quest.add_subcommand(
      "sync", "Mirror the mesh's claims into this node's ledger, each verified here first");
  add_source_options(*sync, *sync_sources, false);
  sync->add_option("--dir", *dir, "Directory of quest files")->capture_default_str();
  sync->callback([&common, dir, sync_sources, &exit_code] {
    exit_code = guarded([&] { return sync_claims(common, *dir, *sync_sources); });
  });
}

}  // namespace westworld::cli::quest_cli

// wwctl quest campaigns|campaign|campaign-claim: campaigns (policies/campaigns/) judged on the
// ledger at DATA_DIR/quests.db, the ledger of record. Progress is read from quest grants only,
// so a campaign never counts what the quests' own evidence checks did not grant; stage rewards
// go through Ledger::claim, so running campaign-claim twice, or on two terminals, grants once.
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "quest_cli.h"
#include "westworld/quests/campaign_ledger.h"
#include "westworld/quests/campaign_loader.h"
#include "westworld/quests/quest_loader.h"

namespace westworld::cli::quest_cli {

namespace fs = std::filesystem;

namespace {

struct CampaignSet {
  std::vector<quests::Quest> quests;
  std::vector<quests::Campaign> campaigns;
};

// Every quest and every campaign, or nullopt (diagnostics printed) when any fails to load.
std::optional<CampaignSet> load_campaign_set(const CampaignSources& sources) {
  auto all_quests = load_quests(sources.quests);
  if (!all_quests) return std::nullopt;
  std::error_code error;
  if (!fs::is_directory(sources.campaigns, error)) {
    std::cerr << "wwctl: error: the campaign directory " << sources.campaigns
              << " does not exist or is not a directory (give --campaigns)\n";
    return std::nullopt;
  }
  quests::CampaignSetLoad loaded = quests::load_campaign_directory(sources.campaigns, *all_quests);
  for (const auto& d : loaded.diagnostics) std::cerr << d.format() << '\n';
  if (!loaded.diagnostics.empty()) {
    std::cerr << "wwctl: error: the campaigns in " << sources.campaigns << " have errors\n";
    return std::nullopt;
  }
  return CampaignSet{std::move(*all_quests), std::move(loaded.campaigns)};
}

// The campaign `id` of `set`; prints what there is instead and returns nullptr when none.
const quests::Campaign* find_campaign(const CampaignSet& set, const std::string& id,
                                      const std::string& dir) {
  for (const quests::Campaign& campaign : set.campaigns)
    if (campaign.id == id) return &campaign;
  std::cerr << "wwctl: error: no campaign '" << id << "' in " << dir << " (there are:";
  for (const quests::Campaign& campaign : set.campaigns) std::cerr << ' ' << campaign.id;
  std::cerr << ")\n";
  return nullptr;
}

// The ledger, or nullptr when nothing was ever claimed with this --data-dir: then no node has
// completed anything, which is progress to show, not an error.
std::unique_ptr<quests::Ledger> existing_ledger(const CommonOptions& common) {
  const fs::path path = ledger_path(common);
  std::error_code error;
  if (!fs::exists(path, error)) return nullptr;
  return std::make_unique<quests::Ledger>(path, false, common::system_clock());
}

std::string joined(const std::vector<std::string>& items) {
  std::string text;
  for (const std::string& item : items) text += (text.empty() ? "" : ", ") + item;
  return text;
}

nlohmann::json reward_json(const quests::Reward& reward) {
  return {{"points", reward.points}, {"badge", reward.badge}, {"role", reward.role}};
}

int list_campaigns(const CampaignSources& sources) {
  const auto set = load_campaign_set(sources);
  if (!set) return kCouldNotRun;
  for (const quests::Campaign& campaign : set->campaigns) {
    std::cout << std::left << std::setw(22) << campaign.id << std::setw(18)
              << (campaign.category ? quests::category_name(*campaign.category) : "-")
              << campaign.stages.size() << (campaign.stages.size() == 1 ? " stage   " : " stages  ")
              << campaign.title << '\n';
  }
  return kOk;
}

struct ShowArgs {
  CampaignSources sources;
  std::string id;
  std::string node;  // empty: the mesh only
  bool json = false;
};

nlohmann::json progress_json(const quests::Campaign& campaign,
                             const std::vector<quests::StageProgress>& progress) {
  nlohmann::json stages = nlohmann::json::array();
  for (const quests::StageProgress& p : progress) {
    const quests::CampaignStage& stage = campaign.stages[p.stage];
    stages.push_back({{"stage", stage.id},
                      {"title", stage.title},
                      {"quests", stage.quests},
                      {"nodes_needed", stage.nodes},
                      {"nodes_reached", p.nodes.size()},
                      {"nodes", p.nodes},
                      {"complete", p.complete},
                      {"reward", reward_json(stage.reward)}});
  }
  return {{"campaign", campaign.id},
          {"title", campaign.title},
          {"category", campaign.category ? quests::category_name(*campaign.category) : ""},
          {"stages", stages}};
}

nlohmann::json node_json(const quests::Campaign& campaign, const std::string& node,
                         const quests::NodeStageProgress& own) {
  nlohmann::json out = {{"node", node},
                        {"stages_reached", own.stages_reached},
                        {"next_stage", nullptr},
                        {"quests_left", own.quests_left},
                        {"next_quest", nullptr}};
  if (own.next_stage) out["next_stage"] = campaign.stages[*own.next_stage].id;
  if (!own.quests_left.empty()) out["next_quest"] = own.quests_left.front();
  return out;
}

void print_progress(const quests::Campaign& campaign,
                    const std::vector<quests::StageProgress>& progress) {
  std::cout << campaign.id << ": " << campaign.title << '\n';
  if (campaign.category)
    std::cout << "category:  " << quests::category_name(*campaign.category) << '\n';
  for (const quests::StageProgress& p : progress) {
    const quests::CampaignStage& stage = campaign.stages[p.stage];
    std::cout << "stage " << p.stage + 1 << ' ' << stage.id << ": " << stage.title << '\n'
              << "  quests:  " << joined(stage.quests) << '\n'
              << "  nodes:   " << p.nodes.size() << " of " << stage.nodes << " needed, "
              << (p.complete ? "complete" : "not complete") << '\n'
              << "  reward:  " << reward_text(stage.reward) << ", to each node that reached it\n";
  }
}

void print_node(const quests::Campaign& campaign, const std::string& node,
                const quests::NodeStageProgress& own) {
  std::cout << "node " << node << ": " << own.stages_reached << " of " << campaign.stages.size()
            << " stages reached";
  if (!own.next_stage) {
    std::cout << ", every stage\n";
    return;
  }
  std::cout << "; next stage " << campaign.stages[*own.next_stage].id
            << ", quests left: " << joined(own.quests_left) << " (next: " << own.quests_left.front()
            << ")\n";
}

int show_campaign(const CommonOptions& common, const ShowArgs& args) {
  const auto set = load_campaign_set(args.sources);
  if (!set) return kCouldNotRun;
  const quests::Campaign* campaign = find_campaign(*set, args.id, args.sources.campaigns);
  if (!campaign) return kCouldNotRun;
  const auto ledger = existing_ledger(common);
  const quests::CompletedQuests completed =
      ledger ? quests::campaign_completions(*ledger, *campaign, set->quests)
             : quests::CompletedQuests{};
  const std::vector<quests::StageProgress> progress =
      quests::campaign_progress(*campaign, completed);
  std::optional<quests::NodeStageProgress> own;
  if (!args.node.empty()) {
    auto found = completed.find(args.node);
    own = quests::node_stage_progress(
        *campaign, found == completed.end() ? std::set<std::string>{} : found->second);
  }
  if (args.json) {
    nlohmann::json out = progress_json(*campaign, progress);
    if (own) out["node"] = node_json(*campaign, args.node, *own);
    std::cout << out.dump(2) << '\n';
    return kOk;
  }
  if (!ledger)
    std::cerr << "wwctl: no ledger at " << ledger_path(common).string()
              << " yet: no node has completed a quest with this --data-dir\n";
  print_progress(*campaign, progress);
  if (own) print_node(*campaign, args.node, *own);
  return kOk;
}

int claim_stage_rewards(const CommonOptions& common, const CampaignSources& sources,
                        const std::string& id) {
  const auto set = load_campaign_set(sources);
  if (!set) return kCouldNotRun;
  const quests::Campaign* campaign = find_campaign(*set, id, sources.campaigns);
  if (!campaign) return kCouldNotRun;
  const auto ledger = existing_ledger(common);
  const std::vector<quests::StageGrant> grants =
      ledger ? quests::grant_stage_rewards(*ledger, *campaign, set->quests)
             : std::vector<quests::StageGrant>{};
  if (grants.empty()) {
    std::cerr << "wwctl: no stage of " << campaign->id
              << " is complete across the mesh yet: no stage reward is owed\n";
    return kRefused;
  }
  size_t granted = 0;
  for (const quests::StageGrant& grant : grants) {
    std::cout << grant.claim.quest << '/' << grant.claim.step << ": ";
    if (grant.result.granted) {
      ++granted;
      std::cout << "granted to " << grant.claim.node << ": " << reward_text(grant.claim.reward)
                << " (transaction " << grant.result.transaction << ")\n";
    } else {
      std::cout << "already granted to " << grant.claim.node << " (transaction "
                << grant.result.transaction << ")\n";
    }
  }
  std::cout << granted << " granted now, " << grants.size() - granted << " granted before\n";
  return kOk;
}

}  // namespace

std::string default_campaign_dir() {
  std::error_code error;
  if (fs::is_directory("/etc/westworld/campaigns", error)) return "/etc/westworld/campaigns";
  return "policies/campaigns";
}

void add_campaign_source_options(CLI::App& command, CampaignSources& sources) {
  command.add_option("--campaigns", sources.campaigns, "Directory of campaign files")
      ->capture_default_str();
  command.add_option("--dir", sources.quests, "Directory of quest files")->capture_default_str();
}

std::optional<quests::Campaign> load_campaign(const std::string& id,
                                              const CampaignSources& sources) {
  auto set = load_campaign_set(sources);
  if (!set) return std::nullopt;
  const quests::Campaign* campaign = find_campaign(*set, id, sources.campaigns);
  if (!campaign) return std::nullopt;
  return *campaign;
}

void register_campaign_commands(CLI::App& quest, const CommonOptions& common, int& exit_code) {
  auto list_sources = std::make_shared<CampaignSources>();
  CLI::App* list = quest.add_subcommand("campaigns", "The campaigns");
  add_campaign_source_options(*list, *list_sources);
  list->callback([list_sources, &exit_code] {
    exit_code = guarded([&] { return list_campaigns(*list_sources); });
  });

  auto show_args = std::make_shared<ShowArgs>();
  CLI::App* show = quest.add_subcommand(
      "campaign", "A campaign's progress across the mesh: per stage, how many nodes reached it");
  show->add_option("id", show_args->id, "Campaign id")->required();
  show->add_option("--node", show_args->node, "Also this node's own stages and next quest");
  show->add_flag("--json", show_args->json, "JSON output");
  add_campaign_source_options(*show, show_args->sources);
  show->callback([&common, show_args, &exit_code] {
    exit_code = guarded([&] { return show_campaign(common, *show_args); });
  });

  struct ClaimArgs {
    CampaignSources sources;
    std::string id;
  };
  auto claim_args = std::make_shared<ClaimArgs>();
  CLI::App* claim = quest.add_subcommand(
      "campaign-claim",
      "Grant every stage reward owed: each node that reached a stage complete across the mesh");
  claim->add_option("id", claim_args->id, "Campaign id")->required();
  add_campaign_source_options(*claim, claim_args->sources);
  claim->callback([&common, claim_args, &exit_code] {
    exit_code =
        guarded([&] { return claim_stage_rewards(common, claim_args->sources, claim_args->id); });
  });
}

}  // namespace westworld::cli::quest_cli

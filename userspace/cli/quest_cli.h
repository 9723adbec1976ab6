// Shared by the `wwctl quest` subcommands (quest_commands.cpp, quest_ledger_commands.cpp,
// quest_campaign_commands.cpp): where the quests, campaigns and the ledger are, and the exit
// codes.
#pragma once

#include <exception>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "commands.h"
#include "quest_sources.h"
#include "westworld/common/printable.h"
#include "westworld/quests/campaign.h"
#include "westworld/quests/evaluate.h"
#include "westworld/quests/quest.h"

namespace westworld::cli::quest_cli {

// 0: done (granted, or granted before); 1: refused or not met; 2: could not run at all.
constexpr int kOk = 0;
constexpr int kRefused = 1;
constexpr int kCouldNotRun = 2;

// Installed quests when there are any, else a source checkout's.
std::string default_quest_dir();

// Every quest of `dir`, or nullopt (its diagnostics printed) when any fails to load: a quest
// set with an error in it is not one to judge claims by.
std::optional<std::vector<quests::Quest>> load_quests(const std::string& dir);

// The quest `id` of `quests`; prints what there is instead and returns nullptr when none.
const quests::Quest* find_quest(const std::vector<quests::Quest>& quests, const std::string& id,
                                const std::string& dir);

// DATA_DIR/quests.db.
std::filesystem::path ledger_path(const CommonOptions& common);

// This host's name: the node a command speaks for when no --node is given.
std::string host_node();

// Runs `body`, turning an escaping error into one "wwctl: error:" line and kCouldNotRun.
template <typename Body>
int guarded(Body&& body) {
  try {
    return body();
  } catch (const std::exception& e) {
    std::cerr << "wwctl: error: " << common::printable(e.what()) << '\n';
    return kCouldNotRun;
  }
}

// Registers `quest leaderboard|badges|ledger`.
void register_quest_ledger_commands(CLI::App& quest, const CommonOptions& common, int& exit_code);

// "50 points, badge voter": a step's or a stage's reward, as people read it.
std::string reward_text(const quests::Reward& reward);

// Installed campaigns when there are any, else a source checkout's.
std::string default_campaign_dir();

// Where campaigns are read from, and the quests they are checked against.
struct CampaignSources {
  std::string campaigns = default_campaign_dir();
  std::string quests = default_quest_dir();
};

// --campaigns DIR and --dir DIR (the quests) on `command`.
void add_campaign_source_options(CLI::App& command, CampaignSources& sources);

// Campaign `id`, or nullopt with why printed: when it is not there, or when any campaign or
// quest fails to load (a set with an error in it is not one to pay rewards by).
std::optional<quests::Campaign> load_campaign(const std::string& id,
                                              const CampaignSources& sources);

// Registers `quest campaigns|campaign|campaign-claim` (quest_campaign_commands.cpp).
void register_campaign_commands(CLI::App& quest, const CommonOptions& common, int& exit_code);

// A step's criteria with their outcomes, one line each, under `indent`.
void print_evaluation(const quests::StepEvaluation& evaluation, const std::string& indent);

// What a node's evidence is read from: its agent (common.control_path) and the other sources.
struct EvidenceContext {
  const CommonOptions& common;
  const SourceOptions& sources;
  QuestMesh* mesh = nullptr;                      // nullptr: no mesh was given
  std::optional<capability::PublicKey> node_key;  // selects its signed twin reports
  // For a crisis quest: its crisis's opening, from which twin_experiments_in_crisis counts.
  std::optional<common::UnixSeconds> crisis_opened;
};

// The node's unsigned evidence, observed now; `node` defaults to the agent's mesh node id,
// else this host's name.
quests::Evidence collect(const EvidenceContext& context, std::string& node);

// Registers `quest claim|sync` (quest_claim_commands.cpp); `dir` is the quest directory option.
void register_quest_claim_commands(CLI::App& quest, const CommonOptions& common,
                                   std::shared_ptr<std::string> dir, int& exit_code);

}  // namespace westworld::cli::quest_cli

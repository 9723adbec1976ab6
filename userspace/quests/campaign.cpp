// Campaign progress and the stage rewards it owes: pure functions of the campaign and of each
// node's completed quests.
#include "westworld/quests/campaign.h"

#include <algorithm>

namespace westworld::quests {
namespace {

constexpr std::string_view kLedgerQuestPrefix = "campaign/";

bool covers(const std::set<std::string>& completed, const CampaignStage& stage) {
  return std::all_of(stage.quests.begin(), stage.quests.end(),
                     [&](const std::string& quest) { return completed.count(quest) != 0; });
}

}  // namespace

std::string campaign_ledger_quest(const Campaign& campaign) {
  return std::string(kLedgerQuestPrefix) + campaign.id;
}

Category reward_category(const Campaign& campaign) {
  return campaign.category.value_or(Category::mesh_builder);
}

std::vector<std::string> required_quests(const Campaign& campaign) {
  std::vector<std::string> quests;
  for (const CampaignStage& stage : campaign.stages) {
    for (const std::string& quest : stage.quests)
      if (std::find(quests.begin(), quests.end(), quest) == quests.end()) quests.push_back(quest);
  }
  return quests;
}

std::vector<std::string> leaderboard_quests(const Campaign& campaign) {
  std::vector<std::string> quests = required_quests(campaign);
  quests.push_back(campaign_ledger_quest(campaign));
  return quests;
}

size_t stages_reached(const Campaign& campaign, const std::set<std::string>& completed) {
  size_t reached = 0;
  while (reached < campaign.stages.size() && covers(completed, campaign.stages[reached])) ++reached;
  return reached;
}

std::vector<StageProgress> campaign_progress(const Campaign& campaign,
                                             const CompletedQuests& completed) {
  std::vector<StageProgress> progress(campaign.stages.size());
  for (size_t i = 0; i < progress.size(); ++i) progress[i].stage = i;
  // The map is ordered by node, so each stage's node list comes out sorted.
  for (const auto& [node, quests] : completed) {
    const size_t reached = stages_reached(campaign, quests);
    for (size_t i = 0; i < reached; ++i) progress[i].nodes.push_back(node);
  }
  bool earlier_complete = true;
  for (StageProgress& stage : progress) {
    stage.complete = earlier_complete && stage.nodes.size() >= campaign.stages[stage.stage].nodes;
    earlier_complete = stage.complete;
  }
  return progress;
}

NodeStageProgress node_stage_progress(const Campaign& campaign,
                                      const std::set<std::string>& completed) {
  NodeStageProgress progress;
  progress.stages_reached = stages_reached(campaign, completed);
  if (progress.stages_reached == campaign.stages.size()) return progress;
  progress.next_stage = progress.stages_reached;
  for (const std::string& quest : campaign.stages[progress.stages_reached].quests)
    if (completed.count(quest) == 0) progress.quests_left.push_back(quest);
  return progress;
}

std::vector<Claim> owed_stage_rewards(const Campaign& campaign, const CompletedQuests& completed) {
  std::vector<Claim> owed;
  for (const StageProgress& progress : campaign_progress(campaign, completed)) {
    if (!progress.complete) break;  // no later stage is complete either
    const CampaignStage& stage = campaign.stages[progress.stage];
    for (const std::string& node : progress.nodes) {
      owed.push_back(Claim{campaign_ledger_quest(campaign), reward_category(campaign), node,
                           stage.id, 0, stage.reward});
    }
  }
  return owed;
}

}  // namespace westworld::quests

// A campaign (policies/campaigns/*.yaml): stages, in order, each naming quests that enough
// distinct nodes must complete for the stage to complete across the mesh, and a reward paid
// to each of those nodes once it does (the original design's "great unfucking" shape, with
// node counts a community mesh can reach).
//
// Everything here is a pure function of the campaign and of which quests each node has
// completed, so who is owed what can be tested without a ledger; campaign_ledger.h reads the
// completions from the ledger and grants what these functions decide.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "westworld/quests/ledger.h"
#include "westworld/quests/quest.h"

namespace westworld::quests {

struct CampaignStage {
  std::string id;
  std::string title;
  std::vector<std::string> quests;  // never empty, each a loaded quest's id, each once
  uint64_t nodes = 1;               // how many distinct nodes must complete every one of `quests`
  Reward reward;
};

struct Campaign {
  std::string id;
  std::string title;
  std::optional<Category> category;
  std::vector<CampaignStage> stages;  // never empty; stage k counts only after stages < k
};

// "campaign/<id>": the ledger's quest key for the stage rewards, the stage id its step. A
// quest id cannot hold '/', so this never names a quest's own grants.
std::string campaign_ledger_quest(const Campaign& campaign);

// The category stage rewards are booked under in the ledger, whose every transaction has one:
// the campaign's, else mesh_builder, since what a campaign counts is nodes joining in.
Category reward_category(const Campaign& campaign);

// Every quest the stages name, each once, in stage order.
std::vector<std::string> required_quests(const Campaign& campaign);

// The ledger quest keys whose points make up the campaign's leaderboard: its required quests
// and its stage rewards.
std::vector<std::string> leaderboard_quests(const Campaign& campaign);

// The quests each node has completed (a grant for every step, in any period), by node.
using CompletedQuests = std::map<std::string, std::set<std::string>>;

// How many stages, from the first, `completed` covers: a stage whose quests are all done still
// does not count while an earlier one is not.
size_t stages_reached(const Campaign& campaign, const std::set<std::string>& completed);

struct StageProgress {
  size_t stage = 0;                // index into Campaign::stages
  std::vector<std::string> nodes;  // the nodes that reached this stage, sorted
  // Enough nodes reached it and every earlier stage is complete: the mesh moves through
  // stages in order even when a later stage asks for fewer nodes.
  bool complete = false;
};

// One entry per stage, in order.
std::vector<StageProgress> campaign_progress(const Campaign& campaign,
                                             const CompletedQuests& completed);

struct NodeStageProgress {
  size_t stages_reached = 0;
  std::optional<size_t> next_stage;      // the first stage not reached; none when all are
  std::vector<std::string> quests_left;  // the next stage's quests not completed, in its order
};

NodeStageProgress node_stage_progress(const Campaign& campaign,
                                      const std::set<std::string>& completed);

// The stage rewards owed: for every stage complete across the mesh, one claim per node that
// reached it, keyed (campaign/<id>, node, stage id, period 0). All of them, granted before or
// not: the ledger's UNIQUE key grants each once, so passing them again is harmless.
std::vector<Claim> owed_stage_rewards(const Campaign& campaign, const CompletedQuests& completed);

}  // namespace westworld::quests

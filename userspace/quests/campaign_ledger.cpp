// The campaign's two ledger touches: completions in, stage rewards out. The decision between
// them is campaign.cpp's.
#include "westworld/quests/campaign_ledger.h"

#include <algorithm>
#include <stdexcept>

namespace westworld::quests {

CompletedQuests campaign_completions(Ledger& ledger, const Campaign& campaign,
                                     const std::vector<Quest>& quests) {
  CompletedQuests completed;
  for (const std::string& id : required_quests(campaign)) {
    auto quest =
        std::find_if(quests.begin(), quests.end(), [&](const Quest& q) { return q.id == id; });
    // Judging without the quest would count it as never completed and silently stall stages.
    if (quest == quests.end())
      throw std::invalid_argument("campaign '" + campaign.id + "' needs quest '" + id +
                                  "', which is not loaded");
    for (const std::string& node : ledger.nodes_completing(*quest)) completed[node].insert(id);
  }
  return completed;
}

std::vector<StageGrant> grant_stage_rewards(Ledger& ledger, const Campaign& campaign,
                                            const std::vector<Quest>& quests) {
  std::vector<StageGrant> grants;
  for (const Claim& claim :
       owed_stage_rewards(campaign, campaign_completions(ledger, campaign, quests)))
    grants.push_back({claim, ledger.claim(claim)});
  return grants;
}

}  // namespace westworld::quests

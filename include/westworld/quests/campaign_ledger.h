// A campaign against the ledger of record: which of its quests each node has completed (read
// from the grants, so a campaign counts only what the quests' own checks already granted), and
// the stage rewards campaign.h decides are owed, granted through Ledger::claim like any reward:
// double-entry, and once per (campaign/<id>, node, stage) however often this runs.
#pragma once

#include <vector>

#include "westworld/quests/campaign.h"
#include "westworld/quests/ledger.h"
#include "westworld/quests/quest.h"

namespace westworld::quests {

// Every node that completed at least one of the campaign's quests, with those it completed.
// `quests` must hold every quest the campaign names (the loader checked it against them).
CompletedQuests campaign_completions(Ledger& ledger, const Campaign& campaign,
                                     const std::vector<Quest>& quests);

struct StageGrant {
  Claim claim;
  ClaimResult result;  // granted false: granted by an earlier run
};

// Claims every stage reward owed now, in stage then node order.
std::vector<StageGrant> grant_stage_rewards(Ledger& ledger, const Campaign& campaign,
                                            const std::vector<Quest>& quests);

}  // namespace westworld::quests

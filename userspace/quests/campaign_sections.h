// The stages of a campaign file, read on their own like a quest's steps (quest_sections.h),
// with the same id, title and reward readers so both files follow one set of rules.
#pragma once

#include <vector>

#include "quest_sections.h"
#include "westworld/quests/campaign.h"

namespace westworld::quests {

// Fills `stages` with every stage that has no error; reports the rest. A stage's quests must
// be ids of `quests`.
void load_stages(const Field& field, const std::vector<Quest>& quests,
                 std::vector<CampaignStage>& stages, DiagnosticSink& sink);

}  // namespace westworld::quests

// policies/campaigns/*.yaml -> Campaign, as strictly as quests load (quest_loader.h): an
// unknown key, a missing field, a quest id that is not among the loaded quests, a duplicate
// stage id, a stage with no quests or a zero node count: each is an error at FILE:LINE:COL, and
// a campaign with any error is not returned at all. A campaign is read against the quest set it
// will be judged by, so it can never require a quest nobody is able to complete.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "westworld/policy/diagnostics.h"
#include "westworld/quests/campaign.h"
#include "westworld/quests/quest.h"

namespace westworld::quests {

struct CampaignLoad {
  std::optional<Campaign> campaign;  // set only when there are no errors
  std::vector<policy::Diagnostic> diagnostics;
};

// `display_name` names the file in diagnostics; `quests` are the quests stages may name.
CampaignLoad load_campaign_text(const std::string& yaml_text, const std::string& display_name,
                                const std::vector<Quest>& quests);
CampaignLoad load_campaign_file(const std::string& path, const std::vector<Quest>& quests);

struct CampaignSetLoad {
  std::vector<Campaign> campaigns;  // every campaign that loaded, sorted by id
  std::vector<policy::Diagnostic> diagnostics;
};

// Every *.yaml of `directory`, in name order; two campaigns with one id is an error.
CampaignSetLoad load_campaign_directory(const std::string& directory,
                                        const std::vector<Quest>& quests);

}  // namespace westworld::quests

// policies/quests/*.yaml -> Quest, strictly (the policy loader's rules and diagnostics): an
// unknown key, a missing field, an unknown category, criterion or operator, a threshold in the
// wrong unit, a step without criteria or a reward, a duplicate step id: each is an error at
// FILE:LINE:COL, and a quest with any error is not returned at all.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "westworld/policy/diagnostics.h"
#include "westworld/quests/quest.h"

namespace westworld::quests {

struct QuestLoad {
  std::optional<Quest> quest;  // set only when there are no errors
  std::vector<policy::Diagnostic> diagnostics;
};

// `display_name` names the file in diagnostics.
QuestLoad load_quest_text(const std::string& yaml_text, const std::string& display_name);
QuestLoad load_quest_file(const std::string& path);

struct QuestSetLoad {
  std::vector<Quest> quests;  // every quest that loaded, sorted by id
  std::vector<policy::Diagnostic> diagnostics;
};

// Every *.yaml of `directory`, in name order; two quests with one id is an error.
QuestSetLoad load_quest_directory(const std::string& directory);

}  // namespace westworld::quests

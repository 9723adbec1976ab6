// stages: what the mesh must do together and what each node that did it earns. A stage names
// at least one quest (one without would complete before anyone started) among the loaded ones
// (an unknown id could never be completed, and would stall every later stage), a node count of
// at least one, and a reward (a stage that grants nothing could not be told apart in the
// ledger from one not yet reached).
#include <algorithm>

#include "campaign_sections.h"

namespace westworld::quests {
namespace {

// Far past any mesh's node count: a larger number is a typo that would stall the campaign.
constexpr uint64_t kMaxStageNodes = 1'000'000;

// Ids and the line each was first read on, for "duplicate ... (first on line N)".
using SeenIds = std::vector<std::pair<std::string, int>>;

const std::pair<std::string, int>* find_seen(const SeenIds& seen, const std::string& id) {
  auto found = std::find_if(seen.begin(), seen.end(), [&](const auto& s) { return s.first == id; });
  return found == seen.end() ? nullptr : &*found;
}

std::string quest_ids(const std::vector<Quest>& quests) {
  std::string ids;
  for (const Quest& quest : quests) ids += (ids.empty() ? "" : ", ") + quest.id;
  return ids.empty() ? "none" : ids;
}

// The stage's quests, or nullopt after reporting every one that is not a loaded quest or is
// listed twice.
std::optional<std::vector<std::string>> read_stage_quests(const Field& field,
                                                          const std::vector<Quest>& quests,
                                                          DiagnosticSink& sink) {
  auto items = policy::read_list(field, sink);
  if (!items) return std::nullopt;
  if (items->empty()) {
    sink.error(field.value_at,
               "a stage needs at least one quest: one without would be complete before "
               "anyone started");
    return std::nullopt;
  }
  const size_t errors_before = sink.error_count();
  std::vector<std::string> ids;
  SeenIds seen;
  for (const YAML::Node& item : *items) {
    const Value value("quest", item);
    auto id = read_id(value, sink);
    if (!id) continue;
    const bool known = std::any_of(quests.begin(), quests.end(),
                                   [&](const Quest& quest) { return quest.id == *id; });
    if (!known) {
      sink.error(value.at,
                 "unknown quest '" + *id + "'; the loaded quests are " + quest_ids(quests));
      continue;
    }
    if (const auto* earlier = find_seen(seen, *id)) {
      sink.error(value.at, "quest '" + *id + "' is listed twice in this stage (first on line " +
                               std::to_string(earlier->second) + ")");
      continue;
    }
    seen.emplace_back(*id, value.at.line);
    ids.push_back(*id);
  }
  if (sink.error_count() != errors_before) return std::nullopt;
  return ids;
}

// The stage, or nullopt after reporting its errors.
std::optional<CampaignStage> load_stage(const YAML::Node& node, const std::vector<Quest>& quests,
                                        SeenIds& seen, DiagnosticSink& sink) {
  Value item("stage", node);
  auto fields = read_fields(item, {"id", "title", "quests", "nodes", "reward"}, sink);
  if (!fields) return std::nullopt;
  const size_t errors_before = sink.error_count();
  require_fields(*fields, "stage", item.at, {"id", "title", "quests", "nodes", "reward"}, sink);
  CampaignStage stage;
  for (const Field& field : *fields) {
    if (field.key == "id") {
      auto id = read_id(field, sink);
      if (!id) continue;
      if (const auto* earlier = find_seen(seen, *id)) {
        sink.error(field.value_at, "duplicate stage id '" + *id + "' (first on line " +
                                       std::to_string(earlier->second) + ")");
        continue;
      }
      seen.emplace_back(*id, field.value_at.line);
      stage.id = *id;
    } else if (field.key == "title") {
      stage.title = read_title(field, sink).value_or("");
    } else if (field.key == "quests") {
      stage.quests = read_stage_quests(field, quests, sink).value_or(std::vector<std::string>{});
    } else if (field.key == "nodes") {
      stage.nodes = policy::read_integer(field, 1, kMaxStageNodes, sink).value_or(0);
    } else if (field.key == "reward") {
      if (auto reward = read_reward(field, sink)) stage.reward = *reward;
    }
  }
  if (sink.error_count() != errors_before) return std::nullopt;
  return stage;
}

}  // namespace

void load_stages(const Field& field, const std::vector<Quest>& quests,
                 std::vector<CampaignStage>& stages, DiagnosticSink& sink) {
  auto items = policy::read_list(field, sink);
  if (!items) return;
  if (items->empty()) {
    sink.error(field.value_at, "a campaign needs at least one stage");
    return;
  }
  SeenIds seen;
  for (const YAML::Node& item : *items) {
    if (auto stage = load_stage(item, quests, seen, sink)) stages.push_back(std::move(*stage));
  }
}

}  // namespace westworld::quests

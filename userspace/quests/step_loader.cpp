// steps: what a member does and what it earns. A step must name at least one criterion (one
// without would always pass) and at least one reward (one without would grant nothing and so
// could never be told apart from a step not yet claimed).
#include <algorithm>

#include "quest_sections.h"

namespace westworld::quests {
namespace {

// More than a million points for one step is a typo, not a reward.
constexpr uint64_t kMaxPoints = 1'000'000;

}  // namespace

std::optional<Reward> read_reward(const Field& field, DiagnosticSink& sink) {
  auto fields = read_fields(field, {"points", "badge", "role"}, sink);
  if (!fields) return std::nullopt;
  // Unknown keys were reported already; an empty mapping is not.
  if (fields->empty()) {
    if (field.value.size() != 0) return std::nullopt;
    sink.error(field.value_at, "a reward needs at least one of points, badge or role");
    return std::nullopt;
  }
  const size_t errors_before = sink.error_count();
  Reward reward;
  for (const Field& part : *fields) {
    if (part.key == "points") {
      reward.points = policy::read_integer(part, 1, kMaxPoints, sink).value_or(0);
    } else if (part.key == "badge") {
      reward.badge = read_id(part, sink).value_or("");
    } else if (part.key == "role") {
      reward.role = read_id(part, sink).value_or("");
    }
  }
  if (sink.error_count() != errors_before) return std::nullopt;
  return reward;
}

namespace {

std::vector<Criterion> read_criteria(const Field& field, bool& ok, DiagnosticSink& sink) {
  std::vector<Criterion> criteria;
  auto items = policy::read_list(field, sink);
  if (!items) {
    ok = false;
    return criteria;
  }
  if (items->empty()) {
    sink.error(field.value_at,
               "a step needs at least one criterion: one without would always "
               "pass");
    ok = false;
  }
  for (const YAML::Node& item : *items) {
    auto criterion = read_criterion(Value("criterion", item), sink);
    if (criterion) {
      criteria.push_back(*criterion);
    } else {
      ok = false;
    }
  }
  return criteria;
}

// The step, or nullopt after reporting its errors. `seen` holds the ids read so far and the
// line of each, for duplicates.
std::optional<Step> load_step(const YAML::Node& node,
                              std::vector<std::pair<std::string, int>>& seen,
                              DiagnosticSink& sink) {
  Value item("step", node);
  auto fields = read_fields(item, {"id", "title", "criteria", "reward"}, sink);
  if (!fields) return std::nullopt;
  const size_t errors_before = sink.error_count();
  require_fields(*fields, "step", item.at, {"id", "title", "criteria", "reward"}, sink);
  Step step;
  bool ok = true;
  for (const Field& field : *fields) {
    if (field.key == "id") {
      auto id = read_id(field, sink);
      if (!id) continue;
      auto earlier =
          std::find_if(seen.begin(), seen.end(), [&](const auto& s) { return s.first == *id; });
      if (earlier != seen.end()) {
        sink.error(field.value_at, "duplicate step id '" + *id + "' (first on line " +
                                       std::to_string(earlier->second) + ")");
        continue;
      }
      seen.emplace_back(*id, field.value_at.line);
      step.id = *id;
    } else if (field.key == "title") {
      step.title = read_title(field, sink).value_or("");
    } else if (field.key == "criteria") {
      step.criteria = read_criteria(field, ok, sink);
    } else if (field.key == "reward") {
      if (auto reward = read_reward(field, sink)) step.reward = *reward;
    }
  }
  if (!ok || sink.error_count() != errors_before) return std::nullopt;
  return step;
}

}  // namespace

void load_steps(const Field& field, std::vector<Step>& steps, DiagnosticSink& sink) {
  auto items = policy::read_list(field, sink);
  if (!items) return;
  if (items->empty()) {
    sink.error(field.value_at, "a quest needs at least one step");
    return;
  }
  std::vector<std::pair<std::string, int>> seen;
  for (const YAML::Node& item : *items) {
    if (auto step = load_step(item, seen, sink)) steps.push_back(std::move(*step));
  }
}

}  // namespace westworld::quests

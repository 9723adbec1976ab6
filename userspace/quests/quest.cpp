#include "westworld/quests/quest.h"

#include <algorithm>

#include "name_table.h"
#include "quest_units.h"

namespace westworld::quests {
namespace {

constexpr detail::Named<Category> kCategories[] = {
    {Category::mesh_builder, "mesh_builder"},
    {Category::privacy_advocate, "privacy_advocate"},
    {Category::governance_active, "governance_active"},
    {Category::crisis_helper, "crisis_helper"},
    {Category::experimenter, "experimenter"},
    {Category::guardian, "guardian"},
};

}  // namespace

std::string_view category_name(Category category) { return detail::name_of(kCategories, category); }

std::optional<Category> parse_category(std::string_view text) {
  return detail::value_named(kCategories, text);
}

std::string category_names() { return detail::joined_names(kCategories); }

std::string Criterion::text() const {
  const CatalogueEntry& entry = catalogue_entry(kind);
  std::string value;
  switch (entry.unit) {
    case CriterionUnit::duration:
      value = format_duration_ms(threshold);
      break;
    case CriterionUnit::count:
      value = std::to_string(threshold);
      break;
    case CriterionUnit::boolean:
      value = threshold != 0 ? "true" : "false";
      break;
  }
  return std::string(entry.name) + " " + std::string(common::comparison_text(op)) + " " + value;
}

const Step* Quest::find_step(std::string_view step_id) const {
  auto found = std::find_if(steps.begin(), steps.end(),
                            [&](const Step& step) { return step.id == step_id; });
  return found == steps.end() ? nullptr : &*found;
}

std::optional<common::UnixSeconds> expires_at(const Quest& quest, common::UnixSeconds activated) {
  if (!quest.expires) return std::nullopt;
  if (quest.expires->at) return quest.expires->at;
  if (quest.expires->after_activation) return activated + *quest.expires->after_activation;
  return std::nullopt;
}

bool is_open(const Quest& quest, common::UnixSeconds activated, common::UnixSeconds now) {
  auto end = expires_at(quest, activated);
  return now >= activated && (!end || now < *end);
}

int64_t period_of(const Quest& quest, common::UnixSeconds now) {
  if (!quest.repeat || quest.repeat->count() <= 0) return 0;
  const int64_t seconds = now.time_since_epoch().count();
  // Floor division: an instant before the epoch still falls in one period.
  const int64_t length = quest.repeat->count();
  return seconds >= 0 ? seconds / length : -((-seconds + length - 1) / length);
}

}  // namespace westworld::quests

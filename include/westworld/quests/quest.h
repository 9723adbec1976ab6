// A quest as loaded from policies/quests/*.yaml: steps whose criteria are typed comparisons
// over the catalogue (criteria.h), and typed rewards. Nothing here is a string to interpret
// later: whatever reaches this model was checked by the loader.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "westworld/common/clock.h"
#include "westworld/policy/model.h"
#include "westworld/quests/crisis.h"
#include "westworld/quests/criteria.h"

namespace westworld::quests {

enum class Category : uint8_t {
  mesh_builder,
  privacy_advocate,
  governance_active,
  crisis_helper,
  experimenter,
  guardian,
};

std::string_view category_name(Category category);
std::optional<Category> parse_category(std::string_view text);
std::string category_names();  // "mesh_builder, privacy_advocate, ...", for messages

struct Criterion {
  CriterionKind kind = CriterionKind::uptime;
  CompareOp op = CompareOp::ge;
  int64_t threshold = 0;  // in the criterion's unit: milliseconds, a count, 0 or 1
  policy::SourceLocation where;

  std::string text() const;  // "uptime >= 7d", as a person would write it
};

// Any of the three, at least one. Points are minted; badges and roles are recorded.
struct Reward {
  uint64_t points = 0;
  std::string badge;  // empty: none
  std::string role;   // empty: none
};

struct Step {
  std::string id;
  std::string title;
  std::vector<Criterion> criteria;  // never empty: a step without criteria would always pass
  Reward reward;
};

// `expires: 2026-12-31` is a fixed instant; `expires: 12h` counts from when the quest is
// activated: a crisis quest (`opens_on`) when a crisis of its kind opens on the node. The loader
// accepts a duration only with `opens_on`, and `opens_on` only with a duration.
struct Expiry {
  std::optional<common::UnixSeconds> at;
  std::optional<std::chrono::seconds> after_activation;
};

struct Quest {
  std::string id;
  std::string title;
  Category category = Category::mesh_builder;
  std::vector<Step> steps;
  std::optional<Expiry> expires;
  // A repeating quest can be claimed again each period; without one, once ever (a crisis
  // quest: once per crisis, see decide_claim()).
  std::optional<std::chrono::seconds> repeat;
  // A crisis quest: opened by each crisis of this kind on the node (activation.h).
  std::optional<CrisisKind> opens_on;

  const Step* find_step(std::string_view step_id) const;
};

// When the quest stops being claimable, or nullopt when never.
std::optional<common::UnixSeconds> expires_at(const Quest& quest, common::UnixSeconds activated);
bool is_open(const Quest& quest, common::UnixSeconds activated, common::UnixSeconds now);

// The ledger's period key: 0 for a one-time quest, else the index of the repeat period (counted
// from the Unix epoch, so every node agrees on the boundaries) that holds `now`.
int64_t period_of(const Quest& quest, common::UnixSeconds now);

}  // namespace westworld::quests

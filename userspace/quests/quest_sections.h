// The parts of a quest file, each read on its own and reporting its own misfits (like the
// Cradle's experiment_sections.h): the steps with their criteria and rewards.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "westworld/policy/yaml_fields.h"
#include "westworld/quests/quest.h"

namespace westworld::quests {

using policy::DiagnosticSink;
using policy::Field;
using policy::Value;

// Quest, step, badge and role ids end up in the ledger's keys and in wwctl's arguments.
inline constexpr size_t kMaxIdLength = 63;
inline constexpr size_t kMaxTitleLength = 200;

// [a-z0-9_-], 1..kMaxIdLength characters.
std::optional<std::string> read_id(const Value& value, DiagnosticSink& sink);
// Any printable text, 1..kMaxTitleLength bytes.
std::optional<std::string> read_title(const Value& value, DiagnosticSink& sink);
// One of the categories (quest.h): a quest's, and a campaign's for its leaderboard.
std::optional<Category> read_category(const Field& field, DiagnosticSink& sink);

// "NAME OP VALUE" over the catalogue, the value in the criterion's unit.
std::optional<Criterion> read_criterion(const Value& value, DiagnosticSink& sink);

// `points: N`, `badge: NAME`, `role: NAME`, at least one: a step's reward, and a campaign
// stage's (campaign_sections.h), so both files write rewards alike.
std::optional<Reward> read_reward(const Field& field, DiagnosticSink& sink);

// Fills `steps` with every step that has no error; reports the rest.
void load_steps(const Field& field, std::vector<Step>& steps, DiagnosticSink& sink);

}  // namespace westworld::quests

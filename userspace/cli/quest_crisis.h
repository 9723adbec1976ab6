// The crises `wwctl quest` reads (quest_crisis_commands.cpp): this node's agent records them in
// DATA_DIR/quests.db when a detector's flood alert is contained, and a crisis quest is open, and
// its claims dated, by the newest of its kind that is open now.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "commands.h"
#include "quest_sources.h"
#include "westworld/quests/activation.h"
#include "westworld/quests/crisis_board.h"
#include "westworld/quests/quest.h"

namespace westworld::cli::quest_cli {

// The crises recorded with this --data-dir, or nullptr when none ever was (no quests.db yet).
std::unique_ptr<quests::CrisisBoard> open_crisis_board(const CommonOptions& common);

// When `quest` opened for claims here, at `now` (activation.h); reads the crises only for a
// crisis quest: `mesh`'s first when given, then this node's.
quests::ActivationLookup quest_activation(const quests::Quest& quest, const CommonOptions& common,
                                          common::UnixSeconds now, const QuestMesh* mesh = nullptr);

// "crisis quest: open until 2026-11-26T18:54:01Z (crisis 3, flood from 10.0.0.2)", or
// "crisis quest: opens on a flood crisis; no open flood crisis on this node"; empty for a
// standing quest. A crisis of the mesh is named by its opener: "(the crisis r2 opened at ...".
std::string crisis_quest_state(const quests::Quest& quest, const quests::ActivationLookup& found);
// A crisis for --json: id, kind, subject, alert, opened_at and closes_at (UTC, and Unix seconds
// as *_unix_s), whether it is open at `now`, and its opener (null: this node's own board).
nlohmann::json crisis_json(const quests::Crisis& crisis, common::UnixSeconds now);

// Registers `quest crises [--mesh ... --gov-genesis D]`.
void register_crisis_commands(CLI::App& quest, const CommonOptions& common, int& exit_code);

}  // namespace westworld::cli::quest_cli

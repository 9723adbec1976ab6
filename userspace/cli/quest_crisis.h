// The crises `wwctl quest` reads (quest_crisis_commands.cpp): this node's agent records them in
// DATA_DIR/quests.db when a detector's flood alert is contained, and a crisis quest is open, and
// its claims dated, by the newest of its kind that is open now.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "commands.h"
#include "westworld/quests/activation.h"
#include "westworld/quests/crisis_board.h"
#include "westworld/quests/quest.h"

namespace westworld::cli::quest_cli {

// The crises recorded with this --data-dir, or nullptr when none ever was (no quests.db yet).
std::unique_ptr<quests::CrisisBoard> open_crisis_board(const CommonOptions& common);

// When `quest` opened for claims here, at `now` (activation.h); reads the crises only for a
// crisis quest.
quests::ActivationLookup quest_activation(const quests::Quest& quest, const CommonOptions& common,
                                          common::UnixSeconds now);

// "crisis quest: open until 2026-11-26T18:54:01Z (crisis 3, flood from 10.0.0.2)", or
// "crisis quest: opens on a flood crisis; no open flood crisis on this node"; empty for a
// standing quest.
std::string crisis_quest_state(const quests::Quest& quest, const quests::ActivationLookup& found);
// A crisis for --json: id, kind, subject, alert, opened_at and closes_at (UTC, and Unix seconds
// as *_unix_s), and whether it is open at `now`.
nlohmann::json crisis_json(const quests::Crisis& crisis, common::UnixSeconds now);

// Registers `quest crises`.
void register_crisis_commands(CLI::App& quest, const CommonOptions& common, int& exit_code);

}  // namespace westworld::cli::quest_cli

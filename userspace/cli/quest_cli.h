// Shared by the `wwctl quest` subcommands (quest_commands.cpp, quest_ledger_commands.cpp): where
// the quests and the ledger are, and the exit codes.
#pragma once

#include <exception>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "commands.h"
#include "westworld/common/printable.h"
#include "westworld/quests/quest.h"

namespace westworld::cli::quest_cli {

// 0: done (granted, or granted before); 1: refused or not met; 2: could not run at all.
constexpr int kOk = 0;
constexpr int kRefused = 1;
constexpr int kCouldNotRun = 2;

// Installed quests when there are any, else a source checkout's.
std::string default_quest_dir();

// Every quest of `dir`, or nullopt (its diagnostics printed) when any fails to load: a quest
// set with an error in it is not one to judge claims by.
std::optional<std::vector<quests::Quest>> load_quests(const std::string& dir);

// The quest `id` of `quests`; prints what there is instead and returns nullptr when none.
const quests::Quest* find_quest(const std::vector<quests::Quest>& quests, const std::string& id,
                                const std::string& dir);

// DATA_DIR/quests.db.
std::filesystem::path ledger_path(const CommonOptions& common);

// This host's name: the node a command speaks for when no --node is given.
std::string host_node();

// Runs `body`, turning an escaping error into one "wwctl: error:" line and kCouldNotRun.
template <typename Body>
int guarded(Body&& body) {
  try {
    return body();
  } catch (const std::exception& e) {
    std::cerr << "wwctl: error: " << common::printable(e.what()) << '\n';
    return kCouldNotRun;
  }
}

// Registers `quest leaderboard|badges|ledger`.
void register_quest_ledger_commands(CLI::App& quest, const CommonOptions& common, int& exit_code);

}  // namespace westworld::cli::quest_cli

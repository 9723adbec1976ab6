// wwctl subcommands. Each register_* adds its subcommands to the app; the
// callbacks set the process exit code through `exit_code`.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace westworld::cli {

struct CommonOptions {
  std::string control_path;
  std::string state_dir;
  std::string pin_root;
};

void register_policy_commands(CLI::App& app, const CommonOptions& common, int& exit_code);
void register_status_command(CLI::App& app, const CommonOptions& common, int& exit_code);
void register_detach_command(CLI::App& app, const CommonOptions& common, int& exit_code);

}  // namespace westworld::cli

// Shared pieces of the `wwctl vault` subcommands (vault_*_commands.cpp).
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "commands.h"

namespace westworld::cli::vault_cli {

struct VaultOptions {
  std::string vault_dir;  // empty: STATE_DIR/vault
  std::string guardians_file;
  std::string key_file;
  std::vector<std::string> key_files;
  std::string item;
  std::string request;
  std::string input;
  std::string output;
  std::string type;
  std::string title;
  std::string vote;
  std::string id;
  std::uint32_t threshold = 3;
  std::optional<std::uint32_t> new_threshold;
  bool emergency = false;
  bool as_json = false;
};

std::string vault_dir(const VaultOptions& o, const CommonOptions& common);
void add_vault_option(CLI::App* cmd, VaultOptions& o);

void register_guardian_commands(CLI::App* vault, const CommonOptions& common,
                                std::shared_ptr<VaultOptions> o, int& exit_code);
void register_admin_commands(CLI::App* vault, const CommonOptions& common,
                             std::shared_ptr<VaultOptions> o, int& exit_code);
void register_access_commands(CLI::App* vault, const CommonOptions& common,
                              std::shared_ptr<VaultOptions> o, int& exit_code);

}  // namespace westworld::cli::vault_cli

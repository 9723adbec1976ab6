// wwctl vault: the Sublime shelter (include/westworld/vault/vault.h). Every subcommand
// takes --vault DIR (default STATE_DIR/vault).
#include "vault_cli.h"

namespace westworld::cli {
namespace vault_cli {

std::string vault_dir(const VaultOptions& o, const CommonOptions& common) {
  return o.vault_dir.empty() ? common.data_dir + "/vault" : o.vault_dir;
}

void add_vault_option(CLI::App* cmd, VaultOptions& o) {
  cmd->add_option("--vault", o.vault_dir, "Vault directory (default: DATA_DIR/vault)");
}

}  // namespace vault_cli

void register_vault_commands(CLI::App& app, const CommonOptions& common, int& exit_code) {
  CLI::App* vault = app.add_subcommand(
      "vault", "Sublime shelter: encrypted items whose key no single guardian holds");
  vault->require_subcommand(1);
  auto o = std::make_shared<vault_cli::VaultOptions>();
  vault_cli::register_guardian_commands(vault, common, o, exit_code);
  vault_cli::register_admin_commands(vault, common, o, exit_code);
  vault_cli::register_access_commands(vault, common, o, exit_code);
}

}  // namespace westworld::cli

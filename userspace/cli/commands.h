// wwctl subcommands. Each register_* adds its subcommands to the app; the
// callbacks set the process exit code through `exit_code`.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace westworld::cli {

struct CommonOptions {
  std::string control_path;
  std::string state_dir;
  std::string data_dir;  // what outlives a reboot: the audit log, the vault
  std::string pin_root;
  double timeout_s = 30;  // how long to wait for the agent's reply
};

void register_policy_commands(CLI::App& app, const CommonOptions& common, int& exit_code);
void register_status_command(CLI::App& app, const CommonOptions& common, int& exit_code);
void register_detach_command(CLI::App& app, const CommonOptions& common, int& exit_code);
void register_top_command(CLI::App& app, const CommonOptions& common, int& exit_code);
void register_alerts_command(CLI::App& app, const CommonOptions& common, int& exit_code);
void register_quarantine_commands(CLI::App& app, const CommonOptions& common, int& exit_code);
void register_unfreeze_command(CLI::App& app, const CommonOptions& common, int& exit_code);
void register_token_commands(CLI::App& app, const CommonOptions& common, int& exit_code);
void register_audit_command(CLI::App& app, const CommonOptions& common, int& exit_code);
// `charter violations|report`: the violation ledger and the escalation ladder.
void register_charter_commands(CLI::App& app, const CommonOptions& common, int& exit_code);
// `charter override|cosign|submit|overrides`, under `charter`: emergency overrides.
void register_override_commands(CLI::App& charter, const CommonOptions& common, int& exit_code);
// `subject export|erase`: a data subject's export and erasure (crypto-shredding).
void register_subject_commands(CLI::App& app, const CommonOptions& common, int& exit_code);
void register_mesh_commands(CLI::App& app, const CommonOptions& common, int& exit_code);
// `gov init|propose|vote|list|show|tally|rollout`: governance in the mesh's etcd.
void register_gov_commands(CLI::App& app, const CommonOptions& common, int& exit_code);
// `vault ...`: the Sublime shelter (vault_*_commands.cpp).
void register_vault_commands(CLI::App& app, const CommonOptions& common, int& exit_code);
// `policy sign` and `peer keygen|key`; after register_policy_commands.
void register_sign_command(CLI::App& app, const CommonOptions& common, int& exit_code);
// `quest list|show|progress|claim|leaderboard|badges|ledger`: quests over this node's own signed
// evidence, and the rewards ledger.
void register_quest_commands(CLI::App& app, const CommonOptions& common, int& exit_code);

}  // namespace westworld::cli

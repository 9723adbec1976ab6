// wwctl: the operator's command line for Westworld.
#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>

#include "commands.h"
#include "cradle_cli.h"
#include "westworld/common/printable.h"
#include "westworld/control/protocol.h"
#include "westworld/dataplane/bpffs.h"

int main(int argc, char** argv) {
  using namespace westworld;
  cli::CommonOptions common{control::kDefaultSocketPath, control::kDefaultStateDir,
                            control::kDefaultDataDir, dataplane::kDefaultPinRoot, 30};
  int exit_code = EXIT_SUCCESS;

  CLI::App app{"wwctl: check, compile and apply Westworld policies; inspect and detach the guard"};
  app.require_subcommand(1);
  app.add_option("--control", common.control_path, "Agent control socket")->capture_default_str();
  app.add_option("--state-dir", common.state_dir, "Agent state directory")->capture_default_str();
  app.add_option("--data-dir", common.data_dir,
                 "Where what outlives a reboot is kept (the audit log, the vault)")
      ->capture_default_str();
  app.add_option("--pin-root", common.pin_root, "bpffs directory of the guard's pins")
      ->capture_default_str();
  app.add_option("--timeout", common.timeout_s, "Seconds to wait for the agent's reply")
      ->check(CLI::Range(0.1, 86400.0))
      ->capture_default_str();

  app.add_option_function<std::string>(
      "--netns", [](const std::string& name) { dataplane::enter_netns(name); },
      "Network namespace of the guarded interfaces (/run/netns/NAME)");

  cli::register_policy_commands(app, common, exit_code);
  cli::register_status_command(app, common, exit_code);
  cli::register_detach_command(app, common, exit_code);
  cli::register_top_command(app, common, exit_code);
  cli::register_alerts_command(app, common, exit_code);
  cli::register_quarantine_commands(app, common, exit_code);
  cli::register_unfreeze_command(app, common, exit_code);
  cli::register_token_commands(app, common, exit_code);
  cli::register_audit_command(app, common, exit_code);
  cli::register_sign_command(app, common, exit_code);
  cli::register_mesh_commands(app, common, exit_code);
  cli::register_gov_commands(app, common, exit_code);
  cli::register_cradle_commands(app, common, exit_code);
  cli::register_quest_commands(app, common, exit_code);
  cli::register_charter_commands(app, common, exit_code);
  cli::register_subject_commands(app, common, exit_code);
  cli::register_vault_commands(app, common, exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    // Messages may quote files and databases: one line, valid UTF-8, whatever they held.
    std::cerr << "wwctl: error: " << common::printable(e.what()) << '\n';
    return EXIT_FAILURE;
  }
  return exit_code;
}

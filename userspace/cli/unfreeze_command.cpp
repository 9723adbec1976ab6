// wwctl unfreeze: lift the freeze on policy changes that an alert put in place.
#include <cstdlib>
#include <iostream>

#include "agent_request.h"
#include "commands.h"

namespace westworld::cli {

void register_unfreeze_command(CLI::App& app, const CommonOptions& common, int& exit_code) {
  CLI::App* cmd = app.add_subcommand(
      "unfreeze", "Allow policy changes again after a control-plane alert froze them");
  cmd->callback([&common, &exit_code] {
    auto reply = ask_agent(common, control::UnfreezeRequest{}, "it holds the freeze");
    if (!reply) {
      exit_code = EXIT_FAILURE;
      return;
    }
    std::cout << (reply->was_frozen ? "policy changes are allowed again\n"
                                    : "policy changes were not frozen\n");
    exit_code = EXIT_SUCCESS;
  });
}

}  // namespace westworld::cli

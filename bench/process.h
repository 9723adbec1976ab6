// Running the tools the bench drives (ip, nft, ethtool, the agent, wwctl).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace westworld::bench {

struct CommandResult {
  int exit_code = -1;  // 128 + signal when killed by one
  std::string out;
  std::string err;
};

// Runs argv[0] (looked up in PATH) and waits, capturing both output streams.
CommandResult run_command(const std::vector<std::string>& argv);

// The same, throwing std::runtime_error with the command and its stderr on failure.
std::string run_checked(const std::vector<std::string>& argv);

// Starts argv in the background, stdout and stderr appended to log_path.
pid_t spawn_logged(const std::vector<std::string>& argv, const std::string& log_path);

// Waits for the child; returns its exit code, or 128 + signal.
int wait_child(pid_t pid);

}  // namespace westworld::bench

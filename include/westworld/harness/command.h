// Short commands run to completion, their output captured for the caller to inspect.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "westworld/harness/child_process.h"

namespace westworld::harness {

struct CommandResult {
  std::string command;  // the argv joined, for messages
  int exit_status = -1;
  std::string out;
  std::string err;

  bool ok() const { return exit_status == 0; }
  // The command, its exit status, stdout and stderr, for failure messages.
  std::string describe() const;
};

// Runs argv (see ChildProcess) and captures both output streams. After `timeout` it is killed
// and reported as exit status kKilledBySignal + SIGKILL.
CommandResult run_command(const std::vector<std::string>& argv,
                          std::chrono::milliseconds timeout = std::chrono::seconds(120),
                          const std::filesystem::path& stdin_path = "/dev/null");

// The same, returning stdout; throws std::runtime_error with describe() unless it succeeds.
std::string run_checked(const std::vector<std::string>& argv,
                        std::chrono::milliseconds timeout = std::chrono::seconds(120));

}  // namespace westworld::harness

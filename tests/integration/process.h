// Child processes for the namespace integration tests: a background Process (the agent, a
// receiver) that is killed when it goes out of scope, and run_command() for short commands
// whose output the test inspects. Both fork/exec directly: no shell, no quoting.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace westworld::integration {

// The exit status of a process: its exit code, or 128 + the signal that killed it (as a shell
// reports it).
inline constexpr int kKilledBySignal = 128;

class Process {
 public:
  // Starts argv[0] (a path) with stdin from /dev/null and stdout / stderr written to the files.
  // The child leads its own process group, so killing it also kills anything it started.
  Process(std::vector<std::string> argv, std::filesystem::path stdout_path,
          std::filesystem::path stderr_path);
  Process(Process&& other) noexcept;
  Process& operator=(Process&&) = delete;
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  // Kills (SIGKILL) and reaps the process if it still runs.
  ~Process();

  pid_t pid() const { return pid_; }
  const std::vector<std::string>& argv() const { return argv_; }

  // Whether the process still runs (reaps it when it has exited).
  bool running();
  // Waits up to `timeout` for the process to exit; its exit status, or nullopt if it still runs.
  std::optional<int> wait_for_exit(std::chrono::milliseconds timeout);
  // The exit status once the process has been reaped.
  std::optional<int> exit_status() const { return exit_status_; }

  void kill9();  // SIGKILL, then reap
  void send_signal(int signal);

  std::string stdout_text() const;
  std::string stderr_text() const;
  // "argv..." plus its stderr, for assertion messages.
  std::string describe() const;

 private:
  void reap(int wait_status);

  std::vector<std::string> argv_;
  std::filesystem::path stdout_path_;
  std::filesystem::path stderr_path_;
  pid_t pid_ = -1;
  std::optional<int> exit_status_;
};

struct CommandResult {
  std::string command;  // the argv joined, for messages
  int exit_status = -1;
  std::string out;
  std::string err;

  bool ok() const { return exit_status == 0; }
  // The command, its exit status, stdout and stderr, for assertion messages.
  std::string describe() const;
};

// Runs argv to completion (killing it after `timeout`, reported as exit status 128 + SIGKILL)
// and captures both output streams.
CommandResult run_command(const std::vector<std::string>& argv,
                          std::chrono::milliseconds timeout = std::chrono::seconds(120));

// Reads a whole file; empty if it cannot be read.
std::string read_text_file(const std::filesystem::path& path);

}  // namespace westworld::integration

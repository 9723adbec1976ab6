// A program run in the background by the tests and ww-bench (the agent, ww-traffic, Prometheus),
// started with fork/exec: no shell, no quoting. It leads its own process group and dies with
// the thread that started it (PR_SET_PDEATHSIG), so a crashed or timed-out test leaves no
// agent or receiver running; the object kills it (SIGKILL, by PID) and reaps it when it goes.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace westworld::harness {

// The exit status of a process is its exit code, or this plus the signal that killed it (as a
// shell reports it).
inline constexpr int kKilledBySignal = 128;

// A timeout that never expires.
inline constexpr std::chrono::milliseconds kWaitForever = std::chrono::milliseconds::max();

struct ChildIo {
  std::filesystem::path stdout_path;
  std::filesystem::path stderr_path;  // may be stdout_path: both streams go to that one file
  std::filesystem::path stdin_path = "/dev/null";
  bool append = false;  // append to the output files instead of truncating them
};

class ChildProcess {
 public:
  // Starts argv[0], a path or a tool name looked up by system_tool(). Throws
  // std::runtime_error if it cannot fork; a program that cannot be executed exits with 127.
  ChildProcess(std::vector<std::string> argv, ChildIo io);
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&&) = delete;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();

  pid_t pid() const { return pid_; }
  const std::vector<std::string>& argv() const { return argv_; }

  // Whether it still runs (reaps it when it has exited).
  bool running();
  // Waits up to `timeout` (or kWaitForever) for it to exit; its exit status, or nullopt if it
  // still runs.
  std::optional<int> wait_for_exit(std::chrono::milliseconds timeout);
  // The exit status once it has been reaped.
  std::optional<int> exit_status() const { return exit_status_; }

  // To the whole process group (`ip netns exec` may have forked) and to the PID itself.
  void send_signal(int signal);
  void kill9();  // SIGKILL, then reap

  std::string stdout_text() const;
  std::string stderr_text() const;
  // "`argv...`" with its exit status and stderr, for failure messages.
  std::string describe() const;

 private:
  bool reap(int options);

  std::vector<std::string> argv_;
  ChildIo io_;
  pid_t pid_ = -1;
  int pidfd_ = -1;  // readable once the process has exited
  std::optional<int> exit_status_;
};

// The words joined by spaces, for messages.
std::string join_words(const std::vector<std::string>& words);

}  // namespace westworld::harness

#include "westworld/harness/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>
#include <utility>

#include "westworld/harness/text_file.h"
#include "westworld/harness/tool_paths.h"

namespace westworld::harness {
namespace {

using Clock = std::chrono::steady_clock;

int status_of(int wait_status) {
  if (WIFEXITED(wait_status)) {
    return WEXITSTATUS(wait_status);
  }
  if (WIFSIGNALED(wait_status)) {
    return kKilledBySignal + WTERMSIG(wait_status);
  }
  return -1;
}

// A descriptor that becomes readable when the process exits, so waiting needs no polling loop;
// -1 on kernels without pidfd_open (before 5.3).
int open_pidfd(pid_t pid) { return static_cast<int>(syscall(SYS_pidfd_open, pid, 0)); }

}  // namespace

std::string join_words(const std::vector<std::string>& words) {
  std::string text;
  for (const auto& word : words) {
    text += (text.empty() ? "" : " ") + word;
  }
  return text;
}

ChildProcess::ChildProcess(std::vector<std::string> argv, ChildIo io)
    : argv_(std::move(argv)), io_(std::move(io)) {
  if (argv_.empty()) {
    throw std::invalid_argument("ChildProcess: empty argv");
  }
  // Everything the child needs is prepared before fork(): after it, only async-signal-safe
  // calls.
  const std::string program = system_tool(argv_[0]);
  std::vector<char*> child_argv;
  for (auto& word : argv_) {
    child_argv.push_back(word.data());
  }
  child_argv.push_back(nullptr);
  const std::string in = io_.stdin_path.string();
  const std::string out = io_.stdout_path.string();
  const std::string err = io_.stderr_path.string();
  const bool shared_output = io_.stderr_path == io_.stdout_path;
  const int out_flags = O_WRONLY | O_CREAT | (io_.append ? O_APPEND : O_TRUNC);
  const std::string exec_failed = "cannot execute " + program + "\n";

  const pid_t parent = getpid();
  pid_ = fork();
  if (pid_ < 0) {
    throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  }
  if (pid_ == 0) {
    setpgid(0, 0);
    // If the starting thread dies (a crash, a ctest timeout), so does the child.
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent) {
      _exit(126);
    }
    const int in_fd = open(in.c_str(), O_RDONLY);
    const int out_fd = open(out.c_str(), out_flags, 0644);
    const int err_fd = shared_output ? out_fd : open(err.c_str(), out_flags, 0644);
    if (in_fd < 0 || out_fd < 0 || err_fd < 0 || dup2(in_fd, STDIN_FILENO) < 0 ||
        dup2(out_fd, STDOUT_FILENO) < 0 || dup2(err_fd, STDERR_FILENO) < 0) {
      _exit(126);
    }
    execv(program.c_str(), child_argv.data());
    [[maybe_unused]] const ssize_t ignored =
        write(STDERR_FILENO, exec_failed.data(), exec_failed.size());
    _exit(127);
  }
  // Also from the parent, so a kill right after the constructor reaches the whole group.
  setpgid(pid_, pid_);
  pidfd_ = open_pidfd(pid_);
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : argv_(std::move(other.argv_)),
      io_(std::move(other.io_)),
      pid_(std::exchange(other.pid_, -1)),
      pidfd_(std::exchange(other.pidfd_, -1)),
      exit_status_(other.exit_status_) {}

ChildProcess::~ChildProcess() {
  kill9();
  if (pidfd_ >= 0) {
    close(pidfd_);
  }
}

bool ChildProcess::reap(int options) {
  int wait_status = 0;
  pid_t done;
  do {
    done = waitpid(pid_, &wait_status, options);
  } while (done < 0 && errno == EINTR);
  if (done == pid_) {
    exit_status_ = status_of(wait_status);
  } else if (done < 0) {
    exit_status_ = -1;  // not our child any more: nothing left to wait for
  }
  return exit_status_.has_value();
}

bool ChildProcess::running() {
  if (pid_ <= 0 || exit_status_) {
    return false;
  }
  return !reap(WNOHANG);
}

std::optional<int> ChildProcess::wait_for_exit(std::chrono::milliseconds timeout) {
  if (!running()) {
    return exit_status_;
  }
  if (timeout == kWaitForever) {
    reap(0);
    return exit_status_;
  }
  const auto deadline = Clock::now() + timeout;
  while (running()) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      return std::nullopt;
    }
    if (pidfd_ >= 0) {
      pollfd exited{pidfd_, POLLIN, 0};
      poll(&exited, 1, static_cast<int>(std::min<int64_t>(left.count(), 60'000)));
    } else {
      std::this_thread::sleep_for(std::min(left, std::chrono::milliseconds(20)));
    }
  }
  return exit_status_;
}

void ChildProcess::send_signal(int signal) {
  if (pid_ > 0 && !exit_status_) {
    ::kill(-pid_, signal);
    ::kill(pid_, signal);
  }
}

void ChildProcess::kill9() {
  if (pid_ <= 0 || exit_status_) {
    return;
  }
  send_signal(SIGKILL);
  reap(0);
}

std::string ChildProcess::stdout_text() const { return read_text_file(io_.stdout_path); }
std::string ChildProcess::stderr_text() const { return read_text_file(io_.stderr_path); }

std::string ChildProcess::describe() const {
  std::string text = "`" + join_words(argv_) + "`";
  if (exit_status_) {
    text += " (exit status " + std::to_string(*exit_status_) + ")";
  }
  return text + "\n--- stderr ---\n" + stderr_text();
}

}  // namespace westworld::harness

#include "process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <utility>

namespace westworld::integration {
namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kPollInterval = std::chrono::milliseconds(20);

std::string join(const std::vector<std::string>& words) {
  std::string text;
  for (const auto& word : words) {
    text += (text.empty() ? "" : " ") + word;
  }
  return text;
}

int status_of(int wait_status) {
  if (WIFEXITED(wait_status)) {
    return WEXITSTATUS(wait_status);
  }
  if (WIFSIGNALED(wait_status)) {
    return kKilledBySignal + WTERMSIG(wait_status);
  }
  return -1;
}

// A file that exists only while the object does.
class TemporaryFile {
 public:
  explicit TemporaryFile(const char* suffix) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "ww-itest-cmd-XXXXXX").string() + suffix;
    const int fd = mkstemps(pattern.data(), static_cast<int>(std::strlen(suffix)));
    if (fd < 0) {
      throw std::runtime_error("mkstemps " + pattern + ": " + std::strerror(errno));
    }
    close(fd);
    path_ = pattern;
  }
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;
  ~TemporaryFile() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace

std::string read_text_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Process::Process(std::vector<std::string> argv, std::filesystem::path stdout_path,
                 std::filesystem::path stderr_path)
    : argv_(std::move(argv)),
      stdout_path_(std::move(stdout_path)),
      stderr_path_(std::move(stderr_path)) {
  if (argv_.empty()) {
    throw std::invalid_argument("Process: empty argv");
  }
  // Everything the child needs is prepared before fork(): after it, only async-signal-safe
  // calls.
  std::vector<char*> child_argv;
  for (auto& word : argv_) {
    child_argv.push_back(word.data());
  }
  child_argv.push_back(nullptr);
  const std::string out = stdout_path_.string();
  const std::string err = stderr_path_.string();

  const pid_t parent = getpid();
  pid_ = fork();
  if (pid_ < 0) {
    throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  }
  if (pid_ == 0) {
    setpgid(0, 0);
    // If the test process dies (a crash, a ctest timeout), its agent and receivers go too.
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent) {
      _exit(126);
    }
    const int null_fd = open("/dev/null", O_RDONLY);
    const int out_fd = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err_fd = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (null_fd < 0 || out_fd < 0 || err_fd < 0 || dup2(null_fd, STDIN_FILENO) < 0 ||
        dup2(out_fd, STDOUT_FILENO) < 0 || dup2(err_fd, STDERR_FILENO) < 0) {
      _exit(126);
    }
    execv(child_argv[0], child_argv.data());
    static const char kExecFailed[] = "exec failed\n";
    [[maybe_unused]] const ssize_t ignored =
        write(STDERR_FILENO, kExecFailed, sizeof kExecFailed - 1);
    _exit(127);
  }
  // Also from the parent, so a kill right after the constructor reaches the whole group.
  setpgid(pid_, pid_);
}

Process::Process(Process&& other) noexcept
    : argv_(std::move(other.argv_)),
      stdout_path_(std::move(other.stdout_path_)),
      stderr_path_(std::move(other.stderr_path_)),
      pid_(std::exchange(other.pid_, -1)),
      exit_status_(other.exit_status_) {}

Process::~Process() {
  if (pid_ > 0 && !exit_status_) {
    kill9();
  }
}

void Process::reap(int wait_status) { exit_status_ = status_of(wait_status); }

bool Process::running() {
  if (pid_ <= 0 || exit_status_) {
    return false;
  }
  int wait_status = 0;
  const pid_t done = waitpid(pid_, &wait_status, WNOHANG);
  if (done == pid_) {
    reap(wait_status);
    return false;
  }
  return done == 0;
}

std::optional<int> Process::wait_for_exit(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (running()) {
    if (Clock::now() >= deadline) {
      return std::nullopt;
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  return exit_status_;
}

void Process::send_signal(int signal) {
  if (pid_ > 0 && !exit_status_) {
    ::kill(-pid_, signal);  // the whole group: `ip netns exec` may have forked
    ::kill(pid_, signal);
  }
}

void Process::kill9() {
  if (pid_ <= 0 || exit_status_) {
    return;
  }
  send_signal(SIGKILL);
  int wait_status = 0;
  pid_t done;
  do {
    done = waitpid(pid_, &wait_status, 0);
  } while (done < 0 && errno == EINTR);
  if (done == pid_) {
    reap(wait_status);
  } else {
    exit_status_ = -1;
  }
}

std::string Process::stdout_text() const { return read_text_file(stdout_path_); }
std::string Process::stderr_text() const { return read_text_file(stderr_path_); }

std::string Process::describe() const {
  std::string text = "`" + join(argv_) + "`";
  if (exit_status_) {
    text += " (exit status " + std::to_string(*exit_status_) + ")";
  }
  return text + "\n--- stderr ---\n" + stderr_text();
}

std::string CommandResult::describe() const {
  return "`" + command + "` exited with " + std::to_string(exit_status) + "\n--- stdout ---\n" +
         out + "\n--- stderr ---\n" + err;
}

CommandResult run_command(const std::vector<std::string>& argv, std::chrono::milliseconds timeout) {
  const TemporaryFile out(".out");
  const TemporaryFile err(".err");
  CommandResult result;
  result.command = join(argv);
  {
    Process process(argv, out.path(), err.path());
    if (const auto status = process.wait_for_exit(timeout)) {
      result.exit_status = *status;
    } else {
      process.kill9();
      result.exit_status = process.exit_status().value_or(-1);
      result.err = "(killed after " + std::to_string(timeout.count()) + " ms)\n";
    }
  }
  result.out = read_text_file(out.path());
  result.err += read_text_file(err.path());
  return result;
}

}  // namespace westworld::integration

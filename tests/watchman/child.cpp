#include "child.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace westworld::watchman_test {
namespace {

std::string join(const std::vector<std::string>& words) {
  std::string text;
  for (const auto& w : words) text += (text.empty() ? "" : " ") + w;
  return text;
}

int exit_status(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return -1;
}

}  // namespace

Child::Child(std::vector<std::string> argv, std::filesystem::path out, std::filesystem::path err,
             std::filesystem::path stdin_path)
    : argv_(std::move(argv)), out_(std::move(out)), err_(std::move(err)) {
  // Everything the child touches is prepared before fork().
  std::vector<char*> args;
  for (auto& a : argv_) args.push_back(a.data());
  args.push_back(nullptr);
  const std::string out_text = out_.string(), err_text = err_.string(),
                    in_text = stdin_path.string();
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid_ == 0) {
    setpgid(0, 0);
    const int in = open(in_text.c_str(), O_RDONLY);
    const int o = open(out_text.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int e = open(err_text.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || o < 0 || e < 0 || dup2(in, 0) < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0) _exit(126);
    execv(args[0], args.data());
    _exit(127);
  }
  setpgid(pid_, pid_);
}

Child::~Child() { kill9(); }

bool Child::running() {
  if (pid_ <= 0 || status_) return false;
  int ws = 0;
  const pid_t done = waitpid(pid_, &ws, WNOHANG);
  if (done == pid_) status_ = exit_status(ws);
  return done == 0;
}

std::optional<int> Child::wait(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (running()) {
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return status_;
}

void Child::signal(int signo) {
  if (pid_ > 0 && !status_) {
    ::kill(-pid_, signo);  // the group: `ip netns exec` may have forked
    ::kill(pid_, signo);
  }
}

void Child::kill9() {
  if (pid_ <= 0 || status_) return;
  signal(SIGKILL);
  int ws = 0;
  pid_t done;
  do done = waitpid(pid_, &ws, 0);
  while (done < 0 && errno == EINTR);
  status_ = done == pid_ ? exit_status(ws) : -1;
}

std::string Child::out() const { return read_file(out_); }
std::string Child::err() const { return read_file(err_); }

std::string Child::describe() const {
  return "`" + join(argv_) + "`" + (status_ ? " (exit " + std::to_string(*status_) + ")" : "") +
         "\n--- stderr ---\n" + err();
}

std::string RunResult::describe() const {
  return "`" + command + "` exited " + std::to_string(status) + "\n--- stdout ---\n" + out +
         "\n--- stderr ---\n" + err;
}

RunResult run(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
              const std::filesystem::path& stdin_path) {
  char pattern[] = "/tmp/ww-watchman-run-XXXXXX";
  if (!mkdtemp(pattern)) throw std::runtime_error(std::string("mkdtemp: ") + std::strerror(errno));
  const std::filesystem::path dir = pattern;
  RunResult result;
  result.command = join(argv);
  {
    Child child(argv, dir / "out", dir / "err", stdin_path);
    if (auto status = child.wait(timeout)) {
      result.status = *status;
    } else {
      child.kill9();
      result.err = "(killed after " + std::to_string(timeout.count()) + " ms)\n";
    }
    result.out = child.out();
    result.err += child.err();
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  return result;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string tool(const std::string& name) {
  std::string search = std::getenv("PATH") ? std::getenv("PATH") : "";
  search += ":/usr/sbin:/sbin:/usr/bin:/bin";
  std::istringstream dirs(search);
  std::string dir;
  while (std::getline(dirs, dir, ':'))
    if (!dir.empty() && access((dir + "/" + name).c_str(), X_OK) == 0) return dir + "/" + name;
  return name;
}

}  // namespace westworld::watchman_test

// Child processes for the watchman tests, started with fork/exec (no shell,
// no quoting). A Child is killed (SIGKILL, its whole process group) when it
// goes out of scope; run() runs a command to completion and captures it.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace westworld::watchman_test {

class Child {
 public:
  // stdout and stderr go to the files; stdin comes from `stdin_path` (or /dev/null).
  Child(std::vector<std::string> argv, std::filesystem::path out, std::filesystem::path err,
        std::filesystem::path stdin_path = "/dev/null");
  Child(Child&&) = delete;
  ~Child();

  pid_t pid() const { return pid_; }
  bool running();
  // The exit status (128 + signal when killed), or nullopt if it still runs at the deadline.
  std::optional<int> wait(std::chrono::milliseconds timeout);
  void signal(int signo);
  void kill9();

  std::string out() const;
  std::string err() const;
  std::string describe() const;  // the command and its stderr, for failure messages

 private:
  std::vector<std::string> argv_;
  std::filesystem::path out_, err_;
  pid_t pid_ = -1;
  std::optional<int> status_;
};

struct RunResult {
  int status = -1;
  std::string out;
  std::string err;
  std::string command;
  bool ok() const { return status == 0; }
  std::string describe() const;
};

RunResult run(const std::vector<std::string>& argv,
              std::chrono::milliseconds timeout = std::chrono::seconds(60),
              const std::filesystem::path& stdin_path = "/dev/null");

std::string read_file(const std::filesystem::path& path);

// `name` found in $PATH, /usr/sbin or /sbin (a non-login root shell may lack them in $PATH).
std::string tool(const std::string& name);

}  // namespace westworld::watchman_test

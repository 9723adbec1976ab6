#include "westworld/harness/command.h"

#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "westworld/harness/text_file.h"

namespace westworld::harness {
namespace {

// A file that exists only while the object does.
class TemporaryFile {
 public:
  explicit TemporaryFile(const char* suffix) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "ww-cmd-XXXXXX").string() + suffix;
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

std::string CommandResult::describe() const {
  return "`" + command + "` exited with " + std::to_string(exit_status) + "\n--- stdout ---\n" +
         out + "\n--- stderr ---\n" + err;
}

CommandResult run_command(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                          const std::filesystem::path& stdin_path) {
  const TemporaryFile out(".out");
  const TemporaryFile err(".err");
  CommandResult result;
  result.command = join_words(argv);
  {
    ChildProcess process(argv, {out.path(), err.path(), stdin_path});
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

std::string run_checked(const std::vector<std::string>& argv, std::chrono::milliseconds timeout) {
  CommandResult result = run_command(argv, timeout);
  if (!result.ok()) {
    throw std::runtime_error("command failed: " + result.describe());
  }
  return std::move(result.out);
}

}  // namespace westworld::harness

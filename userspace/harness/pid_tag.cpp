#include "westworld/harness/pid_tag.h"

#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <regex>
#include <stdexcept>

namespace westworld::harness {
namespace {

bool process_exists(pid_t pid) { return ::kill(pid, 0) == 0 || errno != ESRCH; }

std::string regex_escaped(const std::string& text) {
  static const std::regex special(R"([.^$|()\[\]{}*+?\\])");
  return std::regex_replace(text, special, R"(\$&)");
}

}  // namespace

std::string pid_tagged(const std::string& stem) { return stem + std::to_string(getpid()); }

std::vector<std::filesystem::path> leftovers(const std::filesystem::path& directory,
                                             const std::string& stem) {
  const std::regex tagged(regex_escaped(stem) + R"((\d+)(-.*)?)");
  std::vector<std::filesystem::path> found;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
    const std::string name = entry.path().filename().string();
    std::smatch match;
    if (!std::regex_match(name, match, tagged)) {
      continue;
    }
    const pid_t owner = static_cast<pid_t>(std::stol(match[1].str()));
    if (owner == getpid() || !process_exists(owner)) {
      found.push_back(entry.path());
    }
  }
  return found;
}

void remove_leftovers(const std::filesystem::path& directory, const std::string& stem) {
  for (const auto& path : leftovers(directory, stem)) {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
}

std::filesystem::path make_tagged_directory(const std::string& stem) {
  std::string pattern =
      (std::filesystem::temp_directory_path() / (pid_tagged(stem) + "-XXXXXX")).string();
  if (mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("mkdtemp " + pattern + ": " + std::strerror(errno));
  }
  return pattern;
}

}  // namespace westworld::harness

// Helpers shared by the trust tests: scratch directories, hex, and running programs.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "westworld/audit/merkle.h"
#include "westworld/capability/bytes.h"

namespace westworld::trust_test {

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it.
class TempDir {
 public:
  TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

capability::Bytes unhex(const std::string& hex);  // aborts the test binary on bad input
audit::Hash hash_from_hex(const std::string& hex);

struct ProcessResult {
  int exit_code = -1;  // -1 when the program could not be run or died by a signal
  std::string out;
  std::string err;
};

// Runs argv[0] (searched in PATH when it has no slash) with no shell in between.
ProcessResult run_process(const std::vector<std::string>& argv, const std::string& stdin_text = {});

std::string read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, const std::string& content);

}  // namespace westworld::trust_test

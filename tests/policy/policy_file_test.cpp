// Reading policy files with bounded memory: `wwctl policy check /dev/zero` used to read
// until memory ran out.
#include "westworld/policy/policy_file.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "westworld/policy/limits.h"
#include "westworld/policy/loader.h"

namespace westworld::policy {
namespace {

namespace fs = std::filesystem;

class PolicyFile : public ::testing::Test {
 protected:
  void SetUp() override { fs::create_directories(dir_); }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& content) {
    const fs::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << content;
    return path.string();
  }

  // The message read_policy_file throws for `path`.
  static std::string refusal(const std::string& path) {
    try {
      read_policy_file(path);
    } catch (const PolicyFileError& e) {
      return e.what();
    }
    return "(read without an error)";
  }

  fs::path dir_ = fs::temp_directory_path() / ("ww-policy-file-" + std::to_string(::getpid()));
};

TEST_F(PolicyFile, ReadsARegularFileUpToTheLimit) {
  EXPECT_EQ(read_policy_file(write("small.yaml", "version: 1\n")), "version: 1\n");
  const std::string largest(kMaxPolicyBytes, '#');
  EXPECT_EQ(read_policy_file(write("largest.yaml", largest)).size(), kMaxPolicyBytes);
}

TEST_F(PolicyFile, RefusesALargerFileNamingIt) {
  const std::string path = write("large.yaml", std::string(kMaxPolicyBytes + 1, '#'));
  EXPECT_EQ(refusal(path), "cannot read " + path + ": larger than " +
                               std::to_string(kMaxPolicyBytes) +
                               " bytes, the limit for a policy file");
}

TEST_F(PolicyFile, RefusesDevicesDirectoriesAndMissingFiles) {
  EXPECT_EQ(refusal("/dev/zero"),
            "cannot read /dev/zero: not a regular file (devices and sockets are refused)");
  EXPECT_EQ(refusal(dir_.string()), "cannot read " + dir_.string() + ": Is a directory");
  EXPECT_EQ(refusal((dir_ / "missing.yaml").string()),
            "cannot read " + (dir_ / "missing.yaml").string() + ": No such file or directory");
}

TEST_F(PolicyFile, LoaderReportsTheRefusalAsADiagnostic) {
  const LoadResult result = load_policy_file("/dev/zero");
  EXPECT_FALSE(result.policy);
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].format(),
            "/dev/zero: error: cannot read /dev/zero: not a regular file (devices and sockets "
            "are refused)");
}

TEST_F(PolicyFile, PipesAreReadButOnlyUpToTheLimit) {
  // `wwctl policy check <(generate)` reads a pipe; an endless one stops at the limit.
  ::signal(SIGPIPE, SIG_IGN);
  int ends[2];
  ASSERT_EQ(::pipe(ends), 0);
  std::thread writer([fd = ends[1]] {
    const std::string chunk(1 << 16, '#');
    while (::write(fd, chunk.data(), chunk.size()) > 0) {
    }
    ::close(fd);
  });
  const std::string path = "/proc/self/fd/" + std::to_string(ends[0]);
  EXPECT_EQ(refusal(path), "cannot read " + path + ": larger than " +
                               std::to_string(kMaxPolicyBytes) +
                               " bytes, the limit for a policy file");
  ::close(ends[0]);  // the writer now fails with EPIPE and ends
  writer.join();

  ASSERT_EQ(::pipe(ends), 0);
  ASSERT_EQ(::write(ends[1], "version: 1\n", 11), 11);
  ::close(ends[1]);
  EXPECT_EQ(read_policy_file("/proc/self/fd/" + std::to_string(ends[0])), "version: 1\n");
  ::close(ends[0]);
}

}  // namespace
}  // namespace westworld::policy

// kill -9 in the middle of appends: every acknowledged entry survives and the log verifies.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <random>

#include "test_support.h"
#include "westworld/audit/audit_log.h"

namespace westworld::audit {
namespace {

AuditRecord record(std::uint64_t i) {
  return {"quarantine", {{"node", "node-" + std::to_string(i)}, {"reason", "crash test"}}};
}

// Appends forever, writing each acknowledged index to `ack_fd`. Never returns.
[[noreturn]] void append_until_killed(const std::filesystem::path& path, const NoteSigner& signer,
                                      int ack_fd) {
  try {
    AuditLog log = AuditLog::open(path, signer);
    while (true) {
      const std::uint64_t index = log.append(record(log.size()));
      if (::write(ack_fd, &index, sizeof index) != sizeof index) ::_exit(3);
    }
  } catch (...) {
    ::_exit(2);
  }
}

// Kills the appender after a random number of acknowledgements; returns the largest index
// acknowledged, including acks still sitting in the pipe when the child died.
std::optional<std::uint64_t> run_and_kill(const std::filesystem::path& path,
                                          const NoteSigner& signer, int acks_before_kill) {
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) return std::nullopt;
  const pid_t child = ::fork();
  if (child == 0) {
    ::close(pipe_fds[0]);
    append_until_killed(path, signer, pipe_fds[1]);
  }
  ::close(pipe_fds[1]);
  std::optional<std::uint64_t> largest;
  std::uint64_t index = 0;
  for (int seen = 0; seen < acks_before_kill; ++seen) {
    if (::read(pipe_fds[0], &index, sizeof index) != sizeof index) break;
    largest = index;
  }
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "the appender failed early";
  while (::read(pipe_fds[0], &index, sizeof index) == sizeof index) largest = index;
  ::close(pipe_fds[0]);
  return largest;
}

TEST(AuditCrash, KillNineDuringAppendsLosesNothingAcknowledged) {
  trust_test::TempDir dir;
  const auto path = dir / "audit.db";
  const NoteSigner signer = NoteSigner::generate("westworld.test/audit");
  std::mt19937 random(20240611);
  std::uint64_t acknowledged_total = 0;
  for (int round = 0; round < 6; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    const auto largest = run_and_kill(path, signer, 5 + static_cast<int>(random() % 40));
    ASSERT_TRUE(largest) << "no append was acknowledged";
    ASSERT_GE(*largest + 1, acknowledged_total);
    acknowledged_total = *largest + 1;

    AuditLog log = AuditLog::open(path, signer);
    const LogVerification result = log.verify();
    ASSERT_TRUE(result.ok) << result.reason;
    ASSERT_GE(log.size(), acknowledged_total);
    for (std::uint64_t i = 0; i < log.size(); ++i)
      ASSERT_EQ(nlohmann::json::parse(log.entry(i).leaf)["fields"]["node"],
                "node-" + std::to_string(i));
    const std::string checkpoint = log.checkpoint();
    ASSERT_TRUE(signer.verifier().open(checkpoint));
  }
}

}  // namespace
}  // namespace westworld::audit

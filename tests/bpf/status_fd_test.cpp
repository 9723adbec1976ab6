// Reading the status must not leak descriptors: every `wwctl status` and every agent status
// request runs it, so one leaked fd per call walks a long-lived agent into EMFILE (issue 8,
// finding 3: libxdp 1.3.1 kept the program fd of a legacy attachment open).
#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "guard_fixture.h"
#include "westworld/dataplane/attach.h"
#include "westworld/dataplane/status.h"
#include "westworld/dataplane/unique_fd.h"

namespace westworld::bpf_test {
namespace {

size_t open_fd_count() {
  size_t n = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd"))
    ++n;
  return n;
}

// Moves the calling thread into a fresh network namespace for its lifetime, so the test can
// attach to that namespace's own loopback without touching the host's interfaces. Leaving
// drops the last reference, and the namespace, with whatever was attached in it, goes away.
class PrivateNetns {
 public:
  PrivateNetns() : home_(::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC)) {
    if (!home_ || ::unshare(CLONE_NEWNET) != 0)
      throw std::runtime_error(std::string("cannot enter a new network namespace: ") +
                               std::strerror(errno));
  }
  ~PrivateNetns() { ::setns(home_.get(), CLONE_NEWNET); }
  PrivateNetns(const PrivateNetns&) = delete;
  PrivateNetns& operator=(const PrivateNetns&) = delete;

 private:
  dataplane::UniqueFd home_;
};

class StatusFdTest : public GuardTest {};

TEST_F(StatusFdTest, ReadingTheStatusOfAnAttachedGuardLeaksNoDescriptor) {
  PrivateNetns netns;
  const dataplane::Attachment attachment =
      dataplane::attach(guard(), "lo", dataplane::XdpMode::generic);

  // The first read may open what libbpf keeps for the process; count from the second.
  const dataplane::GuardStatus first = dataplane::read_guard_status(guard(), {});
  ASSERT_EQ(first.interfaces.size(), 1u);
  ASSERT_EQ(first.interfaces[0].xdp_attached, true)
      << "the status must look at the attachment for this test to mean anything";

  constexpr int kReads = 200;
  const size_t before = open_fd_count();
  for (int i = 0; i < kReads; ++i) dataplane::read_guard_status(guard(), {});
  EXPECT_EQ(open_fd_count(), before) << "descriptors leaked over " << kReads << " status reads";

  EXPECT_NE(dataplane::attached_guard_id(attachment.ifindex), 0u);
  dataplane::detach(guard(), attachment.ifindex);
  EXPECT_EQ(dataplane::attached_guard_id(attachment.ifindex), 0u);
}

}  // namespace
}  // namespace westworld::bpf_test

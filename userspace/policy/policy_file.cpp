#include "westworld/policy/policy_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "westworld/common/printable.h"
#include "westworld/policy/limits.h"

namespace westworld::policy {
namespace {

// Closes the descriptor however reading ends.
class OpenFile {
 public:
  explicit OpenFile(int fd) : fd_(fd) {}
  OpenFile(const OpenFile&) = delete;
  OpenFile& operator=(const OpenFile&) = delete;
  ~OpenFile() { ::close(fd_); }
  int get() const { return fd_; }

 private:
  int fd_;
};

[[noreturn]] void cannot_read(const std::string& path, const std::string& why) {
  throw PolicyFileError("cannot read " + common::printable(path) + ": " + why);
}

}  // namespace

std::string read_policy_file(const std::string& path) {
  // O_NONBLOCK: opening a FIFO without a writer must not hang before the type is known.
  const int raw = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (raw < 0) cannot_read(path, std::strerror(errno));
  OpenFile fd(raw);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) cannot_read(path, std::strerror(errno));
  if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode)) {
    cannot_read(path, S_ISDIR(st.st_mode) ? std::strerror(EISDIR)
                                          : "not a regular file (devices and sockets are refused)");
  }
  const int flags = ::fcntl(fd.get(), F_GETFL);
  if (flags < 0 || ::fcntl(fd.get(), F_SETFL, flags & ~O_NONBLOCK) != 0) {
    cannot_read(path, std::strerror(errno));
  }
  const std::string too_large =
      "larger than " + std::to_string(kMaxPolicyBytes) + " bytes, the limit for a policy file";
  if (S_ISREG(st.st_mode) && static_cast<size_t>(st.st_size) > kMaxPolicyBytes) {
    cannot_read(path, too_large);
  }
  // One byte past the limit tells a file of exactly the limit from a longer one (a pipe,
  // or a regular file that grew since fstat).
  std::string text;
  char buffer[1 << 16];
  while (text.size() <= kMaxPolicyBytes) {
    const ssize_t got = ::read(fd.get(), buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) cannot_read(path, std::strerror(errno));
    if (got == 0) return text;
    text.append(buffer, static_cast<size_t>(got));
  }
  cannot_read(path, too_large);
}

}  // namespace westworld::policy

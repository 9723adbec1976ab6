#include "westworld/capability/nonce_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

#include "westworld/capability/bytes.h"

namespace westworld::capability {
namespace {

constexpr size_t kLineLength = 2 * sizeof(ChangeNonce) + 1;

class FileLock {
 public:
  explicit FileLock(int fd) : fd_(fd) {
    while (::flock(fd_, LOCK_EX) != 0)
      if (errno != EINTR) throw std::runtime_error(std::string("flock: ") + std::strerror(errno));
  }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock() { ::flock(fd_, LOCK_UN); }

 private:
  int fd_;
};

std::runtime_error store_error(const std::filesystem::path& path, std::string_view what) {
  return std::runtime_error(path.string() + ": " + std::string(what) + ": " + std::strerror(errno));
}

}  // namespace

FileNonceStore::FileNonceStore(const std::filesystem::path& path) : path_(path) {
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd_ < 0) throw store_error(path, "cannot open the nonce store");
  try {
    FileLock lock(fd_);
    struct stat st {};
    if (::fstat(fd_, &st) != 0) throw store_error(path, "cannot stat the nonce store");
    // Whole lines only: cut a tail torn by a crash before anyone appends after it.
    const off_t whole = st.st_size - st.st_size % static_cast<off_t>(kLineLength);
    if (whole != st.st_size && ::ftruncate(fd_, whole) != 0)
      throw store_error(path, "cannot drop a torn line");
    read_new_lines();
  } catch (...) {
    ::close(fd_);
    throw;
  }
}

FileNonceStore::~FileNonceStore() {
  if (fd_ >= 0) ::close(fd_);
}

void FileNonceStore::read_new_lines() {
  std::string line(kLineLength, '\0');
  while (true) {
    const ssize_t n = ::pread(fd_, line.data(), kLineLength, static_cast<off_t>(read_offset_));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw store_error(path_, "cannot read the nonce store");
    if (static_cast<size_t>(n) < kLineLength) return;  // a line still being written
    const auto nonce = from_hex(std::string_view(line).substr(0, kLineLength - 1));
    if (line.back() != '\n' || !nonce)
      throw std::runtime_error(path_.string() + ": corrupt nonce store at byte " +
                               std::to_string(read_offset_));
    ChangeNonce value;
    std::copy(nonce->begin(), nonce->end(), value.begin());
    nonces_.insert(value);
    read_offset_ += kLineLength;
  }
}

bool FileNonceStore::seen(const ChangeNonce& nonce) {
  FileLock lock(fd_);
  read_new_lines();
  return nonces_.contains(nonce);
}

bool FileNonceStore::remember(const ChangeNonce& nonce) {
  FileLock lock(fd_);
  read_new_lines();
  if (nonces_.contains(nonce)) return false;
  const std::string line = to_hex(nonce) + "\n";
  if (::write(fd_, line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
    const auto error = store_error(path_, "cannot append to the nonce store");
    // Under the lock the file ended at read_offset_; keep it whole-lined for the next writer.
    [[maybe_unused]] const int ignored = ::ftruncate(fd_, static_cast<off_t>(read_offset_));
    throw error;
  }
  if (::fdatasync(fd_) != 0) throw store_error(path_, "cannot sync the nonce store");
  nonces_.insert(nonce);
  read_offset_ += line.size();
  return true;
}

}  // namespace westworld::capability

#include "westworld/capability/secret_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace westworld::capability {
namespace {

constexpr size_t kMaxSecretFileBytes = 64 * 1024;

std::runtime_error file_error(const std::filesystem::path& path, std::string_view what) {
  return std::runtime_error(path.string() + ": " + std::string(what) + ": " + std::strerror(errno));
}

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

void write_new_secret_file(const std::filesystem::path& path, std::string_view content) {
  FileDescriptor fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (fd.get() < 0) {
    if (errno == EEXIST)
      throw std::runtime_error(path.string() + ": already exists; refusing to overwrite a key");
    throw file_error(path, "cannot create");
  }
  // The umask could only make the mode stricter, but set it exactly so the reader accepts it.
  bool ok = ::fchmod(fd.get(), 0600) == 0;
  size_t written = 0;
  while (ok && written < content.size()) {
    ssize_t n = ::write(fd.get(), content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) written += static_cast<size_t>(n);
  }
  ok = ok && ::fsync(fd.get()) == 0;
  if (!ok) {
    const auto error = file_error(path, "cannot write");
    ::unlink(path.c_str());
    throw error;
  }
}

std::string read_secret_file(const std::filesystem::path& path) {
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) throw file_error(path, "cannot open");
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) throw file_error(path, "cannot stat");
  if (!S_ISREG(st.st_mode)) throw std::runtime_error(path.string() + ": not a regular file");
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    throw std::runtime_error(path.string() + ": key file has mode " + mode +
                             "; group and others must have no access (chmod 600)");
  }
  if (st.st_size > static_cast<off_t>(kMaxSecretFileBytes))
    throw std::runtime_error(path.string() + ": too large to be a key file");
  std::string content(static_cast<size_t>(st.st_size), '\0');
  size_t got = 0;
  while (got < content.size()) {
    ssize_t n = ::read(fd.get(), content.data() + got, content.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      wipe(content);
      throw file_error(path, "cannot read");
    }
    got += static_cast<size_t>(n);
  }
  return content;
}

RootKey generate_root_key() {
  RootKey key;
  random_bytes({key.data(), key.size()});
  return key;
}

void create_root_key_file(const std::filesystem::path& path, const RootKey& key) {
  std::string text = to_hex(key.view()) + "\n";
  try {
    write_new_secret_file(path, text);
  } catch (...) {
    wipe(text);
    throw;
  }
  wipe(text);
}

RootKey parse_root_key(std::string_view text) {
  if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  if (text.size() != 2 * RootKey::size())
    throw std::runtime_error("a root key is exactly 64 hex characters");
  auto bytes = from_hex(text);
  if (!bytes) throw std::runtime_error("a root key is exactly 64 hex characters");
  RootKey key(*bytes);
  sodium_memzero(bytes->data(), bytes->size());
  return key;
}

RootKey read_root_key_file(const std::filesystem::path& path) {
  std::string text = read_secret_file(path);
  try {
    RootKey key = parse_root_key(text);
    wipe(text);
    return key;
  } catch (const std::exception& e) {
    wipe(text);
    throw std::runtime_error(path.string() + ": " + e.what());
  }
}

Ed25519KeyPair read_peer_key(const std::filesystem::path& path) {
  std::string text = read_secret_file(path);
  std::string_view hex(text);
  if (!hex.empty() && hex.back() == '\n') hex.remove_suffix(1);
  auto seed = hex.size() == 64 ? from_hex(hex) : std::nullopt;
  wipe(text);
  if (!seed) throw std::runtime_error(path.string() + ": a peer key is exactly 64 hex characters");
  Ed25519KeyPair key = Ed25519KeyPair::from_seed(*seed);
  sodium_memzero(seed->data(), seed->size());
  return key;
}

}  // namespace westworld::capability

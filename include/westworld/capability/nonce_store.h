// Remembers the nonces of accepted changes so a signed change cannot be replayed.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <set>

namespace westworld::capability {

using ChangeNonce = std::array<std::uint8_t, 32>;

class NonceStore {
 public:
  virtual ~NonceStore() = default;
  virtual bool seen(const ChangeNonce& nonce) = 0;
  // Records `nonce` durably; false when it was already recorded (by anyone).
  virtual bool remember(const ChangeNonce& nonce) = 0;
};

class MemoryNonceStore final : public NonceStore {
 public:
  bool seen(const ChangeNonce& nonce) override { return nonces_.contains(nonce); }
  bool remember(const ChangeNonce& nonce) override { return nonces_.insert(nonce).second; }

 private:
  std::set<ChangeNonce> nonces_;
};

// One lowercase hex nonce per line, appended and fsynced before remember() returns.
// Several processes may share the file: appends happen under an exclusive flock after
// reading what others appended. A line torn by a crash is dropped when the file is opened;
// it was never acknowledged.
class FileNonceStore final : public NonceStore {
 public:
  explicit FileNonceStore(const std::filesystem::path& path);
  FileNonceStore(const FileNonceStore&) = delete;
  FileNonceStore& operator=(const FileNonceStore&) = delete;
  ~FileNonceStore() override;

  bool seen(const ChangeNonce& nonce) override;
  bool remember(const ChangeNonce& nonce) override;

 private:
  void read_new_lines();

  std::filesystem::path path_;
  int fd_ = -1;
  std::uint64_t read_offset_ = 0;
  std::set<ChangeNonce> nonces_;
};

}  // namespace westworld::capability

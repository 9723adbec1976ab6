// Key material lives here, never in std::string or std::vector: the bytes are in
// sodium_malloc memory (guard pages, mlock'd so they are not swapped out) and are wiped
// when the buffer goes away.
#pragma once

#include <cstddef>
#include <cstdint>

#include "westworld/capability/bytes.h"

namespace westworld::vault {

class SecretBuffer {
 public:
  // Zero-filled; throws std::bad_alloc when libsodium cannot allocate.
  explicit SecretBuffer(std::size_t size);
  static SecretBuffer copy_of(capability::ByteView bytes);
  SecretBuffer(SecretBuffer&& other) noexcept;
  SecretBuffer& operator=(SecretBuffer&& other) noexcept;
  SecretBuffer(const SecretBuffer&) = delete;  // copies of keys are explicit (copy_of)
  SecretBuffer& operator=(const SecretBuffer&) = delete;
  ~SecretBuffer();  // sodium_free wipes before unmapping

  std::uint8_t* data() { return data_; }
  const std::uint8_t* data() const { return data_; }
  std::size_t size() const { return size_; }
  capability::ByteView view() const { return {data_, size_}; }
  // Forgets bytes beyond `size` (wiping them); used when the final length is known late.
  void shrink(std::size_t size);

 private:
  std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace westworld::vault

#include "westworld/vault/secret_buffer.h"

#include <sodium.h>

#include <algorithm>
#include <new>
#include <utility>

#include "westworld/capability/crypto.h"

namespace westworld::vault {

SecretBuffer::SecretBuffer(std::size_t size)
    : size_(size), capacity_(std::max<std::size_t>(size, 1)) {
  capability::ensure_sodium();
  // sodium_malloc also mlock()s the pages (best effort) and surrounds them with guard pages.
  data_ = static_cast<std::uint8_t*>(sodium_malloc(capacity_));
  if (data_ == nullptr) throw std::bad_alloc();
  sodium_memzero(data_, capacity_);
}

SecretBuffer SecretBuffer::copy_of(capability::ByteView bytes) {
  SecretBuffer out(bytes.size());
  std::copy(bytes.begin(), bytes.end(), out.data());
  return out;
}

SecretBuffer::SecretBuffer(SecretBuffer&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      capacity_(std::exchange(other.capacity_, 0)) {}

SecretBuffer& SecretBuffer::operator=(SecretBuffer&& other) noexcept {
  if (this != &other) {
    if (data_ != nullptr) sodium_free(data_);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    capacity_ = std::exchange(other.capacity_, 0);
  }
  return *this;
}

SecretBuffer::~SecretBuffer() {
  if (data_ != nullptr) sodium_free(data_);  // zeroes, munlocks and unmaps
}

void SecretBuffer::shrink(std::size_t size) {
  if (size >= size_) return;
  sodium_memzero(data_ + size, size_ - size);
  size_ = size;
}

}  // namespace westworld::vault

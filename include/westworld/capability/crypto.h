// Thin, typed wrappers over the libsodium primitives the trust layer uses.
#pragma once

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>

#include "westworld/capability/bytes.h"

namespace westworld::capability {

using Digest = std::array<std::uint8_t, 32>;

// Initialises libsodium once; every wrapper calls it, so callers never have to.
void ensure_sodium();

Digest sha256(ByteView data);

// Incremental SHA-256 for digests over several fields.
class Sha256 {
 public:
  Sha256();
  Sha256& update(ByteView data);
  Sha256& update_u32_be(std::uint32_t value);
  Sha256& update_u64_be(std::uint64_t value);
  // Length-prefixed so adjacent variable-length fields cannot be re-split.
  Sha256& update_framed(ByteView data);
  Digest finish();

 private:
  crypto_hash_sha256_state state_;
};

// HMAC-SHA256 with a key of any length (macaroon keys are not always 32 bytes).
Digest hmac_sha256(ByteView key, ByteView data);

void random_bytes(std::span<std::uint8_t> out);

bool constant_time_equal(ByteView a, ByteView b);

// Fixed-size secret that wipes itself when it goes away.
template <std::size_t N>
class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(ByteView source) {
    if (source.size() != N) throw std::invalid_argument("secret has the wrong length");
    std::copy(source.begin(), source.end(), bytes_.begin());
  }
  SecretBytes(const SecretBytes&) = default;
  SecretBytes& operator=(const SecretBytes&) = default;
  ~SecretBytes() { sodium_memzero(bytes_.data(), N); }

  std::uint8_t* data() { return bytes_.data(); }
  const std::uint8_t* data() const { return bytes_.data(); }
  static constexpr std::size_t size() { return N; }
  ByteView view() const { return {bytes_.data(), N}; }

 private:
  std::array<std::uint8_t, N> bytes_{};
};

// Wipes a string that held secret text (a key file's contents).
void wipe(std::string& text);

}  // namespace westworld::capability

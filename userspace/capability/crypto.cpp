#include "westworld/capability/crypto.h"

namespace westworld::capability {

void ensure_sodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) throw std::runtime_error("libsodium failed to initialise");
}

Digest sha256(ByteView data) {
  ensure_sodium();
  Digest out;
  crypto_hash_sha256(out.data(), data.data(), data.size());
  return out;
}

Sha256::Sha256() {
  ensure_sodium();
  crypto_hash_sha256_init(&state_);
}

Sha256& Sha256::update(ByteView data) {
  crypto_hash_sha256_update(&state_, data.data(), data.size());
  return *this;
}

Sha256& Sha256::update_u32_be(std::uint32_t value) {
  const std::uint8_t be[4] = {
      static_cast<std::uint8_t>(value >> 24), static_cast<std::uint8_t>(value >> 16),
      static_cast<std::uint8_t>(value >> 8), static_cast<std::uint8_t>(value)};
  return update(be);
}

Sha256& Sha256::update_u64_be(std::uint64_t value) {
  update_u32_be(static_cast<std::uint32_t>(value >> 32));
  return update_u32_be(static_cast<std::uint32_t>(value));
}

Sha256& Sha256::update_framed(ByteView data) {
  if (data.size() > UINT32_MAX) throw std::length_error("field too long to hash");
  update_u32_be(static_cast<std::uint32_t>(data.size()));
  return update(data);
}

Digest Sha256::finish() {
  Digest out;
  crypto_hash_sha256_final(&state_, out.data());
  sodium_memzero(&state_, sizeof state_);
  return out;
}

Digest hmac_sha256(ByteView key, ByteView data) {
  ensure_sodium();
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, key.data(), key.size());
  crypto_auth_hmacsha256_update(&state, data.data(), data.size());
  Digest out;
  crypto_auth_hmacsha256_final(&state, out.data());
  sodium_memzero(&state, sizeof state);  // the state is keyed
  return out;
}

void random_bytes(std::span<std::uint8_t> out) {
  ensure_sodium();
  randombytes_buf(out.data(), out.size());
}

bool constant_time_equal(ByteView a, ByteView b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

void wipe(std::string& text) {
  sodium_memzero(text.data(), text.size());
  text.clear();
}

}  // namespace westworld::capability

#include "westworld/vault/item_cipher.h"

#include <sodium.h>

#include "westworld/capability/crypto.h"

namespace westworld::vault {
namespace {

using capability::Bytes;
using capability::ByteView;

constexpr std::size_t kHeader = crypto_secretstream_xchacha20poly1305_HEADERBYTES;
constexpr std::size_t kOverhead = crypto_secretstream_xchacha20poly1305_ABYTES;
constexpr std::size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;

void check_key(const SecretBuffer& key) {
  if (key.size() != kKeyBytes) throw std::invalid_argument("an item key is 32 bytes");
}

}  // namespace

SecretBuffer random_key() {
  capability::ensure_sodium();
  SecretBuffer key(kKeyBytes);
  randombytes_buf(key.data(), key.size());
  return key;
}

Bytes item_binding(std::string_view item, std::uint32_t version) {
  Bytes out = capability::to_bytes("westworld-vault item v1\n");
  out.insert(out.end(), item.begin(), item.end());
  out.push_back('\n');
  const std::string v = std::to_string(version);
  out.insert(out.end(), v.begin(), v.end());
  return out;
}

Bytes encrypt_blob(const SecretBuffer& key, ByteView plaintext, ByteView associated) {
  check_key(key);
  crypto_secretstream_xchacha20poly1305_state state;
  const std::size_t chunks = plaintext.size() / kStreamChunkBytes + 1;  // last may be empty
  Bytes out(kHeader + plaintext.size() + chunks * kOverhead);
  crypto_secretstream_xchacha20poly1305_init_push(&state, out.data(), key.data());
  std::size_t in_at = 0, out_at = kHeader;
  for (std::size_t c = 0; c < chunks; ++c) {
    const std::size_t n = std::min(kStreamChunkBytes, plaintext.size() - in_at);
    const bool last = c + 1 == chunks;
    unsigned long long written = 0;
    crypto_secretstream_xchacha20poly1305_push(
        &state, out.data() + out_at, &written, plaintext.data() + in_at, n, associated.data(),
        associated.size(),
        last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
             : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
    in_at += n;
    out_at += static_cast<std::size_t>(written);
  }
  sodium_memzero(&state, sizeof state);
  return out;
}

SecretBuffer decrypt_blob(const SecretBuffer& key, ByteView ciphertext, ByteView associated) {
  check_key(key);
  if (ciphertext.size() < kHeader + kOverhead) throw DecryptionError("ciphertext is truncated");
  crypto_secretstream_xchacha20poly1305_state state;
  if (crypto_secretstream_xchacha20poly1305_init_pull(&state, ciphertext.data(), key.data()) != 0)
    throw DecryptionError("bad stream header");
  SecretBuffer out(ciphertext.size());
  std::size_t in_at = kHeader, out_at = 0, chunk = 0;
  bool final_seen = false;
  while (in_at < ciphertext.size()) {
    if (final_seen) throw DecryptionError("data after the final chunk");
    const std::size_t n = std::min(kStreamChunkBytes + kOverhead, ciphertext.size() - in_at);
    if (n < kOverhead) throw DecryptionError("chunk " + std::to_string(chunk) + " is truncated");
    unsigned long long written = 0;
    unsigned char tag = 0;
    if (crypto_secretstream_xchacha20poly1305_pull(&state, out.data() + out_at, &written, &tag,
                                                   ciphertext.data() + in_at, n, associated.data(),
                                                   associated.size()) != 0) {
      sodium_memzero(&state, sizeof state);
      throw DecryptionError("chunk " + std::to_string(chunk) +
                            " fails authentication (altered, reordered or another key)");
    }
    final_seen = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
    in_at += n;
    out_at += static_cast<std::size_t>(written);
    ++chunk;
  }
  sodium_memzero(&state, sizeof state);
  if (!final_seen) throw DecryptionError("truncated: the final chunk is missing");
  out.shrink(out_at);
  return out;
}

Bytes encrypt_record(const SecretBuffer& key, ByteView plaintext, ByteView associated) {
  check_key(key);
  Bytes out(kNonce + plaintext.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES);
  randombytes_buf(out.data(), kNonce);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(out.data() + kNonce, &written, plaintext.data(),
                                             plaintext.size(), associated.data(), associated.size(),
                                             nullptr, out.data(), key.data());
  out.resize(kNonce + static_cast<std::size_t>(written));
  return out;
}

SecretBuffer decrypt_record(const SecretBuffer& key, ByteView record, ByteView associated) {
  check_key(key);
  if (record.size() < kNonce + crypto_aead_xchacha20poly1305_ietf_ABYTES)
    throw DecryptionError("record is truncated");
  SecretBuffer out(record.size() - kNonce - crypto_aead_xchacha20poly1305_ietf_ABYTES);
  unsigned long long written = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          out.data(), &written, nullptr, record.data() + kNonce, record.size() - kNonce,
          associated.data(), associated.size(), record.data(), key.data()) != 0)
    throw DecryptionError("record fails authentication (altered, moved or another key)");
  return out;
}

}  // namespace westworld::vault

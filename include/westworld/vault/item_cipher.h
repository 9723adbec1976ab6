// Item content encryption. Each item has its own random 32-byte data key.
//   - content (a blob): crypto_secretstream_xchacha20poly1305 in 64 KiB chunks, the last
//     tagged FINAL, the item id and version as every chunk's associated data; a missing,
//     extra, reordered or altered chunk fails to decrypt.
//   - the wrapped data key (a record): crypto_aead_xchacha20poly1305_ietf with a random
//     nonce and the item id and version as associated data, so a wrapped key copied to
//     another item or version does not open.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "westworld/capability/bytes.h"
#include "westworld/vault/secret_buffer.h"

namespace westworld::vault {

class DecryptionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

inline constexpr std::size_t kKeyBytes = 32;
inline constexpr std::size_t kStreamChunkBytes = 64 * 1024;

SecretBuffer random_key();
// The associated data binding ciphertexts to (item id, version).
capability::Bytes item_binding(std::string_view item, std::uint32_t version);

capability::Bytes encrypt_blob(const SecretBuffer& key, capability::ByteView plaintext,
                               capability::ByteView associated);
// Throws DecryptionError naming the failing chunk, or "truncated" when FINAL never came.
SecretBuffer decrypt_blob(const SecretBuffer& key, capability::ByteView ciphertext,
                          capability::ByteView associated);

capability::Bytes encrypt_record(const SecretBuffer& key, capability::ByteView plaintext,
                                 capability::ByteView associated);  // nonce || ciphertext
SecretBuffer decrypt_record(const SecretBuffer& key, capability::ByteView record,
                            capability::ByteView associated);

}  // namespace westworld::vault

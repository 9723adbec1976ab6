#include "subject_cipher.h"

#include <sodium.h>

#include <stdexcept>

#include "westworld/capability/crypto.h"

namespace westworld::audit {
namespace {

// What a sealed value is bound to: moving it to another entry or field fails to open.
std::string associated_data(std::uint64_t index, std::string_view field) {
  return "westworld audit personal v1\n" + std::to_string(index) + "\n" + std::string(field);
}

}  // namespace

capability::Bytes subject_tag(capability::ByteView tag_key, std::string_view subject) {
  capability::ensure_sodium();
  capability::Bytes tag(crypto_generichash_BYTES);
  crypto_generichash(tag.data(), tag.size(), reinterpret_cast<const unsigned char*>(subject.data()),
                     subject.size(), tag_key.data(), tag_key.size());
  return tag;
}

SealedValue seal_personal(capability::ByteView key, std::uint64_t index, std::string_view field,
                          std::string_view value) {
  capability::ensure_sodium();
  if (key.size() != crypto_aead_xchacha20poly1305_ietf_KEYBYTES)
    throw std::invalid_argument("a subject key is 32 bytes");
  SealedValue sealed{capability::Bytes(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES),
                     capability::Bytes(value.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES)};
  randombytes_buf(sealed.nonce.data(), sealed.nonce.size());
  const std::string ad = associated_data(index, field);
  unsigned long long length = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      sealed.ciphertext.data(), &length, reinterpret_cast<const unsigned char*>(value.data()),
      value.size(), reinterpret_cast<const unsigned char*>(ad.data()), ad.size(), nullptr,
      sealed.nonce.data(), key.data());
  sealed.ciphertext.resize(length);
  return sealed;
}

std::optional<std::string> open_personal(capability::ByteView key, std::uint64_t index,
                                         std::string_view field, const SealedValue& sealed) {
  capability::ensure_sodium();
  if (key.size() != crypto_aead_xchacha20poly1305_ietf_KEYBYTES ||
      sealed.nonce.size() != crypto_aead_xchacha20poly1305_ietf_NPUBBYTES ||
      sealed.ciphertext.size() < crypto_aead_xchacha20poly1305_ietf_ABYTES)
    return std::nullopt;
  std::string value(sealed.ciphertext.size() - crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  const std::string ad = associated_data(index, field);
  unsigned long long length = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(value.data()),
                                                 &length, nullptr, sealed.ciphertext.data(),
                                                 sealed.ciphertext.size(),
                                                 reinterpret_cast<const unsigned char*>(ad.data()),
                                                 ad.size(), sealed.nonce.data(), key.data()) != 0)
    return std::nullopt;
  value.resize(length);
  return value;
}

}  // namespace westworld::audit

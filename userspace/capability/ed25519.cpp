#include "westworld/capability/ed25519.h"

#include <stdexcept>

namespace westworld::capability {

Ed25519KeyPair Ed25519KeyPair::generate() {
  ensure_sodium();
  Ed25519KeyPair pair;
  crypto_sign_ed25519_keypair(pair.public_key_.data(), pair.secret_key_.data());
  return pair;
}

Ed25519KeyPair Ed25519KeyPair::from_seed(ByteView seed) {
  if (seed.size() != crypto_sign_ed25519_SEEDBYTES)
    throw std::invalid_argument("an Ed25519 seed is 32 bytes");
  ensure_sodium();
  Ed25519KeyPair pair;
  crypto_sign_ed25519_seed_keypair(pair.public_key_.data(), pair.secret_key_.data(), seed.data());
  return pair;
}

SecretBytes<32> Ed25519KeyPair::seed() const {
  SecretBytes<32> out;
  crypto_sign_ed25519_sk_to_seed(out.data(), secret_key_.data());
  return out;
}

Ed25519Signature Ed25519KeyPair::sign(ByteView message) const {
  Ed25519Signature signature;
  crypto_sign_ed25519_detached(signature.data(), nullptr, message.data(), message.size(),
                               secret_key_.data());
  return signature;
}

std::optional<PublicKey> parse_ed25519_public_key(std::string_view base64) {
  ensure_sodium();
  auto key = fixed_bytes<32>(from_base64(base64));
  if (!key || crypto_core_ed25519_is_valid_point(key->data()) != 1) return std::nullopt;
  return key;
}

bool ed25519_verify(ByteView message, const Ed25519Signature& signature, const PublicKey& key) {
  ensure_sodium();
  return crypto_sign_ed25519_verify_detached(signature.data(), message.data(), message.size(),
                                             key.data()) == 0;
}

}  // namespace westworld::capability

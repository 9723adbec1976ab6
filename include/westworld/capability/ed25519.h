// Ed25519 keys and signatures (peer approvals, audit checkpoints).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "westworld/capability/bytes.h"
#include "westworld/capability/crypto.h"

namespace westworld::capability {

using PublicKey = std::array<std::uint8_t, 32>;
using Ed25519Signature = std::array<std::uint8_t, 64>;

class Ed25519KeyPair {
 public:
  static Ed25519KeyPair generate();
  // The 32-byte seed is the portable form of the private key (C2SP and Go store it).
  static Ed25519KeyPair from_seed(ByteView seed);

  const PublicKey& public_key() const { return public_key_; }
  SecretBytes<32> seed() const;
  Ed25519Signature sign(ByteView message) const;

 private:
  Ed25519KeyPair() = default;
  PublicKey public_key_{};
  SecretBytes<64> secret_key_;
};

bool ed25519_verify(ByteView message, const Ed25519Signature& signature, const PublicKey& key);

// A public key as the peers, operators and members files write it (standard base64 of 32
// bytes). It must be a valid Ed25519 point: libsodium rejects every signature by any other
// "key", so such a line can only be a mistake.
std::optional<PublicKey> parse_ed25519_public_key(std::string_view base64);

}  // namespace westworld::capability

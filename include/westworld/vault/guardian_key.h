// A guardian's key: one Ed25519 key pair. It signs (votes, share releases) and, converted
// with crypto_sign_ed25519_{pk,sk}_to_curve25519, opens the X25519 sealed boxes its
// shares arrive in. One key, so the guardians file carries one public key per guardian and
// a guardian has one file to protect; the conversion is libsodium's documented way to use
// an Ed25519 key for encryption (the two uses never share a message format).
//
// Key file (0600): "westworld-vault-guardian-v1 ID BASE64(seed)\n".
#pragma once

#include <array>
#include <filesystem>
#include <string>
#include <string_view>

#include "westworld/capability/ed25519.h"
#include "westworld/vault/secret_buffer.h"

namespace westworld::vault {

using BoxPublicKey = std::array<std::uint8_t, 32>;  // X25519

// Guardian ids: 1-64 of [A-Za-z0-9._@-], so they fit on a line and in a file name.
bool is_valid_guardian_id(std::string_view id);

struct GuardianPublic {
  std::string id;
  capability::PublicKey sign_key{};  // Ed25519
};

// The X25519 key a guardian's shares are sealed to; throws for a key that does not convert.
BoxPublicKey box_public_of(const capability::PublicKey& sign_key);

class GuardianKey {
 public:
  static GuardianKey generate(std::string id);
  // Reads a key file (refused unless 0600); errors name the file.
  static GuardianKey load(const std::filesystem::path& path);
  // Writes a new 0600 file; refuses to replace one.
  void save_new(const std::filesystem::path& path) const;

  const std::string& id() const { return id_; }
  GuardianPublic public_info() const { return {id_, pair_.public_key()}; }
  capability::Ed25519Signature sign(capability::ByteView message) const {
    return pair_.sign(message);
  }
  // Opens a crypto_box_seal box addressed to this guardian; nothing when it fails.
  std::optional<SecretBuffer> open_sealed(capability::ByteView sealed) const;

 private:
  GuardianKey(std::string id, capability::Ed25519KeyPair pair);
  std::string id_;
  capability::Ed25519KeyPair pair_;
};

// "ID BASE64-PUBLIC-KEY", the guardians-file line.
std::string guardian_line(const GuardianPublic& guardian);

}  // namespace westworld::vault

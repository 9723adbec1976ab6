// C2SP signed notes (c2sp.org/signed-note) with Ed25519 keys:
//   note      = text, "\n", then one line per signature: "— NAME BASE64(keyid || sig)\n"
//   keyid     = first 4 bytes of SHA-256(NAME || "\n" || 0x01 || public key)
//   vkey      = NAME+KEYID_HEX+BASE64(0x01 || public key)
//   signer key (as Go's golang.org/x/mod/sumdb/note stores it)
//             = PRIVATE+KEY+NAME+KEYID_HEX+BASE64(0x01 || seed)
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "westworld/capability/ed25519.h"

namespace westworld::audit {

using KeyId = std::array<std::uint8_t, 4>;

KeyId note_key_id(std::string_view name, const capability::PublicKey& key);
// Names are non-empty and contain no '+' and no whitespace (they appear in the key strings).
bool is_valid_key_name(std::string_view name);

class NoteVerifier {
 public:
  NoteVerifier(std::string name, const capability::PublicKey& key);
  static std::optional<NoteVerifier> parse(std::string_view vkey);

  const std::string& name() const { return name_; }
  const capability::PublicKey& key() const { return key_; }
  KeyId key_id() const { return note_key_id(name_, key_); }
  std::string vkey() const;

  // The note's text when the note carries a valid signature by this key; other signers'
  // lines are ignored, as the spec requires.
  std::optional<std::string> open(std::string_view note) const;

 private:
  std::string name_;
  capability::PublicKey key_;
};

class NoteSigner {
 public:
  NoteSigner(std::string name, capability::Ed25519KeyPair key);
  static NoteSigner generate(std::string name);
  static NoteSigner parse(std::string_view private_key);  // throws std::invalid_argument

  const std::string& name() const { return name_; }
  NoteVerifier verifier() const { return NoteVerifier(name_, key_.public_key()); }
  std::string private_key() const;

  // `text` must end with a newline; returns the complete signed note.
  std::string sign(std::string_view text) const;

 private:
  std::string name_;
  capability::Ed25519KeyPair key_;
};

// The signer's key file (`wwctl audit keygen`, or the agent's first start): read with the
// secret-file checks (mode 0600), parsed, the text wiped; errors name the file.
NoteSigner read_signer_file(const std::filesystem::path& path);
// Writes a new key file (mode 0600; refuses to overwrite), wiping the text after.
void write_new_signer_file(const std::filesystem::path& path, const NoteSigner& signer);

}  // namespace westworld::audit

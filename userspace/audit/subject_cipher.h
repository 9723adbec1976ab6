// Crypto-shredding of the audit log's personal data. Each data subject (the value of a
// personal field: a person's id) has its own random key; the value is stored only sealed
// under it (XChaCha20-Poly1305, bound to its entry and field), found by a keyed tag rather
// than by the plain id. Destroying the key erases the subject everywhere at once, copies and
// backups of the file included, while the salted commitments in the tree stay as they were.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "westworld/capability/bytes.h"

namespace westworld::audit {

inline constexpr std::size_t kSubjectKeyBytes = 32;

// The lookup tag of a subject: BLAKE2b-256 keyed with the log's own tag key, so the file does
// not list subjects in the clear and a tag from one log says nothing about another.
capability::Bytes subject_tag(capability::ByteView tag_key, std::string_view subject);

struct SealedValue {
  capability::Bytes nonce;
  capability::Bytes ciphertext;
};

SealedValue seal_personal(capability::ByteView key, std::uint64_t index, std::string_view field,
                          std::string_view value);
// Nothing when the ciphertext was not sealed with this key for this entry and field.
std::optional<std::string> open_personal(capability::ByteView key, std::uint64_t index,
                                         std::string_view field, const SealedValue& sealed);

}  // namespace westworld::audit

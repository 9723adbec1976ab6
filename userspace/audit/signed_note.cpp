#include "westworld/audit/signed_note.h"

#include <stdexcept>

#include "westworld/capability/bytes.h"
#include "westworld/capability/crypto.h"
#include "westworld/capability/secret_file.h"

namespace westworld::audit {
namespace {

using capability::Bytes;
using capability::ByteView;

constexpr std::uint8_t kEd25519Algorithm = 0x01;
constexpr std::string_view kSignaturePrefix = "\xE2\x80\x94 ";  // U+2014 EM DASH, space
constexpr std::string_view kPrivateKeyPrefix = "PRIVATE+KEY+";

Bytes with_algorithm(ByteView key) {
  Bytes out(1 + key.size());
  out[0] = kEd25519Algorithm;
  std::copy(key.begin(), key.end(), out.begin() + 1);
  return out;
}

std::string key_id_hex(const KeyId& id) { return capability::to_hex(id); }

std::optional<KeyId> parse_key_id(std::string_view hex) {
  const auto bytes = hex.size() == 8 ? capability::from_hex(hex) : std::nullopt;
  if (!bytes) return std::nullopt;
  KeyId id{};
  std::copy(bytes->begin(), bytes->end(), id.begin());
  return id;
}

// NAME+KEYID+BASE64 -> its three parts; NAME may not contain '+', so the split is unique.
struct KeyString {
  std::string_view name, id, data;
};
std::optional<KeyString> split_key(std::string_view text) {
  const size_t first = text.find('+');
  if (first == std::string_view::npos) return std::nullopt;
  const size_t second = text.find('+', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  return KeyString{text.substr(0, first), text.substr(first + 1, second - first - 1),
                   text.substr(second + 1)};
}

// Decodes BASE64(0x01 || 32 bytes) and checks the key id it claims.
std::optional<Bytes> key_material(const KeyString& parts) {
  if (!is_valid_key_name(parts.name) || !parse_key_id(parts.id)) return std::nullopt;
  auto data = capability::from_base64(parts.data);
  if (!data || data->size() != 33 || data->front() != kEd25519Algorithm) return std::nullopt;
  data->erase(data->begin());
  return data;
}

}  // namespace

KeyId note_key_id(std::string_view name, const capability::PublicKey& key) {
  const std::uint8_t newline = '\n';
  const Bytes alg_key = with_algorithm(key);
  const capability::Digest digest = capability::Sha256()
                                        .update(capability::as_bytes(name))
                                        .update({&newline, 1})
                                        .update(alg_key)
                                        .finish();
  return {digest[0], digest[1], digest[2], digest[3]};
}

bool is_valid_key_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name)
    if (c == '+' || static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
  return true;
}

NoteVerifier::NoteVerifier(std::string name, const capability::PublicKey& key)
    : name_(std::move(name)), key_(key) {
  if (!is_valid_key_name(name_)) throw std::invalid_argument("invalid note key name");
}

std::optional<NoteVerifier> NoteVerifier::parse(std::string_view vkey) {
  const auto parts = split_key(vkey);
  if (!parts) return std::nullopt;
  const auto key_bytes = key_material(*parts);
  if (!key_bytes) return std::nullopt;
  capability::PublicKey key;
  std::copy(key_bytes->begin(), key_bytes->end(), key.begin());
  if (parse_key_id(parts->id) != note_key_id(parts->name, key)) return std::nullopt;
  return NoteVerifier(std::string(parts->name), key);
}

std::string NoteVerifier::vkey() const {
  return name_ + "+" + key_id_hex(key_id()) + "+" + capability::to_base64(with_algorithm(key_));
}

std::optional<std::string> NoteVerifier::open(std::string_view note) const {
  // The text ends at the first blank line; it is everything before it plus one newline.
  const size_t blank = note.find("\n\n");
  if (blank == std::string_view::npos || note.back() != '\n') return std::nullopt;
  const std::string_view text = note.substr(0, blank + 1);
  std::string_view signatures = note.substr(blank + 2);
  const KeyId want_id = key_id();
  if (signatures.empty()) return std::nullopt;
  while (!signatures.empty()) {
    const size_t end = signatures.find('\n');
    const std::string_view line = signatures.substr(0, end);
    signatures.remove_prefix(end + 1);
    if (!line.starts_with(kSignaturePrefix)) return std::nullopt;  // malformed note
    const std::string_view rest = line.substr(kSignaturePrefix.size());
    const size_t space = rest.find(' ');
    if (space == std::string_view::npos) return std::nullopt;
    if (rest.substr(0, space) != name_) continue;
    const auto blob = capability::from_base64(rest.substr(space + 1));
    if (!blob || blob->size() != 4 + 64) continue;
    if (!std::equal(want_id.begin(), want_id.end(), blob->begin())) continue;
    capability::Ed25519Signature sig;
    std::copy(blob->begin() + 4, blob->end(), sig.begin());
    if (capability::ed25519_verify(capability::as_bytes(text), sig, key_)) return std::string(text);
  }
  return std::nullopt;
}

NoteSigner::NoteSigner(std::string name, capability::Ed25519KeyPair key)
    : name_(std::move(name)), key_(std::move(key)) {
  if (!is_valid_key_name(name_)) throw std::invalid_argument("invalid note key name");
}

NoteSigner NoteSigner::generate(std::string name) {
  return NoteSigner(std::move(name), capability::Ed25519KeyPair::generate());
}

NoteSigner NoteSigner::parse(std::string_view private_key) {
  while (!private_key.empty() && private_key.back() == '\n') private_key.remove_suffix(1);
  if (!private_key.starts_with(kPrivateKeyPrefix))
    throw std::invalid_argument("not a note signer key (PRIVATE+KEY+name+id+key)");
  const auto parts = split_key(private_key.substr(kPrivateKeyPrefix.size()));
  auto seed = parts ? key_material(*parts) : std::nullopt;
  if (!seed) throw std::invalid_argument("malformed note signer key");
  NoteSigner signer(std::string(parts->name), capability::Ed25519KeyPair::from_seed(*seed));
  sodium_memzero(seed->data(), seed->size());
  if (parse_key_id(parts->id) != signer.verifier().key_id())
    throw std::invalid_argument("note signer key id does not match its key");
  return signer;
}

std::string NoteSigner::private_key() const {
  const auto seed = key_.seed();
  Bytes data = with_algorithm(seed.view());
  std::string text = std::string(kPrivateKeyPrefix) + name_ + "+" +
                     key_id_hex(verifier().key_id()) + "+" + capability::to_base64(data);
  sodium_memzero(data.data(), data.size());
  return text;
}

std::string NoteSigner::sign(std::string_view text) const {
  if (text.empty() || text.back() != '\n') throw std::invalid_argument("note text must end in \\n");
  const KeyId id = verifier().key_id();
  const auto sig = key_.sign(capability::as_bytes(text));
  Bytes blob(id.begin(), id.end());
  blob.insert(blob.end(), sig.begin(), sig.end());
  return std::string(text) + "\n" + std::string(kSignaturePrefix) + name_ + " " +
         capability::to_base64(blob) + "\n";
}

NoteSigner read_signer_file(const std::filesystem::path& path) {
  std::string text = capability::read_secret_file(path);
  try {
    NoteSigner signer = NoteSigner::parse(text);
    capability::wipe(text);
    return signer;
  } catch (const std::exception& e) {
    capability::wipe(text);
    throw std::runtime_error(path.string() + ": " + e.what());
  }
}

void write_new_signer_file(const std::filesystem::path& path, const NoteSigner& signer) {
  std::string text = signer.private_key() + "\n";
  try {
    capability::write_new_secret_file(path, text);
  } catch (...) {
    capability::wipe(text);
    throw;
  }
  capability::wipe(text);
}

}  // namespace westworld::audit

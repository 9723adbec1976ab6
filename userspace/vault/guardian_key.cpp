#include "westworld/vault/guardian_key.h"

#include <sodium.h>

#include <algorithm>
#include <stdexcept>

#include "westworld/capability/secret_file.h"

namespace westworld::vault {
namespace {

constexpr std::string_view kMagic = "westworld-vault-guardian-v1";

// The guardian's X25519 secret key, derived from its Ed25519 seed into locked memory.
SecretBuffer box_secret_of(const capability::Ed25519KeyPair& pair) {
  SecretBuffer ed_secret(crypto_sign_SECRETKEYBYTES);
  capability::PublicKey ed_public{};
  const auto seed = pair.seed();
  crypto_sign_seed_keypair(ed_public.data(), ed_secret.data(), seed.data());
  SecretBuffer box_secret(crypto_box_SECRETKEYBYTES);
  crypto_sign_ed25519_sk_to_curve25519(box_secret.data(), ed_secret.data());
  return box_secret;
}

}  // namespace

bool is_valid_guardian_id(std::string_view id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '@' || c == '-';
  });
}

BoxPublicKey box_public_of(const capability::PublicKey& sign_key) {
  capability::ensure_sodium();
  BoxPublicKey out{};
  if (crypto_sign_ed25519_pk_to_curve25519(out.data(), sign_key.data()) != 0)
    throw std::invalid_argument("not an Ed25519 public key usable for encryption");
  return out;
}

GuardianKey::GuardianKey(std::string id, capability::Ed25519KeyPair pair)
    : id_(std::move(id)), pair_(std::move(pair)) {}

GuardianKey GuardianKey::generate(std::string id) {
  if (!is_valid_guardian_id(id))
    throw std::invalid_argument("guardian id '" + id +
                                "' must be 1-64 characters of A-Z a-z 0-9 . _ @ -");
  return GuardianKey(std::move(id), capability::Ed25519KeyPair::generate());
}

GuardianKey GuardianKey::load(const std::filesystem::path& path) {
  std::string text = capability::read_secret_file(path);
  auto fail = [&](const std::string& why) {
    capability::wipe(text);
    return std::runtime_error(path.string() + ": " + why);
  };
  // "MAGIC ID SEED\n"
  const auto first = text.find(' ');
  const auto second = first == std::string::npos ? first : text.find(' ', first + 1);
  if (second == std::string::npos || std::string_view(text).substr(0, first) != kMagic)
    throw fail("not a vault guardian key file (expected '" + std::string(kMagic) + " ID SEED')");
  std::string id = text.substr(first + 1, second - first - 1);
  std::string_view seed_text = std::string_view(text).substr(second + 1);
  while (!seed_text.empty() && (seed_text.back() == '\n' || seed_text.back() == '\r'))
    seed_text.remove_suffix(1);
  if (!is_valid_guardian_id(id)) throw fail("bad guardian id");
  auto seed = capability::from_base64(seed_text);
  if (!seed || seed->size() != 32) {
    if (seed) sodium_memzero(seed->data(), seed->size());
    throw fail("the seed is not 32 bytes of base64");
  }
  auto pair = capability::Ed25519KeyPair::from_seed(*seed);
  sodium_memzero(seed->data(), seed->size());
  capability::wipe(text);
  return GuardianKey(std::move(id), std::move(pair));
}

void GuardianKey::save_new(const std::filesystem::path& path) const {
  const auto seed = pair_.seed();
  std::string text =
      std::string(kMagic) + " " + id_ + " " + capability::to_base64(seed.view()) + "\n";
  capability::write_new_secret_file(path, text);
  capability::wipe(text);
}

std::optional<SecretBuffer> GuardianKey::open_sealed(capability::ByteView sealed) const {
  if (sealed.size() < crypto_box_SEALBYTES) return std::nullopt;
  const BoxPublicKey box_public = box_public_of(pair_.public_key());
  const SecretBuffer box_secret = box_secret_of(pair_);
  SecretBuffer out(sealed.size() - crypto_box_SEALBYTES);
  if (crypto_box_seal_open(out.data(), sealed.data(), sealed.size(), box_public.data(),
                           box_secret.data()) != 0)
    return std::nullopt;
  return out;
}

std::string guardian_line(const GuardianPublic& guardian) {
  return guardian.id + " " + capability::to_base64(guardian.sign_key);
}

}  // namespace westworld::vault

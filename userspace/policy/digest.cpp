#include "digest.h"

#include <sodium.h>

#include <stdexcept>

namespace westworld::policy {

Sha256 sha256(std::string_view data) {
  static const bool sodium_ready = sodium_init() >= 0;
  if (!sodium_ready) throw std::runtime_error("libsodium failed to initialise");
  Sha256 digest;
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(data.data()),
                     data.size());
  return digest;
}

std::string to_hex(const Sha256& digest) {
  char text[2 * sizeof(Sha256) + 1];
  sodium_bin2hex(text, sizeof text, digest.data(), digest.size());
  return text;
}

}  // namespace westworld::policy

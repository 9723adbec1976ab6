#include "westworld/vault/item_key.h"

#include <sodium.h>

#include "westworld/vault/item_cipher.h"

namespace westworld::vault {
namespace {

constexpr char kKdfContext[crypto_kdf_CONTEXTBYTES + 1] = "wwvault1";
constexpr std::uint64_t kWrapKeyId = 1;

SecretBuffer derive(const Point& shared, const Point& ephemeral, const Point& master_public,
                    std::string_view item) {
  if (shared == kIdentity) throw std::invalid_argument("degenerate item key agreement");
  SecretBuffer item_master(crypto_kdf_KEYBYTES);
  crypto_generichash_state h;
  crypto_generichash_init(&h, nullptr, 0, item_master.size());
  crypto_generichash_update(&h, shared.data(), shared.size());
  crypto_generichash_update(&h, ephemeral.data(), ephemeral.size());
  crypto_generichash_update(&h, master_public.data(), master_public.size());
  crypto_generichash_update(&h, reinterpret_cast<const unsigned char*>(item.data()), item.size());
  crypto_generichash_final(&h, item_master.data(), item_master.size());
  sodium_memzero(&h, sizeof h);
  SecretBuffer wrapping(kKeyBytes);
  crypto_kdf_derive_from_key(wrapping.data(), wrapping.size(), kWrapKeyId, kKdfContext,
                             item_master.data());
  return wrapping;
}

}  // namespace

ItemKeyAtPut wrapping_key_for_put(const Point& master_public, std::string_view item) {
  const Scalar r = Scalar::random();
  const Point ephemeral = base_mul(r);
  const Point shared = point_mul(r, master_public);
  return {ephemeral, derive(shared, ephemeral, master_public, item)};
}

SecretBuffer wrapping_key_for_unseal(const Scalar& master_secret, const Point& ephemeral,
                                     const Point& master_public, std::string_view item) {
  return derive(point_mul(master_secret, ephemeral), ephemeral, master_public, item);
}

}  // namespace westworld::vault

// Which key wraps an item's data key, and why putting an item needs no guardian.
//
// The vault's master secret is the scalar s that the guardians share; nobody holds it
// between unseals, so `put` cannot use it. Instead put draws an ephemeral scalar r and
// stores R = r*B beside the item; it knows s*R = r*C_0 from the public commitment C_0 =
// s*B. Unseal reconstructs s from a quorum of shares and computes s*R. Both sides then
//   item master key = BLAKE2b(s*R || R || C_0 || item id)      (crypto_generichash)
//   wrapping key    = crypto_kdf_derive_from_key(id 1, context "wwvault1", item master)
// The data key is wrapped under the wrapping key. Refreshes and guardian changes keep s
// and C_0, so items outlive rotations.
#pragma once

#include <string_view>

#include "westworld/vault/ristretto.h"
#include "westworld/vault/secret_buffer.h"

namespace westworld::vault {

struct ItemKeyAtPut {
  Point ephemeral;  // R, stored with the item
  SecretBuffer wrapping_key;
};

ItemKeyAtPut wrapping_key_for_put(const Point& master_public, std::string_view item);
SecretBuffer wrapping_key_for_unseal(const Scalar& master_secret, const Point& ephemeral,
                                     const Point& master_public, std::string_view item);

}  // namespace westworld::vault

// How a share travels: sealed (crypto_box_seal) to one X25519 key, signed by whoever
// vouches for it, over a statement that names exactly what it is for.
//
// A stored share is a list of parts sum_k c_k * open(sealed_k): one part after init; a
// proactive refresh appends (1, sealed delta_i); a change of guardian set gives each new
// guardian one part per contributing old guardian, weighted by its Lagrange coefficient.
// Only the guardian's key opens the parts, so no process but the guardian's ever sees the
// new share, and none needs the secret.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "westworld/capability/bytes.h"
#include "westworld/capability/crypto.h"
#include "westworld/vault/guardian_key.h"
#include "westworld/vault/ristretto.h"

namespace westworld::vault {

struct SharePart {
  Scalar coefficient;
  capability::Bytes sealed;  // crypto_box_seal(scalar) to the guardian's box key
};

capability::Bytes seal_scalar(const Scalar& value, const BoxPublicKey& to);
// Nothing when the box does not open or does not hold a canonical scalar.
std::optional<Scalar> open_scalar(capability::ByteView sealed, const BoxPublicKey& public_key,
                                  capability::ByteView secret_key);
std::optional<Scalar> open_scalar(capability::ByteView sealed, const GuardianKey& key);

capability::Bytes encode_parts(const std::vector<SharePart>& parts);
std::optional<std::vector<SharePart>> decode_parts(capability::ByteView bytes);
// sum_k c_k * open(part_k); nothing when any part fails to open.
std::optional<Scalar> open_parts(const std::vector<SharePart>& parts, const GuardianKey& key);

// What the dealer (the vault's key) signs for every stored share: (epoch, index, guardian,
// commitment digest, digest of the parts). A share moved to another guardian, index or
// epoch, or with swapped parts, no longer verifies.
capability::Bytes share_statement(std::uint64_t epoch, std::uint32_t index,
                                  std::string_view guardian, const capability::Digest& commitments,
                                  capability::ByteView encoded_parts);

// What a guardian signs when it releases its share for one request: the request id, the
// item, the request's own box key, the epoch and index, and the sealed box itself.
capability::Bytes release_statement(std::string_view request, std::string_view item,
                                    const BoxPublicKey& request_key, std::uint64_t epoch,
                                    std::uint32_t index, std::string_view guardian,
                                    capability::ByteView sealed);

// What a guardian signs when it votes on a request.
capability::Bytes vote_statement(std::string_view request, std::string_view item, bool emergency,
                                 bool yes, std::string_view guardian);

}  // namespace westworld::vault

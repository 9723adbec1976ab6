// Feldman verifiable secret sharing over ristretto255.
//
// The dealer picks f(x) = a_0 + a_1 x + ... + a_{t-1} x^{t-1} with a_0 the secret, gives
// guardian i the share s_i = f(i) and publishes C_j = a_j * B. Anyone can check a share
// against the commitments: s_i * B == sum_j i^j * C_j. Any t shares give a_0 back by
// Lagrange interpolation at 0; t-1 shares say nothing about it.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "westworld/capability/crypto.h"
#include "westworld/vault/ristretto.h"

namespace westworld::vault {

inline constexpr std::uint32_t kMaxGuardians = 255;

struct Share {
  std::uint32_t index = 0;  // x coordinate, 1-based (f(0) is the secret)
  Scalar value;
};

struct Dealing {
  std::vector<Point> commitments;  // C_0 .. C_{t-1}
  std::vector<Share> shares;       // indices 1 .. n
};

// Shares `secret` t-of-n. Throws std::invalid_argument unless 1 <= t <= n <= kMaxGuardians.
Dealing deal(const Scalar& secret, std::uint32_t threshold, std::uint32_t count);
// A sharing of zero (C_0 is the identity), for proactive refresh.
Dealing deal_zero(std::uint32_t threshold, std::uint32_t count);

// sum_j index^j * C_j: what s_index * B must be.
Point expected_public(std::uint32_t index, std::span<const Point> commitments);
bool verify_share(const Share& share, std::span<const Point> commitments);

// lambda_i for interpolation at 0 over `indices` (distinct, non-zero).
Scalar lagrange_at_zero(std::uint32_t index, std::span<const std::uint32_t> indices);
// f(0) from shares with distinct indices; throws std::invalid_argument on duplicates.
// It cannot know whether the shares are enough or valid: callers verify them first.
Scalar interpolate_at_zero(std::span<const Share> shares);

// Binds an epoch to its commitments: what the dealer signs with every share.
capability::Digest commitment_digest(std::uint64_t epoch, std::span<const Point> commitments);

}  // namespace westworld::vault

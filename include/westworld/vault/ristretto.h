// The prime-order group ristretto255 and its scalars, through libsodium only.
//
// Points are public (commitments, check values) and are plain arrays. Scalars may be
// secret (shares, polynomial coefficients) and wipe themselves; they stay on the stack
// rather than in SecretBuffer because Lagrange arithmetic makes thousands of temporaries,
// and one mmap+mlock each would exhaust RLIMIT_MEMLOCK.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>

#include "westworld/capability/bytes.h"
#include "westworld/capability/crypto.h"

namespace westworld::vault {

using Point = std::array<std::uint8_t, 32>;  // canonical ristretto255 encoding
inline constexpr Point kIdentity{};          // the identity element encodes as 32 zeros

class Scalar {
 public:
  Scalar() = default;  // zero
  static Scalar random();
  static Scalar from_u64(std::uint64_t value);
  // Only canonical encodings (< the group order) are accepted.
  static std::optional<Scalar> from_bytes(capability::ByteView bytes);
  // Uniform scalar from 64 bytes of hash output.
  static Scalar reduce(capability::ByteView wide64);

  Scalar operator+(const Scalar& other) const;
  Scalar operator-(const Scalar& other) const;
  Scalar operator*(const Scalar& other) const;
  Scalar inverse() const;  // throws for zero
  bool is_zero() const;
  bool operator==(const Scalar& other) const;

  const std::uint8_t* data() const { return bytes_.data(); }
  std::uint8_t* data() { return bytes_.data(); }
  capability::ByteView view() const { return bytes_.view(); }

 private:
  capability::SecretBytes<32> bytes_;
};

Point base_mul(const Scalar& s);                   // s * B (identity for s = 0)
Point point_mul(const Scalar& s, const Point& p);  // s * P; throws for an invalid P
Point point_add(const Point& a, const Point& b);   // throws for invalid points
bool is_valid_point(const Point& p);               // a group element (identity included)
std::optional<Point> point_from_bytes(capability::ByteView bytes);

}  // namespace westworld::vault

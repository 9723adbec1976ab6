#include "westworld/vault/ristretto.h"

#include <sodium.h>

#include <stdexcept>

namespace westworld::vault {

static_assert(crypto_core_ristretto255_SCALARBYTES == 32);
static_assert(crypto_core_ristretto255_BYTES == 32);

Scalar Scalar::random() {
  capability::ensure_sodium();
  Scalar s;
  do {
    crypto_core_ristretto255_scalar_random(s.data());
  } while (s.is_zero());
  return s;
}

Scalar Scalar::from_u64(std::uint64_t value) {
  Scalar s;
  for (int i = 0; i < 8; ++i) s.data()[i] = static_cast<std::uint8_t>(value >> (8 * i));
  return s;
}

std::optional<Scalar> Scalar::from_bytes(capability::ByteView bytes) {
  if (bytes.size() != 32) return std::nullopt;
  // Canonical iff reducing it mod the group order changes nothing.
  std::uint8_t wide[64] = {};
  std::copy(bytes.begin(), bytes.end(), wide);
  Scalar reduced = reduce({wide, 64});
  sodium_memzero(wide, sizeof wide);
  if (sodium_memcmp(reduced.data(), bytes.data(), 32) != 0) return std::nullopt;
  return reduced;
}

Scalar Scalar::reduce(capability::ByteView wide64) {
  if (wide64.size() != 64) throw std::invalid_argument("scalar reduction needs 64 bytes");
  capability::ensure_sodium();
  Scalar s;
  crypto_core_ristretto255_scalar_reduce(s.data(), wide64.data());
  return s;
}

Scalar Scalar::operator+(const Scalar& other) const {
  Scalar out;
  crypto_core_ristretto255_scalar_add(out.data(), data(), other.data());
  return out;
}

Scalar Scalar::operator-(const Scalar& other) const {
  Scalar out;
  crypto_core_ristretto255_scalar_sub(out.data(), data(), other.data());
  return out;
}

Scalar Scalar::operator*(const Scalar& other) const {
  Scalar out;
  crypto_core_ristretto255_scalar_mul(out.data(), data(), other.data());
  return out;
}

Scalar Scalar::inverse() const {
  Scalar out;
  if (crypto_core_ristretto255_scalar_invert(out.data(), data()) != 0)
    throw std::invalid_argument("zero has no inverse");
  return out;
}

bool Scalar::is_zero() const { return sodium_is_zero(data(), 32) == 1; }

bool Scalar::operator==(const Scalar& other) const {
  return sodium_memcmp(data(), other.data(), 32) == 0;
}

bool is_valid_point(const Point& p) {
  capability::ensure_sodium();
  return p == kIdentity || crypto_core_ristretto255_is_valid_point(p.data()) == 1;
}

std::optional<Point> point_from_bytes(capability::ByteView bytes) {
  if (bytes.size() != 32) return std::nullopt;
  Point p;
  std::copy(bytes.begin(), bytes.end(), p.begin());
  if (!is_valid_point(p)) return std::nullopt;
  return p;
}

Point base_mul(const Scalar& s) {
  capability::ensure_sodium();
  Point out{};
  // libsodium refuses to return the identity (s = 0); the identity encodes as zeros.
  if (crypto_scalarmult_ristretto255_base(out.data(), s.data()) != 0) return kIdentity;
  return out;
}

Point point_mul(const Scalar& s, const Point& p) {
  if (!is_valid_point(p)) throw std::invalid_argument("not a ristretto255 point");
  if (p == kIdentity) return kIdentity;
  Point out{};
  if (crypto_scalarmult_ristretto255(out.data(), s.data(), p.data()) != 0) return kIdentity;
  return out;
}

Point point_add(const Point& a, const Point& b) {
  if (!is_valid_point(a) || !is_valid_point(b))
    throw std::invalid_argument("not a ristretto255 point");
  if (a == kIdentity) return b;
  if (b == kIdentity) return a;
  Point out{};
  if (crypto_core_ristretto255_add(out.data(), a.data(), b.data()) != 0)
    throw std::invalid_argument("not a ristretto255 point");
  return out;
}

}  // namespace westworld::vault

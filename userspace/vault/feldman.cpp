#include "westworld/vault/feldman.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace westworld::vault {
namespace {

void check_shape(std::uint32_t threshold, std::uint32_t count) {
  if (threshold < 1 || count < threshold || count > kMaxGuardians)
    throw std::invalid_argument("a sharing needs 1 <= threshold (" + std::to_string(threshold) +
                                ") <= guardians (" + std::to_string(count) +
                                ") <= " + std::to_string(kMaxGuardians));
}

// f(x) by Horner's rule.
Scalar evaluate(const std::vector<Scalar>& coefficients, std::uint32_t x) {
  const Scalar at = Scalar::from_u64(x);
  Scalar acc;
  for (auto it = coefficients.rbegin(); it != coefficients.rend(); ++it) acc = acc * at + *it;
  return acc;
}

Dealing deal_polynomial(std::vector<Scalar> coefficients, std::uint32_t count) {
  Dealing out;
  for (const Scalar& a : coefficients) out.commitments.push_back(base_mul(a));
  for (std::uint32_t i = 1; i <= count; ++i) out.shares.push_back({i, evaluate(coefficients, i)});
  return out;  // `coefficients` are wiped as they go out of scope
}

}  // namespace

Dealing deal(const Scalar& secret, std::uint32_t threshold, std::uint32_t count) {
  check_shape(threshold, count);
  std::vector<Scalar> coefficients{secret};
  for (std::uint32_t j = 1; j < threshold; ++j) coefficients.push_back(Scalar::random());
  return deal_polynomial(std::move(coefficients), count);
}

Dealing deal_zero(std::uint32_t threshold, std::uint32_t count) {
  return deal(Scalar{}, threshold, count);
}

Point expected_public(std::uint32_t index, std::span<const Point> commitments) {
  const Scalar x = Scalar::from_u64(index);
  Scalar power = Scalar::from_u64(1);
  Point acc = kIdentity;
  for (const Point& c : commitments) {
    acc = point_add(acc, point_mul(power, c));
    power = power * x;
  }
  return acc;
}

bool verify_share(const Share& share, std::span<const Point> commitments) {
  if (share.index == 0 || commitments.empty()) return false;
  return base_mul(share.value) == expected_public(share.index, commitments);
}

Scalar lagrange_at_zero(std::uint32_t index, std::span<const std::uint32_t> indices) {
  // lambda_i = prod_{j != i} j / (j - i)
  Scalar numerator = Scalar::from_u64(1);
  Scalar denominator = Scalar::from_u64(1);
  const Scalar xi = Scalar::from_u64(index);
  for (std::uint32_t j : indices) {
    if (j == index) continue;
    const Scalar xj = Scalar::from_u64(j);
    numerator = numerator * xj;
    denominator = denominator * (xj - xi);
  }
  return numerator * denominator.inverse();
}

Scalar interpolate_at_zero(std::span<const Share> shares) {
  std::vector<std::uint32_t> indices;
  for (const Share& s : shares) {
    if (s.index == 0) throw std::invalid_argument("share index 0 is the secret itself");
    if (std::find(indices.begin(), indices.end(), s.index) != indices.end())
      throw std::invalid_argument("two shares with index " + std::to_string(s.index));
    indices.push_back(s.index);
  }
  Scalar secret;
  for (const Share& s : shares) secret = secret + lagrange_at_zero(s.index, indices) * s.value;
  return secret;
}

capability::Digest commitment_digest(std::uint64_t epoch, std::span<const Point> commitments) {
  capability::Sha256 h;
  h.update(capability::as_bytes("westworld-vault commitments v1"));
  h.update_u64_be(epoch).update_u32_be(static_cast<std::uint32_t>(commitments.size()));
  for (const Point& c : commitments) h.update(c);
  return h.finish();
}

}  // namespace westworld::vault

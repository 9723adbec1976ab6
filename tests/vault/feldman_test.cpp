// Feldman VSS over ristretto255: any t of n recover, fewer do not, bad shares are caught.
#include "westworld/vault/feldman.h"

#include <gtest/gtest.h>

namespace westworld::vault {
namespace {

TEST(Feldman, EveryTripleOfTenRecoversTheSecret) {
  const Scalar secret = Scalar::random();
  const Dealing d = deal(secret, 3, 10);
  ASSERT_EQ(d.commitments.size(), 3u);
  ASSERT_EQ(d.commitments[0], base_mul(secret));
  int triples = 0;
  for (int a = 0; a < 10; ++a)
    for (int b = a + 1; b < 10; ++b)
      for (int c = b + 1; c < 10; ++c) {
        const std::vector<Share> three{d.shares[a], d.shares[b], d.shares[c]};
        EXPECT_TRUE(interpolate_at_zero(three) == secret) << a << "," << b << "," << c;
        ++triples;
      }
  EXPECT_EQ(triples, 120);
}

TEST(Feldman, TwoSharesDoNotRecoverTheSecret) {
  const Scalar secret = Scalar::random();
  const Dealing d = deal(secret, 3, 10);
  for (int a = 0; a < 10; ++a)
    for (int b = a + 1; b < 10; ++b) {
      const std::vector<Share> two{d.shares[a], d.shares[b]};
      EXPECT_FALSE(interpolate_at_zero(two) == secret);
      EXPECT_NE(base_mul(interpolate_at_zero(two)), d.commitments[0]);
    }
}

TEST(Feldman, EveryShareVerifiesAgainstTheCommitments) {
  const Dealing d = deal(Scalar::random(), 3, 10);
  for (const Share& s : d.shares) {
    EXPECT_TRUE(verify_share(s, d.commitments));
    EXPECT_EQ(base_mul(s.value), expected_public(s.index, d.commitments));
  }
}

TEST(Feldman, AShareWithOneFlippedBitFailsVerification) {
  const Dealing d = deal(Scalar::random(), 3, 10);
  for (int bit = 0; bit < 250; bit += 7) {
    Share bad = d.shares[4];
    bad.value.data()[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    EXPECT_FALSE(verify_share(bad, d.commitments)) << "bit " << bit;
  }
  Share moved = d.shares[4];
  moved.index = 6;  // a right value at the wrong index
  EXPECT_FALSE(verify_share(moved, d.commitments));
}

TEST(Feldman, ASharingOfZeroRefreshesWithoutChangingTheSecret) {
  const Scalar secret = Scalar::random();
  const Dealing d = deal(secret, 3, 10);
  const Dealing zero = deal_zero(3, 10);
  EXPECT_EQ(zero.commitments[0], kIdentity);
  std::vector<Point> next;
  for (int k = 0; k < 3; ++k) next.push_back(point_add(d.commitments[k], zero.commitments[k]));
  std::vector<Share> refreshed;
  for (int i = 0; i < 10; ++i)
    refreshed.push_back({d.shares[i].index, d.shares[i].value + zero.shares[i].value});
  for (const Share& s : refreshed) EXPECT_TRUE(verify_share(s, next));
  for (const Share& s : d.shares) EXPECT_FALSE(verify_share(s, next));  // old shares are useless
  const std::vector<Share> three{refreshed[1], refreshed[5], refreshed[9]};
  EXPECT_TRUE(interpolate_at_zero(three) == secret);
  // Mixing old and new shares gives garbage.
  const std::vector<Share> mixed{d.shares[1], refreshed[5], refreshed[9]};
  EXPECT_FALSE(interpolate_at_zero(mixed) == secret);
}

TEST(Feldman, RefusesImpossibleShapesAndDuplicateIndices) {
  EXPECT_THROW(deal(Scalar::random(), 0, 10), std::invalid_argument);
  EXPECT_THROW(deal(Scalar::random(), 11, 10), std::invalid_argument);
  const Dealing d = deal(Scalar::random(), 2, 3);
  const std::vector<Share> dup{d.shares[0], d.shares[0]};
  EXPECT_THROW(interpolate_at_zero(dup), std::invalid_argument);
}

TEST(Ristretto, ScalarsAreCanonicalAndPointsValidated) {
  capability::Bytes big(32, 0xff);
  EXPECT_FALSE(Scalar::from_bytes(big).has_value());
  const Scalar s = Scalar::random();
  EXPECT_TRUE(Scalar::from_bytes(s.view()).has_value());
  Point junk{};
  junk.fill(0xff);
  EXPECT_FALSE(is_valid_point(junk));
  EXPECT_THROW(point_mul(s, junk), std::invalid_argument);
}

}  // namespace
}  // namespace westworld::vault

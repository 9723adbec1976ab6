// RFC 6962 / transparency-dev/merkle reference vectors, and the corruption probes the
// transparency-dev verifier tests apply to every valid proof.
#include <gtest/gtest.h>

#include "test_support.h"
#include "westworld/audit/merkle.h"

namespace westworld::audit {
namespace {

using trust_test::hash_from_hex;
using trust_test::unhex;

const std::vector<std::string> kLeafData = {"",
                                            "00",
                                            "10",
                                            "2021",
                                            "3031",
                                            "40414243",
                                            "5051525354555657",
                                            "606162636465666768696a6b6c6d6e6f"};

// MTH(D[n]) for n = 0..8.
const std::vector<std::string> kRoots = {
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

struct PathVector {
  std::uint64_t index;  // zero-based
  std::uint64_t size;
  std::vector<std::string> path;
};

const std::vector<PathVector> kInclusion = {
    {0, 1, {}},
    {0,
     8,
     {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
    {5,
     8,
     {"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
    {2, 3, {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}},
    {1,
     5,
     {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
};

struct ConsistencyVector {
  std::uint64_t old_size;
  std::uint64_t new_size;
  std::vector<std::string> path;
};

const std::vector<ConsistencyVector> kConsistency = {
    {1, 1, {}},
    {1,
     8,
     {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
    {6,
     8,
     {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
    {2,
     5,
     {"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
};

const Hash kSomeHash =
    hash_from_hex("abacaba000000000000000000000000000000000000000000060061e00123456");

std::vector<Hash> leaves(size_t n) {
  std::vector<Hash> out;
  for (size_t i = 0; i < n; ++i) out.push_back(leaf_hash(unhex(kLeafData[i])));
  return out;
}

std::vector<Hash> hashes(const std::vector<std::string>& hex) {
  std::vector<Hash> out;
  for (const auto& h : hex) out.push_back(hash_from_hex(h));
  return out;
}

std::vector<Hash> generated_leaves(size_t n) {
  std::vector<Hash> out;
  for (size_t i = 0; i < n; ++i) {
    const std::string data = "leaf-" + std::to_string(i);
    out.push_back(leaf_hash(capability::as_bytes(data)));
  }
  return out;
}

Hash flipped(Hash h, std::uint8_t bit) {
  h[0] ^= bit;
  return h;
}

// The transparency-dev corruptions of a valid inclusion proof: none may verify.
void expect_inclusion_probes_fail(const Hash& leaf, std::uint64_t index, std::uint64_t size,
                                  const std::vector<Hash>& path, const Hash& root) {
  SCOPED_TRACE("index " + std::to_string(index) + " size " + std::to_string(size));
  EXPECT_FALSE(verify_inclusion(leaf, index - 1, size, path, root));
  EXPECT_FALSE(verify_inclusion(leaf, index + 1, size, path, root));
  EXPECT_FALSE(verify_inclusion(leaf, index ^ 2, size, path, root));
  EXPECT_FALSE(verify_inclusion(leaf, index, size * 2, path, root));
  EXPECT_FALSE(verify_inclusion(leaf, index, size / 2, path, root));
  EXPECT_FALSE(
      verify_inclusion(leaf_hash(capability::as_bytes("WrongLeaf")), index, size, path, root));
  EXPECT_FALSE(verify_inclusion(leaf, index, size, path, empty_tree_hash()));
  EXPECT_FALSE(verify_inclusion(leaf, index, size, path, kSomeHash));
  auto extended = path;
  extended.push_back(root);
  EXPECT_FALSE(verify_inclusion(leaf, index, size, extended, root));
  auto prepended = path;
  prepended.insert(prepended.begin(), root);
  EXPECT_FALSE(verify_inclusion(leaf, index, size, prepended, root));
  for (size_t i = 0; i < path.size(); ++i) {
    auto tampered = path;
    tampered[i] = flipped(tampered[i], 8);
    EXPECT_FALSE(verify_inclusion(leaf, index, size, tampered, root))
        << "flipped path[" << i << "]";
  }
  if (!path.empty()) {
    const std::vector<Hash> removed(path.begin(), path.end() - 1);
    EXPECT_FALSE(verify_inclusion(leaf, index, size, removed, root));
  }
  if (path.size() > 1) {
    auto inserted = path;
    inserted.insert(inserted.begin() + 1, kSomeHash);
    EXPECT_FALSE(verify_inclusion(leaf, index, size, inserted, root));
  }
}

void expect_consistency_probes_fail(std::uint64_t m, std::uint64_t n, const Hash& r1,
                                    const Hash& r2, const std::vector<Hash>& path) {
  SCOPED_TRACE("sizes " + std::to_string(m) + " -> " + std::to_string(n));
  const Hash wrong = leaf_hash(capability::as_bytes("WrongRoot"));
  EXPECT_FALSE(verify_consistency(m - 1, n, r1, r2, path));
  EXPECT_FALSE(verify_consistency(m + 1, n, r1, r2, path));
  EXPECT_FALSE(verify_consistency(m ^ 2, n, r1, r2, path));
  EXPECT_FALSE(verify_consistency(m, n * 2, r1, r2, path));
  EXPECT_FALSE(verify_consistency(m, n / 2, r1, r2, path));
  EXPECT_FALSE(verify_consistency(m, n, wrong, r2, path));
  EXPECT_FALSE(verify_consistency(m, n, r1, wrong, path));
  EXPECT_FALSE(verify_consistency(m, n, r2, r1, path));
  EXPECT_FALSE(verify_consistency(m, n, r1, r2, {}));
  for (const Hash& extra : {r1, r2}) {
    auto extended = path;
    extended.push_back(extra);
    EXPECT_FALSE(verify_consistency(m, n, r1, r2, extended));
    auto prepended = path;
    prepended.insert(prepended.begin(), extra);
    EXPECT_FALSE(verify_consistency(m, n, r1, r2, prepended));
  }
  auto repeated = path;
  repeated.insert(repeated.begin(), path.front());
  EXPECT_FALSE(verify_consistency(m, n, r1, r2, repeated));
  const std::vector<Hash> truncated(path.begin(), path.end() - 1);
  EXPECT_FALSE(verify_consistency(m, n, r1, r2, truncated));
  for (size_t i = 0; i < path.size(); ++i) {
    auto tampered = path;
    tampered[i] = flipped(tampered[i], 16);
    EXPECT_FALSE(verify_consistency(m, n, r1, r2, tampered)) << "flipped path[" << i << "]";
  }
}

TEST(MerkleVectors, EmptyTreeIsSha256OfNothing) {
  EXPECT_EQ(capability::to_hex(empty_tree_hash()), kRoots[0]);
  EXPECT_EQ(capability::to_hex(tree_hash({})), kRoots[0]);
}

TEST(MerkleVectors, RootsForSizesZeroToEight) {
  for (size_t n = 0; n <= 8; ++n)
    EXPECT_EQ(capability::to_hex(tree_hash(leaves(n))), kRoots[n]) << "size " << n;
}

TEST(MerkleVectors, AccumulatorAgreesWithTheRecursiveDefinition) {
  TreeAccumulator accumulator;
  EXPECT_EQ(accumulator.root(), empty_tree_hash());
  const auto all = generated_leaves(130);
  for (size_t n = 1; n <= all.size(); ++n) {
    accumulator.append(all[n - 1]);
    ASSERT_EQ(accumulator.root(), tree_hash(std::span(all).first(n))) << "size " << n;
  }
  TreeAccumulator vectors;
  for (size_t n = 1; n <= 8; ++n) {
    vectors.append(leaves(8)[n - 1]);
    EXPECT_EQ(capability::to_hex(vectors.root()), kRoots[n]);
  }
}

TEST(MerkleVectors, InclusionPathsMatchReference) {
  for (const PathVector& v : kInclusion) {
    const auto tree = leaves(v.size);
    EXPECT_EQ(inclusion_path(tree, v.index), hashes(v.path)) << v.index << " in " << v.size;
  }
}

TEST(MerkleVectors, ReferenceInclusionProofsVerifyAndCorruptionsFail) {
  for (const PathVector& v : kInclusion) {
    const Hash leaf = leaf_hash(unhex(kLeafData[v.index]));
    const Hash root = hash_from_hex(kRoots[v.size]);
    EXPECT_TRUE(verify_inclusion(leaf, v.index, v.size, hashes(v.path), root));
    expect_inclusion_probes_fail(leaf, v.index, v.size, hashes(v.path), root);
  }
}

TEST(MerkleVectors, InclusionRejectsImpossibleIndexAndSize) {
  const Hash empty = empty_tree_hash();
  for (auto [index, size] : {std::pair<std::uint64_t, std::uint64_t>{0, 0}, {1, 1}, {2, 1}, {1, 0}})
    EXPECT_FALSE(verify_inclusion(kSomeHash, index, size, {}, empty)) << index << "/" << size;
  const Hash single = leaf_hash(capability::as_bytes("data"));
  EXPECT_TRUE(verify_inclusion(single, 0, 1, {}, single));
  EXPECT_FALSE(verify_inclusion(single, 0, 1, {}, kSomeHash));
  EXPECT_THROW(inclusion_path(leaves(3), 3), std::out_of_range);
}

TEST(MerkleVectors, ConsistencyPathsMatchReference) {
  for (const ConsistencyVector& v : kConsistency) {
    const auto tree = leaves(v.new_size);
    EXPECT_EQ(consistency_path(tree, v.old_size), hashes(v.path))
        << v.old_size << "->" << v.new_size;
  }
}

TEST(MerkleVectors, ReferenceConsistencyProofsVerifyAndCorruptionsFail) {
  for (const ConsistencyVector& v : kConsistency) {
    const Hash r1 = hash_from_hex(kRoots[v.old_size]);
    const Hash r2 = hash_from_hex(kRoots[v.new_size]);
    EXPECT_TRUE(verify_consistency(v.old_size, v.new_size, r1, r2, hashes(v.path)));
    if (!v.path.empty())
      expect_consistency_probes_fail(v.old_size, v.new_size, r1, r2, hashes(v.path));
  }
}

TEST(MerkleVectors, ConsistencyEdgeCases) {
  const Hash a = leaf_hash(capability::as_bytes("don't care 1"));
  const Hash b = leaf_hash(capability::as_bytes("don't care 2"));
  const Hash empty = empty_tree_hash();
  EXPECT_FALSE(verify_consistency(0, 0, a, b, {}));
  EXPECT_FALSE(verify_consistency(1, 1, a, b, {}));
  EXPECT_TRUE(verify_consistency(0, 0, a, a, {}));
  EXPECT_TRUE(verify_consistency(0, 1, a, b, {}));
  EXPECT_TRUE(verify_consistency(1, 1, b, b, {}));
  EXPECT_FALSE(verify_consistency(1, 0, a, b, {}));
  EXPECT_FALSE(verify_consistency(2, 1, a, b, {}));
  EXPECT_FALSE(verify_consistency(1, 2, a, b, {}));
  EXPECT_FALSE(verify_consistency(0, 0, empty, b, {}));
  EXPECT_FALSE(verify_consistency(1, 1, empty, b, {}));
  const std::vector<Hash> nonempty{empty};
  EXPECT_FALSE(verify_consistency(0, 0, empty, empty, nonempty));
  EXPECT_FALSE(verify_consistency(0, 1, empty, empty, nonempty));
  EXPECT_FALSE(verify_consistency(1, 1, empty, empty, nonempty));
}

// Every proof of every shape up to 70 leaves verifies, and every corruption fails.
TEST(MerkleGenerated, AllInclusionProofsUpToSeventy) {
  const auto all = generated_leaves(70);
  for (size_t n = 1; n <= all.size(); ++n) {
    const auto tree = std::span(all).first(n);
    const Hash root = tree_hash(tree);
    for (size_t i = 0; i < n; ++i) {
      const auto path = inclusion_path(tree, i);
      ASSERT_TRUE(verify_inclusion(tree[i], i, n, path, root)) << i << " in " << n;
      if (n % 7 == 0) expect_inclusion_probes_fail(tree[i], i, n, path, root);
    }
  }
}

TEST(MerkleGenerated, AllConsistencyProofsUpToForty) {
  const auto all = generated_leaves(40);
  for (size_t n = 1; n <= all.size(); ++n) {
    const auto tree = std::span(all).first(n);
    const Hash new_root = tree_hash(tree);
    for (size_t m = 1; m <= n; ++m) {
      const Hash old_root = tree_hash(tree.first(m));
      const auto path = consistency_path(tree, m);
      ASSERT_TRUE(verify_consistency(m, n, old_root, new_root, path)) << m << " -> " << n;
      if (m < n && (n + m) % 5 == 0) expect_consistency_probes_fail(m, n, old_root, new_root, path);
    }
  }
}

}  // namespace
}  // namespace westworld::audit

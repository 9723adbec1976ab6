// RFC 9162 (RFC 6962) Merkle trees over SHA-256: leaf hashes are H(0x00 || data), interior
// nodes H(0x01 || left || right), and the tree of n leaves splits at the largest power of
// two below n. Proof generation and verification follow RFC 9162 sections 2.1.3 and 2.1.4.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "westworld/capability/bytes.h"

namespace westworld::audit {

using Hash = std::array<std::uint8_t, 32>;

Hash empty_tree_hash();  // SHA-256 of the empty string
Hash leaf_hash(capability::ByteView data);
Hash node_hash(const Hash& left, const Hash& right);

// MTH(D[n]) over already-hashed leaves.
Hash tree_hash(std::span<const Hash> leaves);

// PATH(index, D[n]) where n = leaves.size(). Requires index < n.
std::vector<Hash> inclusion_path(std::span<const Hash> leaves, std::uint64_t index);
// PROOF(old_size, D[n]) where n = leaves.size(). Requires 0 < old_size <= n; empty when equal.
std::vector<Hash> consistency_path(std::span<const Hash> leaves, std::uint64_t old_size);

bool verify_inclusion(const Hash& leaf, std::uint64_t index, std::uint64_t tree_size,
                      std::span<const Hash> path, const Hash& root);
// Equal sizes need equal roots and an empty proof; size 0 is consistent with any larger
// tree (empty proof); otherwise the RFC 9162 2.1.4.2 algorithm decides.
bool verify_consistency(std::uint64_t old_size, std::uint64_t new_size, const Hash& old_root,
                        const Hash& new_root, std::span<const Hash> path);

// The tree head of a growing log in O(log n) memory: the roots of its perfect subtrees.
class TreeAccumulator {
 public:
  void append(const Hash& leaf);
  Hash root() const;
  std::uint64_t size() const { return size_; }

 private:
  std::vector<Hash> perfect_subtrees_;  // left to right, strictly decreasing sizes
  std::uint64_t size_ = 0;
};

}  // namespace westworld::audit

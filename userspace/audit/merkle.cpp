#include "westworld/audit/merkle.h"

#include <bit>
#include <stdexcept>

#include "westworld/capability/crypto.h"

namespace westworld::audit {
namespace {

using capability::Sha256;

// The largest power of two strictly below n (n >= 2): where RFC 9162 splits a tree.
std::uint64_t split_point(std::uint64_t n) { return std::bit_floor(n - 1); }

void subproof(std::span<const Hash> leaves, std::uint64_t m, bool whole_subtree_known,
              std::vector<Hash>& out) {
  const std::uint64_t n = leaves.size();
  if (m == n) {
    if (!whole_subtree_known) out.push_back(tree_hash(leaves));
    return;
  }
  const std::uint64_t k = split_point(n);
  if (m <= k) {
    subproof(leaves.first(k), m, whole_subtree_known, out);
    out.push_back(tree_hash(leaves.subspan(k)));
  } else {
    subproof(leaves.subspan(k), m - k, false, out);
    out.push_back(tree_hash(leaves.first(k)));
  }
}

}  // namespace

Hash empty_tree_hash() { return capability::sha256({}); }

Hash leaf_hash(capability::ByteView data) {
  const std::uint8_t prefix = 0x00;
  return Sha256().update({&prefix, 1}).update(data).finish();
}

Hash node_hash(const Hash& left, const Hash& right) {
  const std::uint8_t prefix = 0x01;
  return Sha256().update({&prefix, 1}).update(left).update(right).finish();
}

Hash tree_hash(std::span<const Hash> leaves) {
  if (leaves.empty()) return empty_tree_hash();
  if (leaves.size() == 1) return leaves.front();
  const std::uint64_t k = split_point(leaves.size());
  return node_hash(tree_hash(leaves.first(k)), tree_hash(leaves.subspan(k)));
}

std::vector<Hash> inclusion_path(std::span<const Hash> leaves, std::uint64_t index) {
  if (index >= leaves.size()) throw std::out_of_range("leaf index beyond the tree");
  std::vector<Hash> path;
  // Walk down from the root, collecting the sibling subtree at each split, then reverse:
  // PATH lists siblings from the leaf upwards.
  while (leaves.size() > 1) {
    const std::uint64_t k = split_point(leaves.size());
    if (index < k) {
      path.push_back(tree_hash(leaves.subspan(k)));
      leaves = leaves.first(k);
    } else {
      path.push_back(tree_hash(leaves.first(k)));
      leaves = leaves.subspan(k);
      index -= k;
    }
  }
  return {path.rbegin(), path.rend()};
}

std::vector<Hash> consistency_path(std::span<const Hash> leaves, std::uint64_t old_size) {
  if (old_size == 0 || old_size > leaves.size())
    throw std::out_of_range("consistency needs 0 < old size <= new size");
  std::vector<Hash> path;
  subproof(leaves, old_size, true, path);
  return path;
}

bool verify_inclusion(const Hash& leaf, std::uint64_t index, std::uint64_t tree_size,
                      std::span<const Hash> path, const Hash& root) {
  if (index >= tree_size) return false;
  std::uint64_t fn = index;
  std::uint64_t sn = tree_size - 1;
  Hash r = leaf;
  for (const Hash& p : path) {
    if (sn == 0) return false;
    if ((fn & 1) == 1 || fn == sn) {
      r = node_hash(p, r);
      // Skip the levels where this node is a left child with no right sibling.
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = node_hash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

bool verify_consistency(std::uint64_t old_size, std::uint64_t new_size, const Hash& old_root,
                        const Hash& new_root, std::span<const Hash> path) {
  if (old_size > new_size) return false;
  if (old_size == new_size) return path.empty() && old_root == new_root;
  if (old_size == 0) return path.empty();
  if (path.empty()) return false;

  std::vector<Hash> proof(path.begin(), path.end());
  // A power-of-two old tree is itself a node of the new tree; the proof omits it.
  if (std::has_single_bit(old_size)) proof.insert(proof.begin(), old_root);

  std::uint64_t fn = old_size - 1;
  std::uint64_t sn = new_size - 1;
  while ((fn & 1) == 1) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = proof.front();
  Hash sr = proof.front();
  for (size_t i = 1; i < proof.size(); ++i) {
    const Hash& c = proof[i];
    if (sn == 0) return false;
    if ((fn & 1) == 1 || fn == sn) {
      fr = node_hash(c, fr);
      sr = node_hash(c, sr);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      sr = node_hash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return fr == old_root && sr == new_root && sn == 0;
}

void TreeAccumulator::append(const Hash& leaf) {
  perfect_subtrees_.push_back(leaf);
  // Like a binary counter: each trailing 1 bit of the old size merges two equal subtrees.
  for (std::uint64_t carry = size_; (carry & 1) == 1; carry >>= 1) {
    const Hash right = perfect_subtrees_.back();
    perfect_subtrees_.pop_back();
    perfect_subtrees_.back() = node_hash(perfect_subtrees_.back(), right);
  }
  ++size_;
}

Hash TreeAccumulator::root() const {
  if (perfect_subtrees_.empty()) return empty_tree_hash();
  Hash root = perfect_subtrees_.back();
  for (size_t i = perfect_subtrees_.size() - 1; i-- > 0;)
    root = node_hash(perfect_subtrees_[i], root);
  return root;
}

}  // namespace westworld::audit

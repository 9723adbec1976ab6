// A set of rule indices as a bit vector: the unit of classification.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace westworld::policy {

class RuleSet {
 public:
  RuleSet() = default;
  explicit RuleSet(size_t n_rules) : words_((n_rules + 63) / 64, 0) {}

  void set(size_t rule) { words_[rule / 64] |= uint64_t{1} << (rule % 64); }
  void reset(size_t rule) { words_[rule / 64] &= ~(uint64_t{1} << (rule % 64)); }
  bool test(size_t rule) const { return (words_[rule / 64] >> (rule % 64)) & 1; }
  RuleSet& operator|=(const RuleSet& other);
  RuleSet& operator&=(const RuleSet& other);
  std::optional<uint32_t> first() const;  // lowest set rule
  std::vector<uint32_t> indices() const;
  const std::vector<uint64_t>& words() const { return words_; }
  friend bool operator==(const RuleSet&, const RuleSet&) = default;

 private:
  std::vector<uint64_t> words_;
};

}  // namespace westworld::policy

#include "westworld/policy/rule_set.h"

#include <algorithm>
#include <bit>

namespace westworld::policy {

RuleSet& RuleSet::operator|=(const RuleSet& other) {
  if (other.words_.size() > words_.size()) words_.resize(other.words_.size(), 0);
  for (size_t i = 0; i < other.words_.size(); ++i) words_[i] |= other.words_[i];
  return *this;
}

RuleSet& RuleSet::operator&=(const RuleSet& other) {
  size_t common = std::min(words_.size(), other.words_.size());
  for (size_t i = 0; i < common; ++i) words_[i] &= other.words_[i];
  // Words the other set lacks are empty there, so they are empty here too.
  std::fill(words_.begin() + static_cast<std::ptrdiff_t>(common), words_.end(), 0);
  return *this;
}

std::optional<uint32_t> RuleSet::first() const {
  for (size_t i = 0; i < words_.size(); ++i) {
    if (words_[i] != 0) return static_cast<uint32_t>(i * 64 + std::countr_zero(words_[i]));
  }
  return std::nullopt;
}

std::vector<uint32_t> RuleSet::indices() const {
  std::vector<uint32_t> result;
  for (size_t i = 0; i < words_.size(); ++i) {
    for (uint64_t word = words_[i]; word != 0; word &= word - 1) {
      result.push_back(static_cast<uint32_t>(i * 64 + std::countr_zero(word)));
    }
  }
  return result;
}

}  // namespace westworld::policy

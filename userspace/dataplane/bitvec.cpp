#include "bitvec.h"

#include "westworld/dataplane/error.h"

namespace westworld::dataplane {

std::unique_ptr<ww_bitvec> to_bitvec(const policy::RuleSet& rules) {
  const auto& words = rules.words();
  if (words.size() > WW_RULE_WORDS) throw Error("policy has more rules than the data plane holds");
  auto vec = std::make_unique<ww_bitvec>();
  for (size_t w = 0; w < words.size(); ++w) {
    vec->word[w] = words[w];
    if (words[w]) vec->summary[w / 64] |= uint64_t{1} << (w % 64);
  }
  return vec;
}

}  // namespace westworld::dataplane

#include <algorithm>
#include <utility>

#include "compile_tables.h"

namespace westworld::policy {

// Sorting (family, address, length) lists every prefix after all of its
// ancestors, and a prefix's descendants right after it. One walk with a stack
// of the current ancestors then gives each prefix its nearest ancestor's set
// plus its own rules, so the cost is O(prefixes * words), not a pairwise test.
std::vector<PrefixEntry> build_prefix_table(const std::vector<FlowRule>& rules,
                                            std::vector<Cidr> FlowRule::*field) {
  RuleSet any_address(rules.size());
  std::vector<std::pair<Cidr, uint32_t>> listed;  // (prefix, rule naming it)
  for (uint32_t i = 0; i < rules.size(); ++i) {
    const std::vector<Cidr>& prefixes = rules[i].*field;
    if (prefixes.empty()) any_address.set(i);
    for (const Cidr& prefix : prefixes) listed.emplace_back(prefix, i);
  }
  // Every address must find an entry, so both default routes are always there.
  for (const char* everything : {"0.0.0.0/0", "::/0"}) {
    listed.emplace_back(*parse_cidr(everything), UINT32_MAX);
  }
  std::sort(listed.begin(), listed.end());

  std::vector<PrefixEntry> table;
  std::vector<size_t> ancestors;  // indices into table, outermost first
  for (size_t i = 0; i < listed.size();) {
    const Cidr& prefix = listed[i].first;
    while (!ancestors.empty() && !table[ancestors.back()].prefix.contains(prefix)) {
      ancestors.pop_back();
    }
    RuleSet matching = ancestors.empty() ? any_address : table[ancestors.back()].rules;
    for (; i < listed.size() && listed[i].first == prefix; ++i) {
      if (listed[i].second != UINT32_MAX) matching.set(listed[i].second);
    }
    table.push_back({prefix, std::move(matching)});
    ancestors.push_back(table.size() - 1);
  }
  return table;
}

}  // namespace westworld::policy

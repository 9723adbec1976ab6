#include "match_sets.h"

#include <algorithm>

namespace westworld::policy {
namespace {

// Orders prefixes by family and network address only; with host bits zero, a prefix
// that contains another sorts at or before it.
bool address_before(const Cidr& a, const Cidr& b) {
  return std::pair(a.family, a.addr) < std::pair(b.family, b.addr);
}

std::vector<Cidr> canonical(std::vector<Cidr> cidrs) {
  std::sort(cidrs.begin(), cidrs.end());  // by family, address, then shorter first
  std::vector<Cidr> kept;
  for (const Cidr& cidr : cidrs) {
    // Prefixes nest or are disjoint, so in this order only the last one kept can
    // contain the next.
    if (!kept.empty() && kept.back().contains(cidr)) continue;
    kept.push_back(cidr);
  }
  return kept;
}

std::vector<PortRange> canonical(std::vector<PortRange> ranges) {
  std::sort(ranges.begin(), ranges.end(),
            [](const PortRange& a, const PortRange& b) { return a.first < b.first; });
  std::vector<PortRange> merged;
  for (const PortRange& range : ranges) {
    if (!merged.empty() && range.first <= uint32_t{merged.back().last} + 1) {
      merged.back().last = std::max(merged.back().last, range.last);
    } else {
      merged.push_back(range);
    }
  }
  return merged;
}

const AddressSet& every_address() {
  static const AddressSet all{{*parse_cidr("0.0.0.0/0"), *parse_cidr("::/0")}};
  return all;
}

}  // namespace

const AddressSet* MatchSets::addresses(const std::vector<Cidr>& cidrs) {
  std::vector<Cidr> prefixes = canonical(cidrs);
  auto found = address_index_.find(prefixes);
  if (found != address_index_.end()) return found->second;
  const AddressSet* set = &address_sets_.emplace_back(AddressSet{prefixes});
  address_index_.emplace(std::move(prefixes), set);
  return set;
}

const PortSet* MatchSets::ports(const std::vector<PortRange>& list) {
  std::vector<PortRange> ranges = canonical(list);
  std::vector<std::pair<uint16_t, uint16_t>> key;
  for (const PortRange& range : ranges) key.emplace_back(range.first, range.last);
  auto found = port_index_.find(key);
  if (found != port_index_.end()) return found->second;
  const PortSet* set = &port_sets_.emplace_back(PortSet{std::move(ranges)});
  port_index_.emplace(std::move(key), set);
  return set;
}

bool MatchSets::covers(const AddressSet* earlier, const AddressSet* later, size_t& work) const {
  if (earlier == later || earlier->prefixes.empty()) return true;
  const auto& outer = earlier->prefixes;
  const auto& needed = later->prefixes.empty() ? every_address().prefixes : later->prefixes;
  return std::all_of(needed.begin(), needed.end(), [&](const Cidr& prefix) {
    ++work;
    // The only candidate is the last earlier prefix that starts at or before this one.
    auto after = std::upper_bound(outer.begin(), outer.end(), prefix, address_before);
    return after != outer.begin() && std::prev(after)->contains(prefix);
  });
}

bool MatchSets::covers(const PortSet* earlier, const PortSet* later, size_t& work) const {
  if (earlier == later || earlier->ranges.empty()) return true;
  // Any port includes packets without ports (non-first fragments), which no list matches.
  if (later->ranges.empty()) return false;
  const auto& outer = earlier->ranges;
  const auto& needed = later->ranges;
  // The outer bounds reject most pairs without a search.
  if (needed.front().first < outer.front().first || needed.back().last > outer.back().last) {
    return false;
  }
  return std::all_of(needed.begin(), needed.end(), [&](const PortRange& range) {
    ++work;
    auto after = std::upper_bound(
        outer.begin(), outer.end(), range.first,
        [](uint16_t port, const PortRange& candidate) { return port < candidate.first; });
    return after != outer.begin() && std::prev(after)->last >= range.last;
  });
}

}  // namespace westworld::policy

// A flow rule's address and port lists in a canonical form for the shadowed-rule analysis:
// sorted, redundancy removed, and interned, so lists with the same meaning (a YAML alias
// used by every rule, say) are one object and compare in O(1). Whether one set covers
// another is a binary search per entry, and every search is counted as a step of work.
#pragma once

#include <cstddef>
#include <deque>
#include <map>
#include <utility>
#include <vector>

#include "westworld/policy/model.h"

namespace westworld::policy {

// Prefixes none of which lies inside another, sorted by address; empty means any address.
struct AddressSet {
  std::vector<Cidr> prefixes;
};

// Disjoint, non-adjacent port ranges, sorted; empty means any port (and packets without
// ports too).
struct PortSet {
  std::vector<PortRange> ranges;
};

class MatchSets {
 public:
  // The canonical, interned set for a rule's list; stable for this object's lifetime.
  const AddressSet* addresses(const std::vector<Cidr>& cidrs);
  const PortSet* ports(const std::vector<PortRange>& ranges);

  // Whether every address (port) `later` matches is matched by `earlier`, adding one to
  // `work` per entry looked up. Covers by a single entry of `earlier` only: a prefix
  // covered by a union of earlier prefixes is not seen, so the analysis errs on the side
  // of no warning.
  bool covers(const AddressSet* earlier, const AddressSet* later, size_t& work) const;
  bool covers(const PortSet* earlier, const PortSet* later, size_t& work) const;

 private:
  std::deque<AddressSet> address_sets_;
  std::map<std::vector<Cidr>, const AddressSet*> address_index_;
  std::deque<PortSet> port_sets_;
  std::map<std::vector<std::pair<uint16_t, uint16_t>>, const PortSet*> port_index_;
};

}  // namespace westworld::policy

// Sources the agent must never quarantine: the router's own addresses (it
// would cut itself off) and every class the policy marks `protected: true`.
// A source is an identity block, so it is protected when its block overlaps
// a protected prefix at all.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "westworld/abi.h"
#include "westworld/policy/model.h"

namespace westworld::anomaly {

struct ProtectedPrefix {
  policy::Cidr prefix;
  std::string why;  // "router address 10.0.0.1", "class 'backbone'"
};

class Protection {
 public:
  Protection() = default;
  Protection(const policy::Policy& policy, const std::vector<policy::Cidr>& own_addresses);

  // Why `key` is protected, or nullopt when it may be quarantined.
  std::optional<std::string> why_protected(const ww_source_key& key) const;
  const std::vector<ProtectedPrefix>& prefixes() const { return prefixes_; }

 private:
  std::vector<ProtectedPrefix> prefixes_;
  uint8_t ipv4_prefix_ = 32;
  uint8_t ipv6_prefix_ = 64;
};

}  // namespace westworld::anomaly

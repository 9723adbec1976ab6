#include "westworld/anomaly/protection.h"

#include <algorithm>
#include <cstring>

namespace westworld::anomaly {
namespace {

policy::Cidr identity_block(const ww_source_key& key, uint8_t ipv4_prefix, uint8_t ipv6_prefix) {
  policy::Cidr block;
  block.family = key.family == WW_FAMILY_IPV4 ? policy::Family::ipv4 : policy::Family::ipv6;
  block.length = block.family == policy::Family::ipv4 ? ipv4_prefix : ipv6_prefix;
  std::memcpy(block.addr.data(), key.addr, sizeof key.addr);
  return block;
}

// Two prefixes overlap when one contains the other.
bool overlap(const policy::Cidr& a, const policy::Cidr& b) {
  return a.family == b.family && (a.contains(b) || b.contains(a));
}

}  // namespace

Protection::Protection(const policy::Policy& policy, const std::vector<policy::Cidr>& own_addresses)
    : ipv4_prefix_(policy.identity_ipv4_prefix), ipv6_prefix_(policy.identity_ipv6_prefix) {
  for (const policy::Cidr& address : own_addresses)
    prefixes_.push_back({address, "router address " + address.to_string()});
  for (const policy::QuotaClass& quota_class : policy.classes) {
    if (!quota_class.is_protected) continue;
    for (const policy::Cidr& prefix : quota_class.src)
      prefixes_.push_back(
          {prefix, "protected class '" + quota_class.name + "' (" + prefix.to_string() + ")"});
  }
}

std::optional<std::string> Protection::why_protected(const ww_source_key& key) const {
  const policy::Cidr block = identity_block(key, ipv4_prefix_, ipv6_prefix_);
  for (const ProtectedPrefix& p : prefixes_)
    if (overlap(block, p.prefix)) return p.why;
  return std::nullopt;
}

}  // namespace westworld::anomaly

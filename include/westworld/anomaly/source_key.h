// Sources as the data plane keys them (struct ww_source_key: an address
// masked to the policy's identity prefix), made usable as hash keys and
// readable by people.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "westworld/abi.h"

namespace westworld::anomaly {

struct SourceKeyHash {
  size_t operator()(const ww_source_key& key) const noexcept;
};

struct SourceKeyEqual {
  bool operator()(const ww_source_key& a, const ww_source_key& b) const noexcept;
};

// "10.0.0.1", "fd00:1::"; the address of the key (the identity prefix is the policy's).
std::string format_source(const ww_source_key& key);

// An address (or a prefix no longer than the identity prefix) as the data plane
// keys it; nullopt, with `why_not`, when `text` is neither.
std::optional<ww_source_key> parse_source(const std::string& text, uint8_t ipv4_prefix,
                                          uint8_t ipv6_prefix, std::string& why_not);

}  // namespace westworld::anomaly

// Builds ww_sources contents for the tests of the per-source pipeline.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "westworld/abi.h"
#include "westworld/anomaly/source_key.h"

namespace westworld::anomaly::testing {

inline ww_source_key key_of(const std::string& address) {
  std::string why_not;
  return parse_source(address, 32, 64, why_not).value();
}

struct SourceTable {
  std::vector<ww_source_key> keys;
  std::vector<ww_source> values;

  // Adds (or advances) a source by `packets` of `bytes_each` on `ifindex`.
  SourceTable& add(const std::string& address, uint64_t packets, uint32_t ifindex = 1,
                   uint64_t bytes_each = 100) {
    const ww_source_key key = key_of(address);
    for (size_t i = 0; i < keys.size(); ++i) {
      if (SourceKeyEqual{}(keys[i], key)) {
        values[i].packets += packets;
        values[i].bytes += packets * bytes_each;
        values[i].last_ifindex = ifindex;
        return *this;
      }
    }
    ww_source value{};
    value.packets = packets;
    value.bytes = packets * bytes_each;
    value.last_ifindex = ifindex;
    keys.push_back(key);
    values.push_back(value);
    return *this;
  }

  void remove(const std::string& address) {
    const ww_source_key key = key_of(address);
    for (size_t i = 0; i < keys.size(); ++i) {
      if (SourceKeyEqual{}(keys[i], key)) {
        keys.erase(keys.begin() + static_cast<std::ptrdiff_t>(i));
        values.erase(values.begin() + static_cast<std::ptrdiff_t>(i));
        return;
      }
    }
  }
};

}  // namespace westworld::anomaly::testing

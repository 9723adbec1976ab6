// The macaroon harness's input: a root token and its discharges as V2 binary macaroons,
// each preceded by its length (two bytes, big-endian). The seed generator writes it,
// the harness reads it; both use the keys below.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "westworld/capability/bytes.h"

namespace westworld::fuzz {

inline constexpr std::string_view kFuzzRootKey = "fuzz root key: verifies the seeds";
inline constexpr std::string_view kFuzzCaveatKey = "fuzz third-party caveat key";

// Splits `data` into its records; a last record cut short by the end is kept as it is.
inline std::vector<capability::ByteView> split_records(capability::ByteView data) {
  std::vector<capability::ByteView> records;
  while (data.size() >= 2) {
    const std::size_t length = std::size_t{data[0]} << 8 | data[1];
    data = data.subspan(2);
    const std::size_t taken = length < data.size() ? length : data.size();
    records.push_back(data.first(taken));
    data = data.subspan(taken);
  }
  return records;
}

inline void append_record(capability::Bytes& out, capability::ByteView record) {
  out.push_back(static_cast<std::uint8_t>(record.size() >> 8));
  out.push_back(static_cast<std::uint8_t>(record.size()));
  out.insert(out.end(), record.begin(), record.end());
}

}  // namespace westworld::fuzz

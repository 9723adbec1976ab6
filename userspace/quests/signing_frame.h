// The fixed framing of what quest records sign (evidence, crises): big-endian integers and
// length-prefixed strings after a domain tag, so no two different records encode alike.
#pragma once

#include <cstdint>
#include <string_view>

#include "westworld/capability/bytes.h"

namespace westworld::quests::detail {

template <typename Unsigned>
void put_be(capability::Bytes& out, Unsigned value) {
  for (int shift = 8 * (sizeof(Unsigned) - 1); shift >= 0; shift -= 8)
    out.push_back(static_cast<uint8_t>(value >> shift));
}

// A u32 length, then the bytes.
inline void put_string(capability::Bytes& out, std::string_view text) {
  put_be(out, static_cast<uint32_t>(text.size()));
  out.insert(out.end(), text.begin(), text.end());
}

// A signed time, as its two's-complement u64.
inline void put_seconds(capability::Bytes& out, int64_t seconds) {
  put_be(out, static_cast<uint64_t>(seconds));
}

}  // namespace westworld::quests::detail

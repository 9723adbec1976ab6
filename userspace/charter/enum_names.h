// The charter's enums are stored by name (the ledger): one way to read a name back.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace westworld::charter {

// The enumerator whose name (its value's index in `names`) is `name`.
template <typename Enum, size_t N>
std::optional<Enum> enum_named(const std::array<const char*, N>& names, std::string_view name) {
  for (size_t i = 0; i < N; ++i)
    if (name == names[i]) return static_cast<Enum>(i);
  return std::nullopt;
}

}  // namespace westworld::charter

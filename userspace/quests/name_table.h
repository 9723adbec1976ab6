// The quests' small enum <-> name tables (categories, crisis kinds): one lookup both ways and
// one "a, b, c" list for messages, so each table is written once and read the same way.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace westworld::quests::detail {

template <typename Enum>
struct Named {
  Enum value;
  std::string_view name;
};

template <typename Enum, std::size_t N>
std::string_view name_of(const Named<Enum> (&table)[N], Enum value) {
  for (const Named<Enum>& entry : table)
    if (entry.value == value) return entry.name;
  return "?";
}

template <typename Enum, std::size_t N>
std::optional<Enum> value_named(const Named<Enum> (&table)[N], std::string_view name) {
  for (const Named<Enum>& entry : table)
    if (entry.name == name) return entry.value;
  return std::nullopt;
}

template <typename Enum, std::size_t N>
std::string joined_names(const Named<Enum> (&table)[N]) {
  std::string names;
  for (const Named<Enum>& entry : table) {
    if (!names.empty()) names += ", ";
    names += entry.name;
  }
  return names;
}

}  // namespace westworld::quests::detail

// The printed names of the map ABI's enums: status JSON keys, log words and metric labels.
// Generated from the tables in abi.h, so a value added there is named here with no other edit,
// and a value out of range prints as "unknown" instead of reading past a table.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>

#include "westworld/abi.h"

namespace westworld::abi {

inline constexpr const char* kUnknownName = "unknown";

#define WW_ABI_NAME_CASE(enumerator, value, name) \
  case enumerator:                                \
    return name;

constexpr const char* direction_name(uint32_t dir) {
  switch (dir) {
    WW_DIRECTIONS(WW_ABI_NAME_CASE)
    default:
      return kUnknownName;
  }
}

constexpr const char* action_name(uint32_t action) {
  switch (action) {
    WW_ACTIONS(WW_ABI_NAME_CASE)
    default:
      return kUnknownName;
  }
}

constexpr const char* drop_reason_name(uint32_t reason) {
  switch (reason) {
    WW_DROP_REASONS(WW_ABI_NAME_CASE)
    default:
      return kUnknownName;
  }
}

constexpr const char* stat_name(uint32_t stat) {
  switch (stat) {
    WW_STATS(WW_ABI_NAME_CASE)
    default:
      return kUnknownName;
  }
}

constexpr const char* quarantine_action_name(uint32_t action) {
  switch (action) {
    WW_QUARANTINE_ACTIONS(WW_ABI_NAME_CASE)
    default:
      return kUnknownName;
  }
}

constexpr const char* quarantine_origin_name(uint32_t origin) {
  switch (origin) {
    WW_QUARANTINE_ORIGINS(WW_ABI_NAME_CASE)
    default:
      return kUnknownName;
  }
}

constexpr const char* reverse_path_mode_name(uint32_t mode) {
  switch (mode) {
    WW_REVERSE_PATH_MODES(WW_ABI_NAME_CASE)
    default:
      return kUnknownName;
  }
}

constexpr const char* rule_origin_name(uint32_t origin) {
  switch (origin) {
    WW_RULE_ORIGINS(WW_ABI_NAME_CASE)
    default:
      return kUnknownName;
  }
}

#undef WW_ABI_NAME_CASE

// An enum that indexes a map must cover 0..count-1 exactly once, or a slot of the map would
// be unnamed, or named twice.
template <size_t N>
constexpr bool dense_from_zero(const uint32_t (&values)[N]) {
  bool seen[N] = {};
  for (uint32_t value : values) {
    if (value >= N || seen[value]) return false;
    seen[value] = true;
  }
  return true;
}

#define WW_ABI_VALUE(enumerator, value, name) value,
inline constexpr uint32_t kDirectionValues[] = {WW_DIRECTIONS(WW_ABI_VALUE)};
inline constexpr uint32_t kActionValues[] = {WW_ACTIONS(WW_ABI_VALUE)};
inline constexpr uint32_t kDropReasonValues[] = {WW_DROP_REASONS(WW_ABI_VALUE)};
inline constexpr uint32_t kStatValues[] = {WW_STATS(WW_ABI_VALUE)};
#undef WW_ABI_VALUE

static_assert(dense_from_zero(kDirectionValues) && std::size(kDirectionValues) == WW_DIR_MAX,
              "ww_direction indexes ww_stats: values 0..WW_DIR_MAX-1");
static_assert(dense_from_zero(kActionValues) && std::size(kActionValues) == WW_ACTION_MAX,
              "ww_action: values 0..WW_ACTION_MAX-1");
static_assert(dense_from_zero(kDropReasonValues) && std::size(kDropReasonValues) == WW_DROP_MAX,
              "ww_drop_reason indexes ww_drop_stats: values 0..WW_DROP_MAX-1");
static_assert(dense_from_zero(kStatValues) && std::size(kStatValues) == WW_STAT_MAX,
              "ww_stat indexes ww_stats: values 0..WW_STAT_MAX-1");

}  // namespace westworld::abi

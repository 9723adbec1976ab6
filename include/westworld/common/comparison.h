// A comparison as people write it in gates and criteria ("delivery_ratio >= 95%",
// "peers >= 3", "drop_rate.rule <= 20"): one operator set, one spelling, one meaning for the
// rollout gates, the Cradle's gates and the quests' criteria.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace westworld::common {

enum class Comparison : std::uint8_t { lt = 0, le = 1, eq = 2, ge = 3, gt = 4 };

inline constexpr Comparison kComparisons[] = {Comparison::lt, Comparison::le, Comparison::eq,
                                              Comparison::ge, Comparison::gt};

constexpr std::string_view comparison_text(Comparison op) {
  switch (op) {
    case Comparison::lt:
      return "<";
    case Comparison::le:
      return "<=";
    case Comparison::eq:
      return "==";
    case Comparison::ge:
      return ">=";
    case Comparison::gt:
      return ">";
  }
  return "?";
}

constexpr std::optional<Comparison> parse_comparison(std::string_view text) {
  for (Comparison op : kComparisons)
    if (text == comparison_text(op)) return op;
  return std::nullopt;
}

// `value OP threshold`, for any one arithmetic type on both sides (whole numbers for most
// signals, double for a Prometheus query's value).
template <typename Number>
constexpr bool compare(Comparison op, Number value, Number threshold) {
  switch (op) {
    case Comparison::lt:
      return value < threshold;
    case Comparison::le:
      return value <= threshold;
    case Comparison::eq:
      return value == threshold;
    case Comparison::ge:
      return value >= threshold;
    case Comparison::gt:
      return value > threshold;
  }
  return false;
}

}  // namespace westworld::common

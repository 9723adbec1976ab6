#include "quest_units.h"

#include <charconv>
#include <chrono>
#include <limits>

namespace westworld::quests {
namespace {

struct Suffix {
  std::string_view text;
  int64_t ms;
};

constexpr Suffix kDurationUnits[] = {
    {"d", 86'400'000}, {"h", 3'600'000}, {"m", 60'000}, {"s", 1'000}, {"ms", 1}};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Exactly `width` digits at `text[at]`.
std::optional<int> fixed_digits(std::string_view text, size_t at, size_t width) {
  if (at + width > text.size()) return std::nullopt;
  int value = 0;
  for (size_t i = at; i < at + width; ++i) {
    if (!is_digit(text[i])) return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

}  // namespace

std::optional<int64_t> parse_duration_ms(std::string_view text) {
  size_t digits = 0;
  while (digits < text.size() && is_digit(text[digits])) ++digits;
  if (digits == 0) return std::nullopt;
  int64_t number = 0;
  auto [end, status] = std::from_chars(text.data(), text.data() + digits, number);
  if (status != std::errc()) return std::nullopt;
  const std::string_view unit = text.substr(digits);
  for (const Suffix& suffix : kDurationUnits) {
    if (unit != suffix.text) continue;
    if (number > std::numeric_limits<int64_t>::max() / suffix.ms) return std::nullopt;
    return number * suffix.ms;
  }
  return std::nullopt;
}

std::string format_duration_ms(int64_t ms) {
  for (const Suffix& suffix : kDurationUnits) {
    if (ms != 0 && ms % suffix.ms == 0)
      return std::to_string(ms / suffix.ms) + std::string(suffix.text);
  }
  return "0s";
}

std::optional<common::UnixSeconds> parse_utc_instant(std::string_view text) {
  // YYYY-MM-DD, optionally followed by THH:MM:SSZ.
  if (text.size() != 10 && text.size() != 20) return std::nullopt;
  auto year = fixed_digits(text, 0, 4);
  auto month = fixed_digits(text, 5, 2);
  auto day = fixed_digits(text, 8, 2);
  if (!year || !month || !day || text[4] != '-' || text[7] != '-') return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year(*year),
                                         std::chrono::month(static_cast<unsigned>(*month)),
                                         std::chrono::day(static_cast<unsigned>(*day))};
  if (!date.ok()) return std::nullopt;  // 2026-02-30
  common::UnixSeconds instant{std::chrono::sys_days(date).time_since_epoch()};
  if (text.size() == 10) return instant;
  auto hour = fixed_digits(text, 11, 2);
  auto minute = fixed_digits(text, 14, 2);
  auto second = fixed_digits(text, 17, 2);
  if (text[10] != 'T' || text[13] != ':' || text[16] != ':' || text[19] != 'Z' || !hour ||
      !minute || !second || *hour > 23 || *minute > 59 || *second > 59) {
    return std::nullopt;
  }
  return instant + std::chrono::hours(*hour) + std::chrono::minutes(*minute) +
         std::chrono::seconds(*second);
}

}  // namespace westworld::quests

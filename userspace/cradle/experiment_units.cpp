#include "experiment_units.h"

#include <charconv>
#include <limits>

#include "westworld/policy/units.h"

namespace westworld::cradle {
namespace {

struct Suffix {
  std::string_view text;
  uint64_t scale;
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A run of digits at the front of `text` as a number; nullopt when there is none or it
// overflows. `digits` says how many characters it took.
std::optional<uint64_t> leading_integer(std::string_view text, size_t& digits) {
  digits = 0;
  while (digits < text.size() && is_digit(text[digits])) ++digits;
  if (digits == 0) return std::nullopt;
  uint64_t number = 0;
  auto [end, status] = std::from_chars(text.data(), text.data() + digits, number);
  if (status != std::errc()) return std::nullopt;
  return number;
}

// An integer followed by exactly one of `suffixes`, scaled; nullopt on overflow.
template <size_t N>
std::optional<uint64_t> integer_with_suffix(std::string_view text, const Suffix (&suffixes)[N]) {
  size_t digits = 0;
  auto number = leading_integer(text, digits);
  if (!number) return std::nullopt;
  const std::string_view suffix = text.substr(digits);
  for (const Suffix& s : suffixes) {
    if (suffix != s.text) continue;
    if (*number > std::numeric_limits<uint64_t>::max() / s.scale) return std::nullopt;
    return *number * s.scale;
  }
  return std::nullopt;
}

// Whether `text` ends in a unit: a bare number is refused even where the policy's parsers
// would read it as bytes or bits per second.
bool ends_in_unit(std::string_view text) {
  return !text.empty() && !is_digit(text.back()) && text.back() != '.';
}

constexpr uint64_t kPpmPerPercent = 10000;
constexpr uint64_t kMillion = 1000000;

constexpr std::string_view kRatioForms =
    "a percentage such as 95% or 99.5% (up to 4 decimals) or ppm such as 950000ppm";

}  // namespace

std::optional<uint64_t> parse_time(std::string_view text, TimeScale scale) {
  static constexpr Suffix kMilliseconds[] = {{"ms", 1}, {"s", 1000}, {"m", 60000}};
  static constexpr Suffix kMicroseconds[] = {{"us", 1}, {"ms", 1000}, {"s", 1000000}};
  return scale == TimeScale::milliseconds ? integer_with_suffix(text, kMilliseconds)
                                          : integer_with_suffix(text, kMicroseconds);
}

std::optional<uint64_t> parse_pps(std::string_view text) {
  static constexpr Suffix kPps[] = {{"pps", 1}};
  return integer_with_suffix(text, kPps);
}

std::optional<uint64_t> parse_ppm(std::string_view text) {
  static constexpr Suffix kPpm[] = {{"ppm", 1}};
  if (!text.ends_with('%')) return integer_with_suffix(text, kPpm);
  text.remove_suffix(1);
  size_t digits = 0;
  auto whole = leading_integer(text, digits);
  // 100% is the most any ratio can be; past a million percent the arithmetic could overflow.
  if (!whole || *whole > kMillion) return std::nullopt;
  uint64_t ppm = *whole * kPpmPerPercent;
  std::string_view rest = text.substr(digits);
  if (rest.empty()) return ppm;
  if (rest[0] != '.') return std::nullopt;
  rest.remove_prefix(1);
  // Four decimals of a percent are exactly one ppm; a fifth would be rounded away.
  if (rest.empty() || rest.size() > 4) return std::nullopt;
  uint64_t scale = kPpmPerPercent;
  for (char c : rest) {
    if (!is_digit(c)) return std::nullopt;
    scale /= 10;
    ppm += static_cast<uint64_t>(c - '0') * scale;
  }
  return ppm;
}

std::string format_ms(uint64_t ms) {
  if (ms >= 60000 && ms % 60000 == 0) return std::to_string(ms / 60000) + "m";
  if (ms >= 1000 && ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

std::optional<uint32_t> read_duration_ms(const Value& value, uint32_t min_ms, uint32_t max_ms,
                                         DiagnosticSink& sink) {
  auto text = read_scalar(value, sink);
  if (!text) return std::nullopt;
  auto ms = parse_time(*text, TimeScale::milliseconds);
  if (!ms) {
    sink.error(value.at, value.name + " must be a time such as 20s, 500ms or 2m (units ms, s or " +
                             "m), not '" + *text + "'");
    return std::nullopt;
  }
  if (*ms < min_ms || *ms > max_ms) {
    sink.error(value.at, value.name + " must be between " + format_ms(min_ms) + " and " +
                             format_ms(max_ms) + ", not " + *text);
    return std::nullopt;
  }
  return static_cast<uint32_t>(*ms);
}

std::optional<uint32_t> read_pps(const Value& value, uint32_t max_pps, DiagnosticSink& sink) {
  auto text = read_scalar(value, sink);
  if (!text) return std::nullopt;
  auto pps = parse_pps(*text);
  if (!pps) {
    sink.error(value.at, value.name + " must be a rate in packets per second such as 200pps, " +
                             "not '" + *text + "'");
    return std::nullopt;
  }
  if (*pps < 1 || *pps > max_pps) {
    sink.error(value.at, value.name + " must be between 1pps and " + std::to_string(max_pps) +
                             "pps, not " + *text);
    return std::nullopt;
  }
  return static_cast<uint32_t>(*pps);
}

std::optional<uint32_t> read_probability_ppm(const Value& value, DiagnosticSink& sink) {
  auto text = read_scalar(value, sink);
  if (!text) return std::nullopt;
  auto ppm = parse_ppm(*text);
  if (!ppm) {
    sink.error(value.at,
               value.name + " must be " + std::string(kRatioForms) + ", not '" + *text + "'");
    return std::nullopt;
  }
  if (*ppm < 1 || *ppm > kMillion) {
    sink.error(value.at, value.name + " must be between 0.0001% and 100%, not " + *text);
    return std::nullopt;
  }
  return static_cast<uint32_t>(*ppm);
}

std::optional<uint32_t> read_payload_bytes(const Value& value, uint32_t min, uint32_t max,
                                           DiagnosticSink& sink) {
  auto text = read_scalar(value, sink);
  if (!text) return std::nullopt;
  auto bytes = !ends_in_unit(*text) ? std::nullopt : policy::parse_byte_size(*text);
  if (!bytes) {
    sink.error(value.at, value.name + " must be a size with its unit such as 200B or 1KB " +
                             "(B, KB or MB), not '" + *text + "'");
    return std::nullopt;
  }
  if (*bytes < min || *bytes > max) {
    sink.error(value.at, value.name + " must be between " + std::to_string(min) + "B and " +
                             std::to_string(max) + "B, not " + *text);
    return std::nullopt;
  }
  return static_cast<uint32_t>(*bytes);
}

std::optional<uint64_t> read_bits_per_second(const Value& value, DiagnosticSink& sink) {
  auto text = read_scalar(value, sink);
  if (!text) return std::nullopt;
  auto bits = !ends_in_unit(*text) ? std::nullopt : policy::parse_bit_rate(*text);
  if (!bits) {
    sink.error(value.at, value.name + " must be a bit rate with its unit such as 10Mbit " +
                             "(bit, Kbit, Mbit or Gbit), not '" + *text + "'");
    return std::nullopt;
  }
  if (*bits == 0) {
    sink.error(value.at, value.name + " must be positive, not " + *text);
    return std::nullopt;
  }
  return bits;
}

std::optional<int64_t> read_threshold(const Value& value, const SignalName& signal,
                                      DiagnosticSink& sink) {
  auto text = read_scalar(value, sink);
  if (!text) return std::nullopt;
  std::optional<uint64_t> number;
  std::string forms;
  const Unit unit = unit_of(signal.kind);
  switch (unit) {
    case Unit::ppm:
      number = parse_ppm(*text);
      forms = "a ratio: " + std::string(kRatioForms);
      break;
    case Unit::microseconds:
      number = parse_time(*text, TimeScale::microseconds);
      forms = "a latency: a time such as 50ms or 500us (units us, ms or s)";
      break;
    case Unit::milliseconds:
      number = parse_time(*text, TimeScale::milliseconds);
      forms = "a time such as 5s or 500ms (units ms, s or m)";
      break;
    case Unit::count: {
      size_t digits = 0;
      number = leading_integer(*text, digits);
      if (digits != text->size()) number = std::nullopt;
      forms = "a count: a plain integer such as 0";
      break;
    }
  }
  const std::string signal_text = signal.text();
  if (!number) {
    sink.error(value.at,
               "the threshold of " + signal_text + " must be " + forms + ", not '" + *text + "'");
    return std::nullopt;
  }
  if (unit == Unit::ppm && *number > kMillion) {
    sink.error(value.at,
               "the threshold of " + signal_text + " is a ratio, at most 100%, not " + *text);
    return std::nullopt;
  }
  if (*number > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    sink.error(value.at, "the threshold of " + signal_text + " is too large: " + *text);
    return std::nullopt;
  }
  return static_cast<int64_t>(*number);
}

std::optional<std::string> read_identifier(const Value& value, size_t max_length,
                                           DiagnosticSink& sink) {
  auto text = read_scalar(value, sink);
  if (!text) return std::nullopt;
  bool valid = !text->empty() && text->size() <= max_length;
  for (char c : *text) {
    valid = valid && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_' ||
                      c == '-');
  }
  if (!valid) {
    sink.error(value.at, value.name + " must be 1 to " + std::to_string(max_length) +
                             " letters, digits, '_' or '-', not '" + *text + "'");
    return std::nullopt;
  }
  return text;
}

}  // namespace westworld::cradle

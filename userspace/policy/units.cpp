#include "westworld/policy/units.h"

#include <charconv>
#include <initializer_list>
#include <limits>
#include <utility>

namespace westworld::policy {
namespace {

struct Unit {
  std::string_view suffix;
  uint64_t scale;
};

constexpr uint64_t kKilo = 1000;
constexpr uint64_t kKibi = 1024;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// "1.5Gbit" -> 1500000000: a decimal number with an optional fraction and a
// unit. Fractions of the base unit are truncated; nullopt on overflow.
std::optional<uint64_t> parse_quantity(std::string_view text, std::initializer_list<Unit> units) {
  using Wide = unsigned __int128;
  constexpr int kMaxDigits = 18;  // keeps every intermediate within 128 bits
  size_t i = 0;
  Wide whole = 0;
  int whole_digits = 0;
  for (; i < text.size() && is_digit(text[i]); ++i, ++whole_digits) {
    whole = whole * 10 + static_cast<unsigned>(text[i] - '0');
  }
  Wide fraction = 0;
  Wide fraction_scale = 1;
  if (i < text.size() && text[i] == '.') {
    ++i;
    int fraction_digits = 0;
    for (; i < text.size() && is_digit(text[i]); ++i, ++fraction_digits) {
      fraction = fraction * 10 + static_cast<unsigned>(text[i] - '0');
      fraction_scale *= 10;
    }
    if (fraction_digits == 0 || fraction_digits > kMaxDigits) return std::nullopt;
  }
  if (whole_digits == 0 || whole_digits > kMaxDigits + 2) return std::nullopt;
  while (i < text.size() && text[i] == ' ') ++i;
  std::string_view suffix = text.substr(i);
  for (const Unit& unit : units) {
    if (suffix != unit.suffix) continue;
    Wide value = whole * unit.scale + fraction * unit.scale / fraction_scale;
    if (value > std::numeric_limits<uint64_t>::max()) return std::nullopt;
    return static_cast<uint64_t>(value);
  }
  return std::nullopt;
}

std::optional<uint32_t> parse_port_number(std::string_view text) {
  uint32_t number = 0;
  auto [end, status] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (text.empty() || end != text.data() + text.size()) return std::nullopt;
  if (status != std::errc()) return std::numeric_limits<uint32_t>::max();
  return number;
}

}  // namespace

std::optional<uint64_t> parse_bit_rate(std::string_view text) {
  return parse_quantity(text, {{"", 1},
                               {"bit", 1},
                               {"Kbit", kKilo},
                               {"kbit", kKilo},
                               {"Mbit", kKilo * kKilo},
                               {"mbit", kKilo * kKilo},
                               {"Gbit", kKilo * kKilo * kKilo},
                               {"gbit", kKilo * kKilo * kKilo}});
}

std::optional<uint64_t> parse_byte_size(std::string_view text) {
  return parse_quantity(text, {{"", 1},
                               {"B", 1},
                               {"KB", kKibi},
                               {"KiB", kKibi},
                               {"MB", kKibi * kKibi},
                               {"MiB", kKibi * kKibi},
                               {"GB", kKibi * kKibi * kKibi},
                               {"GiB", kKibi * kKibi * kKibi}});
}

std::optional<PortRange> parse_port_range(std::string_view text, std::string& why_not) {
  size_t dash = text.find('-');
  std::string_view first_text = text.substr(0, dash);
  std::string_view last_text = dash == std::string_view::npos ? first_text : text.substr(dash + 1);
  auto first = parse_port_number(first_text);
  auto last = parse_port_number(last_text);
  if (!first || !last) {
    why_not = "bad port '" + std::string(text) +
              "'; expected a port number or a range such as 1024-65535";
    return std::nullopt;
  }
  constexpr uint32_t kMaxPort = 65535;
  for (auto [number, number_text] : {std::pair(*first, first_text), std::pair(*last, last_text)}) {
    if (number > kMaxPort) {
      why_not = "port " + std::string(number_text) + " is out of range 0-65535";
      return std::nullopt;
    }
  }
  if (*first > *last) {
    why_not = "reversed port range " + std::string(text) + "; did you mean " +
              std::string(last_text) + "-" + std::string(first_text) + "?";
    return std::nullopt;
  }
  return PortRange{static_cast<uint16_t>(*first), static_cast<uint16_t>(*last)};
}

}  // namespace westworld::policy

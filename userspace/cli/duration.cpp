#include "duration.h"

#include <cctype>
#include <stdexcept>

namespace westworld::cli {

std::chrono::seconds parse_duration(const std::string& text, const std::string& flag,
                                    bool allow_zero) {
  std::chrono::seconds total{0};
  size_t i = 0;
  while (i < text.size()) {
    size_t digits = i;
    while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
    if (digits == i || digits == text.size() || digits - i > 6) break;
    const long value = std::stol(text.substr(i, digits - i));
    const char unit = text[digits];
    if (unit == 'd')
      total += std::chrono::days(value);
    else if (unit == 'h')
      total += std::chrono::hours(value);
    else if (unit == 'm')
      total += std::chrono::minutes(value);
    else if (unit == 's')
      total += std::chrono::seconds(value);
    else
      break;
    i = digits + 1;
  }
  if (text.empty() || i != text.size() || (total.count() == 0 && !allow_zero))
    throw std::runtime_error(flag + " '" + text +
                             "': give a duration like 45s, 90m, 2h, 1h30m or 3d" +
                             (allow_zero ? " (0s for none)" : ""));
  return total;
}

}  // namespace westworld::cli

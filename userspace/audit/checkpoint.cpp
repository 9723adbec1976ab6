#include "westworld/audit/checkpoint.h"

#include <charconv>

#include "westworld/capability/bytes.h"

namespace westworld::audit {
namespace {

std::optional<std::string_view> next_line(std::string_view& text) {
  const size_t end = text.find('\n');
  if (end == std::string_view::npos) return std::nullopt;
  const std::string_view line = text.substr(0, end);
  text.remove_prefix(end + 1);
  return line;
}

std::optional<std::uint64_t> parse_size(std::string_view text) {
  if (text.empty() || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::string Checkpoint::text() const {
  return origin + "\n" + std::to_string(size) + "\n" + capability::to_base64(root) + "\n";
}

std::optional<Checkpoint> Checkpoint::parse(std::string_view text) {
  const auto origin = next_line(text);
  const auto size_line = next_line(text);
  const auto root_line = next_line(text);
  if (!origin || origin->empty() || !size_line || !root_line) return std::nullopt;
  const auto size = parse_size(*size_line);
  const auto root = capability::from_base64(*root_line);
  if (!size || !root || root->size() != sizeof(Hash)) return std::nullopt;
  // Extension lines may follow; they must be non-empty (a blank line ends the text).
  while (!text.empty()) {
    const auto line = next_line(text);
    if (!line || line->empty()) return std::nullopt;
  }
  Checkpoint checkpoint{std::string(*origin), *size, {}};
  std::copy(root->begin(), root->end(), checkpoint.root.begin());
  return checkpoint;
}

}  // namespace westworld::audit

#include "match_fields.h"

#include "units.h"

namespace westworld::policy {
namespace {

// Parses every item of a list with `parse(text, why_not)`, reporting each
// item it rejects rather than only the first.
template <typename Item, typename Parse>
std::optional<std::vector<Item>> read_each(const Value& value, DiagnosticSink& sink, Parse parse) {
  auto items = read_list(value, sink);
  if (!items) return std::nullopt;
  std::vector<Item> parsed;
  bool all_good = true;
  for (const YAML::Node& item : *items) {
    Value entry(value.name + " entry", item);
    auto text = read_scalar(entry, sink);
    if (!text) {
      all_good = false;
      continue;
    }
    std::string why_not;
    std::optional<Item> one = parse(*text, why_not);
    if (!one) {
      sink.error(entry.at, why_not);
      all_good = false;
      continue;
    }
    parsed.push_back(*one);
  }
  if (!all_good) return std::nullopt;
  return parsed;
}

}  // namespace

std::optional<std::vector<Cidr>> read_cidr_list(const Value& value, DiagnosticSink& sink) {
  return read_each<Cidr>(value, sink, [](const std::string& text, std::string& why_not) {
    return parse_cidr(text, why_not);
  });
}

std::optional<std::vector<PortRange>> read_port_list(const Value& value, DiagnosticSink& sink) {
  return read_each<PortRange>(value, sink, parse_port_range);
}

}  // namespace westworld::policy

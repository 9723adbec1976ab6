#include "match_fields.h"

#include <algorithm>

#include "westworld/policy/limits.h"
#include "westworld/policy/units.h"

namespace westworld::policy {
namespace {

// Parses every item of a list with `parse(text, why_not)`, reporting each
// item it rejects rather than only the first.
template <typename Item, typename Parse>
std::optional<std::vector<Item>> read_each(const Value& value, DiagnosticSink& sink, Parse parse) {
  auto items = read_list(value, sink);
  if (!items) return std::nullopt;
  if (items->size() > kMaxListEntries) {
    sink.error(value.at, value.name + " has " + std::to_string(items->size()) +
                             " entries; at most " + std::to_string(kMaxListEntries) +
                             " are accepted in one list");
    return std::nullopt;
  }
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
    std::optional<Item> one = parse(*text, why_not, entry.at);
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

// ::ffff:0:0/96 holds the IPv4-mapped addresses. The data plane sees IPv4 packets with
// IPv4 addresses, so a prefix inside it matches nothing a sender can produce.
bool is_ipv4_mapped(const Cidr& cidr) {
  static const Cidr mapped = *parse_cidr("::ffff:0:0/96");
  return mapped.contains(cidr);
}

Cidr ipv4_form(const Cidr& mapped) {
  Cidr cidr;
  cidr.family = Family::ipv4;
  std::copy(mapped.addr.begin() + 12, mapped.addr.end(), cidr.addr.begin());
  cidr.length = static_cast<uint8_t>(mapped.length - 96);
  return cidr;
}

}  // namespace

std::optional<std::vector<Cidr>> read_cidr_list(const Value& value, DiagnosticSink& sink) {
  return read_each<Cidr>(
      value, sink, [&](const std::string& text, std::string& why_not, SourceLocation at) {
        auto cidr = parse_cidr(text, why_not);
        if (cidr && is_ipv4_mapped(*cidr)) {
          sink.warning(at, text +
                               " is an IPv4-mapped IPv6 prefix, which never matches IPv4 "
                               "packets; write " +
                               ipv4_form(*cidr).to_string() + " instead");
        }
        return cidr;
      });
}

std::optional<std::vector<PortRange>> read_port_list(const Value& value, DiagnosticSink& sink) {
  return read_each<PortRange>(value, sink,
                              [](const std::string& text, std::string& why_not, SourceLocation) {
                                return parse_port_range(text, why_not);
                              });
}

size_t count_list_entries(const YAML::Node& node, std::initializer_list<std::string_view> keys) {
  if (!node.IsMap()) return 0;
  size_t entries = 0;
  for (const auto& entry : node) {
    if (!entry.first.IsScalar() || !entry.second.IsSequence()) continue;
    const std::string& key = entry.first.Scalar();
    if (std::find(keys.begin(), keys.end(), key) != keys.end()) entries += entry.second.size();
  }
  return entries;
}

}  // namespace westworld::policy

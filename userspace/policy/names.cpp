#include <algorithm>

#include "sections.h"
#include "westworld/policy/limits.h"

namespace westworld::policy {

std::optional<std::string> read_name(const Value& value, std::string_view what,
                                     DiagnosticSink& sink) {
  auto name = read_scalar(value, sink);
  if (!name) return std::nullopt;
  // Not quoted back: a name this long is no typo, and it could be megabytes.
  if (name->size() > kMaxNameBytes) {
    sink.error(value.at, std::string(what) + " name is " + std::to_string(name->size()) +
                             " bytes long; at most " + std::to_string(kMaxNameBytes) +
                             " (names become metric labels)");
    return std::nullopt;
  }
  bool well_formed = !name->empty() && std::all_of(name->begin(), name->end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
  if (!well_formed) {
    sink.error(value.at, "bad " + std::string(what) + " name '" + *name +
                             "'; use lowercase letters, digits and '-'");
    return std::nullopt;
  }
  return name;
}

}  // namespace westworld::policy

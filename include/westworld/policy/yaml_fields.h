// Reading values out of yaml-cpp nodes, reporting every misfit with its location instead
// of throwing. The policy loader and the Cradle's experiment loader both read through here,
// so both files answer to the same strict rules.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "westworld/policy/diagnostic_sink.h"
#include "westworld/policy/model.h"

namespace westworld::policy {

// The one YAML document of `text`, or nullopt after reporting a NUL byte or invalid YAML.
// A second document is an error too (it would be silently ignored), but the first is still
// returned so its own problems are reported alongside. `a_kind` names the file's kind in
// messages: "a policy", "an experiment".
std::optional<YAML::Node> load_one_document(const std::string& text, std::string_view a_kind,
                                            DiagnosticSink& sink);

// yaml-cpp marks are 0-based; diagnostics are 1-based, 0 when unknown.
SourceLocation location_of(const YAML::Node& node);

// What a node is, for messages: "a list", "a mapping", "'text'" or "empty".
std::string describe(const YAML::Node& node);

// One `key: value` of a mapping.
struct Field {
  std::string key;
  SourceLocation key_at;
  YAML::Node value;
  SourceLocation value_at;  // the key's location when the value is empty
};

// A node to read, named for messages: a field's value, or a list item.
struct Value {
  std::string name;  // "pps", "src"
  YAML::Node node;
  SourceLocation at;

  // Implicit: every field is a value to read.
  Value(const Field& field) : name(field.key), node(field.value), at(field.value_at) {}
  Value(std::string name, YAML::Node node)
      : name(std::move(name)), node(node), at(location_of(node)) {}
};

// The fields of a mapping in file order; unknown and repeated keys are
// reported and left out. nullopt, with an error, when `value` is no mapping.
std::optional<std::vector<Field>> read_fields(const Value& value,
                                              std::initializer_list<std::string_view> known,
                                              DiagnosticSink& sink);

// Reports every name of `required` that `fields` lacks, at `where`.
void require_fields(const std::vector<Field>& fields, std::string_view what, SourceLocation where,
                    std::initializer_list<std::string_view> required, DiagnosticSink& sink);

std::optional<std::string> read_scalar(const Value& value, DiagnosticSink& sink);

// The items of a list, possibly none.
std::optional<std::vector<YAML::Node>> read_list(const Value& value, DiagnosticSink& sink);

std::optional<uint64_t> read_integer(const Value& value, uint64_t min, uint64_t max,
                                     DiagnosticSink& sink);

std::optional<double> read_number(const Value& value, DiagnosticSink& sink);

// `true` or `false`.
std::optional<bool> read_bool(const Value& value, DiagnosticSink& sink);

template <typename Enum>
using EnumNames = std::initializer_list<std::pair<std::string_view, Enum>>;

// "allow, deny or audit", for messages listing what an enum accepts.
std::string list_alternatives(const std::vector<std::string_view>& names);

template <typename Enum>
std::optional<Enum> read_enum(const Value& value, EnumNames<Enum> names, DiagnosticSink& sink) {
  auto text = read_scalar(value, sink);
  if (!text) return std::nullopt;
  std::vector<std::string_view> accepted;
  for (const auto& [name, member] : names) {
    if (*text == name) return member;
    accepted.push_back(name);
  }
  sink.error(value.at,
             "unknown " + value.name + " '" + *text + "'; expected " + list_alternatives(accepted));
  return std::nullopt;
}

}  // namespace westworld::policy

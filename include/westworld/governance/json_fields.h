// Strict reading of the governance records kept in etcd: every field typed, none unknown,
// and an error that names the record and the field. etcd is not trusted, so a record that
// does not read exactly as written is refused, never half-understood.
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "westworld/capability/bytes.h"
#include "westworld/governance/records.h"

namespace westworld::governance::detail {

class JsonFields {
 public:
  // Parses `text` as one JSON object of `what` with exactly the fields `known` (those not
  // in `optional` are required) and the format tag `format`.
  JsonFields(std::string_view text, std::string what, std::string_view format,
             std::set<std::string> known, std::set<std::string> optional = {})
      : what_(std::move(what)) {
    known.insert("format");
    check(nlohmann::json::parse(text, nullptr, false), known, optional);
    if (string("format") != format) fail("field 'format'", "must be '" + std::string(format) + "'");
  }
  // A nested object (no format tag of its own).
  JsonFields(const nlohmann::json& object, std::string what, const std::set<std::string>& known)
      : what_(std::move(what)) {
    check(object, known, {});
  }

  bool has(const char* name) const { return doc_.contains(name); }
  const nlohmann::json& raw(const char* name) const { return doc_.at(name); }

  std::string string(const char* name) const {
    const auto& value = doc_.at(name);
    if (!value.is_string()) fail(name, "must be a string");
    return value.get<std::string>();
  }
  std::int64_t integer(const char* name) const {
    const auto& value = doc_.at(name);
    if (!value.is_number_integer()) fail(name, "must be an integer");
    return value.get<std::int64_t>();
  }
  std::uint64_t natural(const char* name) const {
    const auto& value = doc_.at(name);
    if (!value.is_number_unsigned()) fail(name, "must be a non-negative integer");
    return value.get<std::uint64_t>();
  }
  std::vector<std::string> strings(const char* name) const {
    const auto& value = doc_.at(name);
    std::vector<std::string> out;
    if (!value.is_array()) fail(name, "must be a list of strings");
    for (const auto& item : value) {
      if (!item.is_string()) fail(name, "must be a list of strings");
      out.push_back(item.get<std::string>());
    }
    return out;
  }
  template <std::size_t N>
  std::array<std::uint8_t, N> hex(const char* name) const {
    const auto bytes = capability::fixed_bytes<N>(capability::from_hex(string(name)));
    if (!bytes) fail(name, "must be " + std::to_string(2 * N) + " hex digits");
    return *bytes;
  }
  template <std::size_t N>
  std::array<std::uint8_t, N> base64(const char* name) const {
    const auto bytes = capability::fixed_bytes<N>(capability::from_base64(string(name)));
    if (!bytes) fail(name, "must be base64 of " + std::to_string(N) + " bytes");
    return *bytes;
  }

  [[noreturn]] void fail(std::string_view field, std::string_view why) const {
    std::string name(field);
    if (name.find(' ') == std::string::npos) name = "field '" + name + "'";
    throw RecordError(what_ + ": " + name + " " + std::string(why));
  }

 private:
  void check(nlohmann::json doc, const std::set<std::string>& known,
             const std::set<std::string>& optional) {
    doc_ = std::move(doc);
    if (doc_.is_discarded() || !doc_.is_object()) fail("the record", "is not a JSON object");
    for (const auto& [name, value] : doc_.items())
      if (!known.contains(name)) fail("field '" + name + "'", "is not a field of this record");
    for (const std::string& name : known)
      if (!optional.contains(name) && !doc_.contains(name))
        fail("field '" + name + "'", "is missing");
  }

  std::string what_;
  nlohmann::json doc_;
};

// A natural number that must fit 32 bits (counts, ppm): larger is an error, never truncated.
inline std::uint32_t small_natural(const JsonFields& fields, const char* name) {
  const std::uint64_t value = fields.natural(name);
  if (value > 0xffffffffu) fields.fail(name, "is too large (at most 4294967295)");
  return static_cast<std::uint32_t>(value);
}

}  // namespace westworld::governance::detail

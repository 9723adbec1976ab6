#include "westworld/policy/yaml_fields.h"

#include <yaml-cpp/eventhandler.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <sstream>

#include "westworld/common/printable.h"

namespace westworld::policy {
namespace {

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t substitute = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      diagonal = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, substitute});
    }
  }
  return row[b.size()];
}

std::string unknown_field_message(const std::string& key, std::string_view where,
                                  std::initializer_list<std::string_view> known) {
  std::string message = "unknown field '" + key + "' in " + std::string(where);
  // A typo is the usual cause; name the field it most likely meant.
  for (std::string_view candidate : known) {
    if (edit_distance(key, candidate) <= 2) {
      return message + "; did you mean '" + std::string(candidate) + "'?";
    }
  }
  return message + "; expected " + list_alternatives({known.begin(), known.end()});
}

// yaml-cpp keeps explicit tags ("!!int", "!secret") without acting on them; a policy
// relies on none, so a tag can only be a mistake or an attempt to smuggle meaning past
// this loader. Untagged nodes read "?" (plain) or "!" (quoted), or nothing.
bool untagged(const YAML::Node& node, SourceLocation at, std::string_view what,
              DiagnosticSink& sink) {
  const std::string& tag = node.Tag();
  if (tag.empty() || tag == "?" || tag == "!") return true;
  sink.error(at, "unknown YAML tag '" + tag + "' on " + std::string(what) +
                     "; policies use no tags, remove it");
  return false;
}

// Counts the documents of a stream, as yaml-cpp's parser reports them. The first document
// is read with Load() and this pass asks whether a second one follows, instead of
// LoadAll(): yaml-cpp 0.7's LoadAll never returns on some malformed streams (`"",` or a
// NUL byte, found by the fuzzer), whose parser keeps reporting empty documents.
class DocumentCounter final : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark&) override { content_ = YAML::Mark::null_mark(); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { saw(mark); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                const std::string&) override {
    saw(mark);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    saw(mark);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    saw(mark);
  }
  void OnMapEnd() override {}

  // Where the last document's content began; null for an empty document.
  const YAML::Mark& content() const { return content_; }

 private:
  void saw(const YAML::Mark& mark) {
    if (content_.is_null()) content_ = mark;
  }
  YAML::Mark content_ = YAML::Mark::null_mark();
};

// Where a second document starts, if the stream has one: its content, or for an empty
// one the '---' that opens it (an empty document's place is otherwise unknown).
std::optional<SourceLocation> second_document(const std::string& text) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentCounter counter;
  int documents = 0;
  while (documents < 2 && parser.HandleNextDocument(counter)) ++documents;
  if (documents < 2) return std::nullopt;
  if (const YAML::Mark& mark = counter.content(); !mark.is_null())
    return SourceLocation{mark.line + 1, mark.column + 1};
  // A '---' before any content opens the first document; one after content, the second.
  bool seen_content = false;
  int line = 1;
  for (size_t start = 0; start < text.size(); ++line) {
    size_t end = std::min(text.find('\n', start), text.size());
    std::string_view content(text.data() + start, end - start);
    if (content.starts_with("---") && seen_content) return SourceLocation{line, 1};
    size_t first = content.find_first_not_of(" \t\r");
    if (first != std::string_view::npos && content[first] != '#' && content[first] != '%') {
      seen_content = true;
    }
    start = end + 1;
  }
  return SourceLocation{};
}

}  // namespace

std::optional<YAML::Node> load_one_document(const std::string& text, std::string_view a_kind,
                                            DiagnosticSink& sink) {
  // YAML streams hold no NUL (it is outside YAML's printable set), and yaml-cpp 0.7's
  // LoadAll never returns on one: refuse it before parsing, at its place.
  if (const size_t nul = text.find('\0'); nul != std::string::npos) {
    const size_t line_start = text.rfind('\n', nul);
    const int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + nul, '\n'));
    const int column =
        static_cast<int>(line_start == std::string::npos ? nul + 1 : nul - line_start);
    sink.error({line, column}, "a NUL byte: " + std::string(a_kind) + " is text");
    return std::nullopt;
  }
  YAML::Node root;
  std::optional<SourceLocation> second;
  try {
    root = YAML::Load(text);
    second = second_document(text);
  } catch (const YAML::Exception& e) {
    SourceLocation where;
    if (!e.mark.is_null()) where = {e.mark.line + 1, e.mark.column + 1};
    sink.error(where, "invalid YAML: " + e.msg);
    return std::nullopt;
  }
  if (second) {
    sink.error(*second, std::string(a_kind) +
                            " is one YAML document; this second one would be ignored, so remove "
                            "it (or its '---' line)");
  }
  return root;
}

std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Scalar:
      return "'" + node.Scalar() + "'";
    default:
      return "empty";
  }
}

SourceLocation location_of(const YAML::Node& node) {
  YAML::Mark mark = node.Mark();
  if (mark.is_null()) return {};
  return {mark.line + 1, mark.column + 1};
}

std::string list_alternatives(const std::vector<std::string_view>& names) {
  std::string text;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) text += i + 1 == names.size() ? " or " : ", ";
    text += names[i];
  }
  return text;
}

std::optional<std::vector<Field>> read_fields(const Value& value,
                                              std::initializer_list<std::string_view> known,
                                              DiagnosticSink& sink) {
  if (!untagged(value.node, value.at, value.name, sink)) return std::nullopt;
  if (!value.node.IsMap()) {
    sink.error(value.at, value.name + " must be a mapping, not " + describe(value.node));
    return std::nullopt;
  }
  std::vector<Field> fields;
  for (const auto& entry : value.node) {
    SourceLocation key_at = location_of(entry.first);
    if (!entry.first.IsScalar()) {
      sink.error(key_at, "field names in " + value.name + " must be plain words, not " +
                             describe(entry.first));
      continue;
    }
    const std::string& key = entry.first.Scalar();
    if (!untagged(entry.first, key_at, "a field name in " + value.name, sink)) continue;
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      sink.error(key_at, unknown_field_message(key, value.name, known));
      continue;
    }
    auto earlier =
        std::find_if(fields.begin(), fields.end(), [&](const Field& f) { return f.key == key; });
    if (earlier != fields.end()) {
      sink.error(key_at, "duplicate field '" + key + "' in " + value.name + " (first on line " +
                             std::to_string(earlier->key_at.line) + ")");
      continue;
    }
    SourceLocation value_at = entry.second.IsNull() ? key_at : location_of(entry.second);
    fields.push_back({key, key_at, entry.second, value_at});
  }
  return fields;
}

void require_fields(const std::vector<Field>& fields, std::string_view what, SourceLocation where,
                    std::initializer_list<std::string_view> required, DiagnosticSink& sink) {
  for (std::string_view name : required) {
    bool present =
        std::any_of(fields.begin(), fields.end(), [&](const Field& f) { return f.key == name; });
    if (!present) {
      sink.error(where,
                 std::string(what) + " is missing required field '" + std::string(name) + "'");
    }
  }
}

std::optional<std::string> read_scalar(const Value& value, DiagnosticSink& sink) {
  if (!untagged(value.node, value.at, value.name, sink)) return std::nullopt;
  if (!value.node.IsScalar()) {
    sink.error(value.at, value.name + " must be a single value, not " + describe(value.node));
    return std::nullopt;
  }
  // A policy is text that ends up in JSON, digests and replies; yaml-cpp passes raw bytes
  // and lone surrogates written as escapes straight through.
  if (!common::is_utf8(value.node.Scalar())) {
    // The sink escapes the bytes (\xNN) when it quotes them.
    sink.error(value.at, value.name + " is not valid UTF-8: '" + value.node.Scalar() + "'");
    return std::nullopt;
  }
  return value.node.Scalar();
}

std::optional<std::vector<YAML::Node>> read_list(const Value& value, DiagnosticSink& sink) {
  if (!untagged(value.node, value.at, value.name, sink)) return std::nullopt;
  if (!value.node.IsSequence()) {
    sink.error(value.at, value.name + " must be a list, not " + describe(value.node));
    return std::nullopt;
  }
  return std::vector<YAML::Node>(value.node.begin(), value.node.end());
}

std::optional<uint64_t> read_integer(const Value& value, uint64_t min, uint64_t max,
                                     DiagnosticSink& sink) {
  auto text = read_scalar(value, sink);
  if (!text) return std::nullopt;
  bool negative = !text->empty() && (*text)[0] == '-';
  const char* first = text->data() + (negative ? 1 : 0);
  const char* last = text->data() + text->size();
  uint64_t number = 0;
  auto [end, status] = std::from_chars(first, last, number);
  if (first == last || end != last ||
      (status != std::errc() && status != std::errc::result_out_of_range)) {
    sink.error(value.at, value.name + " must be an integer, not '" + *text + "'");
    return std::nullopt;
  }
  bool overflow = status == std::errc::result_out_of_range;
  bool too_small = negative || (!overflow && number < min);
  bool too_large = !negative && (overflow || number > max);
  if (!too_small && !too_large) return number;
  if (too_small && min == 1 && max == std::numeric_limits<uint64_t>::max()) {
    sink.error(value.at, value.name + " must be positive, not " + *text);
  } else {
    sink.error(value.at, value.name + " must be between " + std::to_string(min) + " and " +
                             std::to_string(max) + ", not " + *text);
  }
  return std::nullopt;
}

std::optional<double> read_number(const Value& value, DiagnosticSink& sink) {
  auto text = read_scalar(value, sink);
  if (!text) return std::nullopt;
  double number = 0;
  const char* last = text->data() + text->size();
  auto [end, status] = std::from_chars(text->data(), last, number);
  if (text->empty() || end != last || status != std::errc() || !std::isfinite(number)) {
    sink.error(value.at, value.name + " must be a number, not '" + *text + "'");
    return std::nullopt;
  }
  return number;
}

std::optional<bool> read_bool(const Value& value, DiagnosticSink& sink) {
  auto text = read_scalar(value, sink);
  if (!text) return std::nullopt;
  if (*text == "true") return true;
  if (*text == "false") return false;
  sink.error(value.at, value.name + " must be true or false, not '" + *text + "'");
  return std::nullopt;
}

}  // namespace westworld::policy

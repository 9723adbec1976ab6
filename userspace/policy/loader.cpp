#include "westworld/policy/loader.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <optional>
#include <sstream>
#include <string_view>

#include "diagnostic_sink.h"
#include "sections.h"
#include "westworld/common/printable.h"
#include "westworld/policy/limits.h"
#include "westworld/policy/policy_file.h"
#include "yaml_fields.h"

namespace westworld::policy {
namespace {

using common::printable;

constexpr int kSupportedVersion = 1;

void load_version(const Field& field, DiagnosticSink& sink) {
  auto version = read_scalar(field, sink);
  if (version && *version != std::to_string(kSupportedVersion)) {
    sink.error(field.value_at, "unsupported policy version '" + *version +
                                   "'; this Westworld reads version " +
                                   std::to_string(kSupportedVersion));
  }
}

// Where the second document starts: its first node, or else its '---' line (an empty
// document's place is the end of the file).
// Counts the documents of a stream, as yaml-cpp's parser reports them. The loader reads
// the first document with Load() and asks this pass whether a second one follows, instead
// of LoadAll(): yaml-cpp 0.7's LoadAll never returns on some malformed streams (`"",` or a
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
// one the '---' that opens it.
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

void load_document(const YAML::Node& root, Policy& policy, DiagnosticSink& sink) {
  if (root.IsNull()) {
    sink.error({1, 1}, "the policy is empty; it needs at least 'version: 1'");
    return;
  }
  auto fields = read_fields(Value("policy", root), {"version", "charter", "anti_meave"}, sink);
  if (!fields) return;
  require_fields(*fields, "policy", location_of(root), {"version"}, sink);
  for (const Field& field : *fields) {
    if (field.key == "version") {
      load_version(field, sink);
    } else if (field.key == "charter") {
      load_charter(field, policy, sink);
    } else {
      load_anti_meave(field, policy, sink);
    }
  }
}

}  // namespace

LoadResult load_policy_text(const std::string& yaml_text, const std::string& display_name) {
  DiagnosticSink sink(display_name);
  if (yaml_text.size() > kMaxPolicyBytes) {
    sink.error({}, "the policy is " + std::to_string(yaml_text.size()) + " bytes; at most " +
                       std::to_string(kMaxPolicyBytes) + " are accepted");
    return {std::nullopt, sink.take_in_file_order()};
  }
  // YAML streams hold no NUL (it is outside YAML's printable set), and yaml-cpp 0.7's
  // LoadAll never returns on one: refuse it before parsing, at its place.
  if (const size_t nul = yaml_text.find('\0'); nul != std::string::npos) {
    const size_t line_start = yaml_text.rfind('\n', nul);
    const int line =
        1 + static_cast<int>(std::count(yaml_text.begin(), yaml_text.begin() + nul, '\n'));
    const int column =
        static_cast<int>(line_start == std::string::npos ? nul + 1 : nul - line_start);
    sink.error({line, column}, "a NUL byte: a policy is text");
    return {std::nullopt, sink.take_in_file_order()};
  }
  Policy policy;
  // Without an anti_meave section (or its quota) sources are not limited.
  policy.quota.unlimited = true;
  YAML::Node root;
  std::optional<SourceLocation> second;
  try {
    root = YAML::Load(yaml_text);
    second = second_document(yaml_text);
  } catch (const YAML::Exception& e) {
    SourceLocation where;
    if (!e.mark.is_null()) where = {e.mark.line + 1, e.mark.column + 1};
    sink.error(where, "invalid YAML: " + e.msg);
    return {std::nullopt, sink.take_in_file_order()};
  }
  if (second) {
    sink.error(*second,
               "a policy is one YAML document; this second one would be ignored, so remove it "
               "(or its '---' line)");
  }
  load_document(root, policy, sink);
  LoadResult result;
  if (sink.error_count() == 0) result.policy = std::move(policy);
  result.diagnostics = sink.take_in_file_order();
  return result;
}

LoadResult load_policy_file(const std::string& path) {
  std::string text;
  try {
    text = read_policy_file(path);
  } catch (const PolicyFileError& e) {
    // Line 0: the problem has no place in the file.
    return LoadResult{std::nullopt, {Diagnostic{Severity::error, printable(path), {}, e.what()}}};
  }
  return load_policy_text(text, path);
}

}  // namespace westworld::policy

#include "westworld/policy/loader.h"

#include <yaml-cpp/yaml.h>

#include <optional>

#include "sections.h"
#include "westworld/common/printable.h"
#include "westworld/policy/diagnostic_sink.h"
#include "westworld/policy/limits.h"
#include "westworld/policy/policy_file.h"
#include "westworld/policy/yaml_fields.h"

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
  Policy policy;
  // Without an anti_meave section (or its quota) sources are not limited.
  policy.quota.unlimited = true;
  auto root = load_one_document(yaml_text, "a policy", sink);
  if (!root) return {std::nullopt, sink.take_in_file_order()};
  load_document(*root, policy, sink);
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

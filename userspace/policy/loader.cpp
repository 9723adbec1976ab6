#include "westworld/policy/loader.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "diagnostic_sink.h"
#include "sections.h"
#include "yaml_fields.h"

namespace westworld::policy {
namespace {

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
  Policy policy;
  // Without an anti_meave section (or its quota) sources are not limited.
  policy.quota.unlimited = true;
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::Exception& e) {
    SourceLocation where;
    if (!e.mark.is_null()) where = {e.mark.line + 1, e.mark.column + 1};
    sink.error(where, "invalid YAML: " + e.msg);
    return {std::nullopt, sink.take_in_file_order()};
  }
  load_document(root, policy, sink);
  LoadResult result;
  if (sink.error_count() == 0) result.policy = std::move(policy);
  result.diagnostics = sink.take_in_file_order();
  return result;
}

LoadResult load_policy_file(const std::string& path) {
  auto cannot_read = [&](int error) {
    Diagnostic diagnostic{
        Severity::error, path, {}, "cannot read " + path + ": " + std::strerror(error)};
    return LoadResult{std::nullopt, {diagnostic}};
  };
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "rb"), std::fclose);
  if (!file) return cannot_read(errno);
  std::string text;
  char buffer[1 << 16];
  size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) text.append(buffer, got);
  if (std::ferror(file.get())) return cannot_read(errno);
  return load_policy_text(text, path);
}

}  // namespace westworld::policy

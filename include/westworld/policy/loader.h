// YAML -> validated Policy. Every problem is reported with its location; a
// policy with any error is not returned at all, so it can never be applied.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "westworld/policy/diagnostics.h"
#include "westworld/policy/model.h"

namespace westworld::policy {

struct LoadResult {
  std::optional<Policy> policy;  // set only when there are no errors
  std::vector<Diagnostic> diagnostics;  // errors and warnings, in file order
};

// `display_name` is the file name used in diagnostics.
LoadResult load_policy_text(const std::string& yaml_text, const std::string& display_name);
LoadResult load_policy_file(const std::string& path);

}  // namespace westworld::policy

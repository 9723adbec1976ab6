// Problems found in a policy file, printed as FILE:LINE:COL: severity: message.
#pragma once

#include <string>
#include <vector>

#include "westworld/policy/model.h"

namespace westworld::policy {

enum class Severity { error, warning };

struct Diagnostic {
  Severity severity = Severity::error;
  std::string file;
  SourceLocation where;
  std::string message;

  std::string format() const;  // "file:line:col: error: message"
};

bool has_errors(const std::vector<Diagnostic>& diagnostics);

}  // namespace westworld::policy

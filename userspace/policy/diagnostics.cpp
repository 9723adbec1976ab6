#include "westworld/policy/diagnostics.h"

#include <algorithm>

namespace westworld::policy {

std::string Diagnostic::format() const {
  std::string text = file;
  // Line 0 means the problem has no place in the file (it could not be read).
  if (where.line > 0) {
    text += ":" + std::to_string(where.line);
    if (where.column > 0) text += ":" + std::to_string(where.column);
  }
  text += severity == Severity::error ? ": error: " : ": warning: ";
  return text + message;
}

bool has_errors(const std::vector<Diagnostic>& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::error; });
}

}  // namespace westworld::policy

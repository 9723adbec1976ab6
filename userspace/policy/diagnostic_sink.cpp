#include "diagnostic_sink.h"

#include <algorithm>
#include <utility>

namespace westworld::policy {

void DiagnosticSink::error(SourceLocation where, std::string message) {
  diagnostics_.push_back({Severity::error, file_, where, std::move(message)});
  ++errors_;
}

void DiagnosticSink::warning(SourceLocation where, std::string message) {
  diagnostics_.push_back({Severity::warning, file_, where, std::move(message)});
}

std::vector<Diagnostic> DiagnosticSink::take_in_file_order() {
  std::stable_sort(
      diagnostics_.begin(), diagnostics_.end(), [](const Diagnostic& a, const Diagnostic& b) {
        return std::pair(a.where.line, a.where.column) < std::pair(b.where.line, b.where.column);
      });
  errors_ = 0;
  return std::exchange(diagnostics_, {});
}

}  // namespace westworld::policy

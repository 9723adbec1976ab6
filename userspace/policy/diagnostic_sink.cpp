#include "westworld/policy/diagnostic_sink.h"

#include <algorithm>
#include <utility>

#include "westworld/common/printable.h"

namespace westworld::policy {

DiagnosticSink::DiagnosticSink(const std::string& file) : file_(common::printable(file)) {}

void DiagnosticSink::add(Severity severity, SourceLocation where, std::string message) {
  // Counted even when not repeated: callers tell valid parts by the count changing.
  if (severity == Severity::error) ++errors_;
  message = common::printable(message);
  if (!reported_.emplace(where.line, where.column, severity, message).second) return;
  diagnostics_.push_back({severity, file_, where, std::move(message)});
}

void DiagnosticSink::error(SourceLocation where, std::string message) {
  add(Severity::error, where, std::move(message));
}

void DiagnosticSink::warning(SourceLocation where, std::string message) {
  add(Severity::warning, where, std::move(message));
}

std::vector<Diagnostic> DiagnosticSink::take_in_file_order() {
  std::stable_sort(
      diagnostics_.begin(), diagnostics_.end(), [](const Diagnostic& a, const Diagnostic& b) {
        return std::pair(a.where.line, a.where.column) < std::pair(b.where.line, b.where.column);
      });
  errors_ = 0;
  reported_.clear();
  return std::exchange(diagnostics_, {});
}

}  // namespace westworld::policy

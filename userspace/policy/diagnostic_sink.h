// Collects the diagnostics of one policy file while its sections are checked
// independently, then hands them out in file order.
#pragma once

#include <string>
#include <vector>

#include "westworld/policy/diagnostics.h"

namespace westworld::policy {

class DiagnosticSink {
 public:
  explicit DiagnosticSink(std::string file) : file_(std::move(file)) {}

  void error(SourceLocation where, std::string message);
  void warning(SourceLocation where, std::string message);
  size_t error_count() const { return errors_; }

  // Sorted by position; problems found at the same place keep their order.
  std::vector<Diagnostic> take_in_file_order();

 private:
  std::string file_;
  std::vector<Diagnostic> diagnostics_;
  size_t errors_ = 0;
};

}  // namespace westworld::policy

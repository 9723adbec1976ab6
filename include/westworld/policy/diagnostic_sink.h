// Collects the diagnostics of one policy (or Cradle experiment) file while its sections are
// checked independently, then hands them out in file order. Messages quote the file's own
// text, so every message is made printable here (one line, valid UTF-8), and a problem
// reported twice at one place (a YAML alias visits its anchor's node once per use) is kept
// once.
#pragma once

#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "westworld/policy/diagnostics.h"

namespace westworld::policy {

class DiagnosticSink {
 public:
  explicit DiagnosticSink(const std::string& file);

  void error(SourceLocation where, std::string message);
  void warning(SourceLocation where, std::string message);
  size_t error_count() const { return errors_; }

  // Sorted by position; problems found at the same place keep their order.
  std::vector<Diagnostic> take_in_file_order();

 private:
  void add(Severity severity, SourceLocation where, std::string message);

  std::string file_;
  std::vector<Diagnostic> diagnostics_;
  std::set<std::tuple<int, int, Severity, std::string>> reported_;
  size_t errors_ = 0;
};

}  // namespace westworld::policy

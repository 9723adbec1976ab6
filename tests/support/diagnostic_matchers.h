// What the strict YAML loaders' tests assert (policies, experiments, quests): a load that
// failed with exactly one error, at an exact line and column, saying what it should.
#pragma once

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "westworld/policy/diagnostics.h"

namespace westworld::harness {

// Every diagnostic, one per line, for failure messages.
inline std::string all_of(const std::vector<policy::Diagnostic>& diagnostics) {
  std::string text;
  for (const policy::Diagnostic& d : diagnostics) text += "\n  " + d.format();
  return text;
}

// `returned`: whether the loader handed out its result anyway (it must not, on an error).
inline ::testing::AssertionResult only_error(bool returned,
                                             const std::vector<policy::Diagnostic>& diagnostics,
                                             int line, int column,
                                             std::initializer_list<std::string_view> parts) {
  if (returned) return ::testing::AssertionFailure() << "the result was returned";
  if (diagnostics.size() != 1)
    return ::testing::AssertionFailure()
           << diagnostics.size() << " diagnostics:" << all_of(diagnostics);
  const policy::Diagnostic& d = diagnostics[0];
  if (d.severity != policy::Severity::error || d.where.line != line || d.where.column != column)
    return ::testing::AssertionFailure()
           << "expected an error at " << line << ":" << column << ", got" << all_of(diagnostics);
  for (std::string_view part : parts)
    if (d.message.find(part) == std::string::npos)
      return ::testing::AssertionFailure() << "'" << part << "' is not in" << all_of(diagnostics);
  return ::testing::AssertionSuccess();
}

}  // namespace westworld::harness

// Shared helpers of the policy unit tests.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "westworld/policy/loader.h"

namespace westworld::policy::testing {

// Every diagnostic of loading `yaml` as "p.yaml", formatted, in order.
inline std::vector<std::string> diagnostics_of(const std::string& yaml) {
  std::vector<std::string> lines;
  for (const Diagnostic& d : load_policy_text(yaml, "p.yaml").diagnostics) {
    lines.push_back(d.format());
  }
  return lines;
}

// Loads a policy that must have no diagnostics at all.
inline Policy load_clean(const std::string& yaml) {
  LoadResult result = load_policy_text(yaml, "p.yaml");
  for (const Diagnostic& d : result.diagnostics) ADD_FAILURE() << d.format();
  return result.policy.value_or(Policy{});
}

inline Cidr cidr(const std::string& text) { return parse_cidr(text).value(); }

}  // namespace westworld::policy::testing

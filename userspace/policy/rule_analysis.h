// Warnings about flow rules that are valid but can never decide a packet.
#pragma once

#include <cstddef>
#include <vector>

#include "westworld/policy/diagnostic_sink.h"
#include "westworld/policy/limits.h"
#include "westworld/policy/model.h"

namespace westworld::policy {

// What the shadowed-rule analysis cost, for tests that bound it.
struct ShadowAnalysis {
  size_t work = 0;       // pairs of rules compared plus list entries looked up
  bool complete = true;  // false when `budget` ran out (and a warning says so)
};

// Warns about rules that no packet can match (their address families and
// protocol exclude each other) and rules shadowed by an earlier rule. The
// shadow search stops after `budget` steps with one warning saying where.
ShadowAnalysis warn_about_unreachable_rules(const std::vector<FlowRule>& rules,
                                            DiagnosticSink& sink,
                                            size_t budget = kShadowAnalysisBudget);

}  // namespace westworld::policy

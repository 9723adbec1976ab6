// Bounds on what the loader accepts, checked before any expensive work, so a hostile or
// broken policy costs bounded memory and time. Each sits far above what a real policy
// needs (policies/example.yaml documents them).
#pragma once

#include <cstddef>

#include "westworld/abi.h"

namespace westworld::policy {

// Policy text, in bytes: a full 16384-rule table in flow style is about 1.5 MiB.
inline constexpr size_t kMaxPolicyBytes = size_t{4} << 20;

// Flow rules: what the data plane holds.
inline constexpr size_t kMaxFlowRules = WW_MAX_RULES;

// Entries in one list of one rule or class (src, dst, src_ports, dst_ports).
inline constexpr size_t kMaxListEntries = 4096;

// Entries in all the flow rules' lists together, each use counted: a YAML alias reuses a
// list without repeating its text, but every use is parsed, stored and compiled.
inline constexpr size_t kMaxMatchEntries = size_t{1} << 20;

// Rule and class names become metric labels.
inline constexpr size_t kMaxNameBytes = 63;

// Steps of the shadowed-rule analysis (pairs of rules compared plus list entries looked
// up); past it the analysis stops and says so. 10000 rules that share nothing take
// about 50 million.
inline constexpr size_t kShadowAnalysisBudget = size_t{1} << 26;

}  // namespace westworld::policy

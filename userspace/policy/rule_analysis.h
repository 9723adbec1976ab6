// Warnings about flow rules that are valid but can never decide a packet.
#pragma once

#include <vector>

#include "diagnostic_sink.h"
#include "westworld/policy/model.h"

namespace westworld::policy {

// Warns about rules that no packet can match (their address families and
// protocol exclude each other) and rules shadowed by an earlier rule.
void warn_about_unreachable_rules(const std::vector<FlowRule>& rules, DiagnosticSink& sink);

}  // namespace westworld::policy

// The data plane's maps have fixed sizes (include/westworld/abi.h); a policy
// that would not fit is refused when it is loaded, not when it is applied.
#pragma once

#include <vector>

#include "westworld/policy/diagnostic_sink.h"
#include "westworld/policy/model.h"

namespace westworld::policy {

// Checks the compiled table sizes the rules imply; errors point at `flows_at`.
void check_table_limits(const std::vector<FlowRule>& rules, SourceLocation flows_at,
                        DiagnosticSink& sink);

}  // namespace westworld::policy

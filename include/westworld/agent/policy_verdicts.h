// Policies as verdicts, for the control-plane detector: the running one read
// from the maps (with the traffic each rule matched while it ran), a new one
// from its compiled form.
#pragma once

#include <cstdint>

#include "westworld/anomaly/control_plane.h"
#include "westworld/control/policy_record.h"
#include "westworld/dataplane/guard_maps.h"
#include "westworld/policy/compiled_policy.h"

namespace westworld::agent {

// `record` names the running rules; `default_packets` is the traffic no rule
// matched since the running policy was applied.
anomaly::PolicyVerdicts running_verdicts(const dataplane::Guard& guard,
                                         const control::PolicyRecord& record,
                                         uint64_t default_packets);

anomaly::PolicyVerdicts compiled_verdicts(const policy::CompiledPolicy& compiled);

// Packets that fell to the default action so far, both directions.
uint64_t default_packets_total(const dataplane::Guard& guard);

}  // namespace westworld::agent

// flood_contained, read from the agent's alerts: the per-source flood alerts (rate jump, share
// creep: anomaly::is_source_flood) whose quarantine took effect. The quarantine keeper declines
// every protected source, so each of them contained a flood without harming a protected source.
// The count covers the alerts the agent still keeps (its most recent few hundred, this run).
#pragma once

#include "westworld/control/client.h"
#include "westworld/control/messages.h"
#include "westworld/quests/evidence.h"

namespace westworld::quests {

// Sets evidence.flood_contained from `alerts` (zero is an observation too: the agent answered).
void add_alert_evidence(Evidence& evidence, const control::AlertsReply& alerts);

// Asks the agent at `client` for every alert it keeps. Throws EvidenceUnavailable
// (evidence_collector.h) when no agent answers or it refuses.
control::AlertsReply read_agent_alerts(const control::Client& client);

}  // namespace westworld::quests

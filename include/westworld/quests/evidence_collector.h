// The evidence a node can observe about itself, read from its running agent's status over the
// control socket. Only what the status shows is filled; every other criterion stays absent (and
// so "missing evidence", never met), because a value no one observed must not be invented:
//
//   uptime                  now minus the agent process's start, while it runs
//   continuous_enforcement  now minus the running policy's applied_at, while the agent runs, a
//                           policy is valid and the guard is attached to an interface. A lower
//                           bound: an earlier policy may have enforced before without a gap.
//   links                   guarded interfaces the kernel still runs the guard on
//   peers                   routers registered in the mesh besides this one, while connected
//   flood_contained         read from the agent's alerts, not its status (alert_evidence.h):
//                           per-source flood alerts (rate_jump, share_creep) whose quarantine
//                           took effect; a protected source is never quarantined, so none of
//                           them harmed one
//
// Governance, Cradle and vault criteria are not the agent's status to tell: their evidence is
// read from those records (governance_evidence.h, cradle_evidence.h, vault_evidence.h).
#pragma once

#include <stdexcept>
#include <string>

#include "westworld/common/clock.h"
#include "westworld/control/client.h"
#include "westworld/control/messages.h"
#include "westworld/quests/evidence.h"

namespace westworld::quests {

// No agent listens, or it refused the status request; the message says which and where.
class EvidenceUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The evidence `status` shows about `node_id`, observed at `observed_at`; unsigned.
Evidence evidence_from_status(const control::StatusReply& status, std::string node_id,
                              common::UnixSeconds observed_at);

// Asks the agent at `client` for its status now. Throws EvidenceUnavailable (or
// control::ClientError when the exchange itself breaks).
control::StatusReply read_agent_status(const control::Client& client);

}  // namespace westworld::quests

// The evidence a node can observe about itself, read from its running agent's status over the
// control socket. Only what the status shows is filled; every other criterion stays absent (and
// so "missing evidence", never met), because a value no one observed must not be invented:
//
//   continuous_enforcement  now minus the running policy's applied_at, while the agent runs, a
//                           policy is valid and the guard is attached to an interface. A lower
//                           bound: an earlier policy may have enforced before without a gap.
//   links                   guarded interfaces the kernel still runs the guard on
//   peers                   routers registered in the mesh besides this one, while connected
//
// uptime is absent: the status carries no agent start time. Governance, Cradle and vault
// criteria (and flood_contained, which needs "no protected source harmed") are not the agent's
// to tell.
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

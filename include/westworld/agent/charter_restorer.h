// Lifting a charter quarantine on a governance decision (charter/restoration.h). The offender
// must be quarantined here, and the decision a passed charter_restore proposal about this
// node, this offender and the violation that holds the quarantine; it is audited before
// anything is lifted. A source held in the guard is released from it too.
#pragma once

#include <string>

#include "westworld/agent/mesh_decisions.h"
#include "westworld/agent/trust_gate.h"
#include "westworld/agent/watchman.h"
#include "westworld/charter/violation_ledger.h"
#include "westworld/control/messages.h"

namespace westworld::agent {

class CharterRestorer {
 public:
  CharterRestorer(charter::ViolationLedger& ledger, Watchman& watchman, TrustGate& audit,
                  MeshDecisions& decisions, std::string node_id)
      : ledger_(ledger),
        watchman_(watchman),
        audit_(audit),
        decisions_(decisions),
        node_id_(std::move(node_id)) {}

  control::Result<control::CharterRestoreReply> restore(const control::CharterRestoreRequest& r);

 private:
  charter::ViolationLedger& ledger_;
  Watchman& watchman_;
  TrustGate& audit_;
  MeshDecisions& decisions_;
  std::string node_id_;
};

}  // namespace westworld::agent

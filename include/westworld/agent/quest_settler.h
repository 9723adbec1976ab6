// Settling the quest ledger (DATA_DIR/quests.db): the unsettled grants are closed into a batch
// whose digest is committed to this router's audit log inside the settling transaction, so a
// batch exists only once it is public and anyone holding the log can check the totals
// (`wwctl quest ledger --verify` compares the two). The agent does it because it owns the
// audit log: a second writer could not extend the log's signed tree safely.
#pragma once

#include <filesystem>

#include "westworld/agent/trust_gate.h"
#include "westworld/common/clock.h"
#include "westworld/control/messages.h"
#include "westworld/control/protocol.h"

namespace westworld::agent {

class QuestSettler {
 public:
  QuestSettler(std::filesystem::path ledger_path, TrustGate& audit,
               const common::Clock& clock = common::system_clock())
      : ledger_path_(std::move(ledger_path)), audit_(audit), clock_(clock) {}

  // Refused when the agent keeps no audit log: a batch committed nowhere proves nothing.
  control::Result<control::QuestSettleReply> settle();

 private:
  std::filesystem::path ledger_path_;
  TrustGate& audit_;
  const common::Clock& clock_;
};

}  // namespace westworld::agent

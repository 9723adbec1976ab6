// The ledger's settled batches checked against what the audit log published of them (the
// agent's `quest_settlement` entries, quest_settler.h): every batch must be published with the
// same digest and totals, and every published batch must still be in the ledger. A ledger
// rewritten after settling, even consistently, then no longer matches the public record.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "westworld/audit/audit_log.h"
#include "westworld/quests/ledger.h"

namespace westworld::quests {

struct PublishedSettlement {
  uint64_t audit_index = 0;
  int64_t batch = 0;
  int64_t first_transaction = 0;
  int64_t last_transaction = 0;
  int64_t entries = 0;
  int64_t minted = 0;
  std::string digest;  // hex
};

// Every quest_settlement entry of `log`, in log order.
std::vector<PublishedSettlement> published_settlements(const audit::AuditLog& log);

// What does not match, one line each; empty when every batch is published as it is.
std::vector<std::string> settlement_mismatches(const std::vector<Batch>& batches,
                                               const std::vector<PublishedSettlement>& published);

}  // namespace westworld::quests

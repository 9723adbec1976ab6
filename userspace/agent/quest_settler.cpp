#include "westworld/agent/quest_settler.h"

#include <spdlog/spdlog.h>

#include "westworld/capability/bytes.h"
#include "westworld/quests/ledger.h"

namespace westworld::agent {

control::Result<control::QuestSettleReply> QuestSettler::settle() {
  using control::ErrorCode;
  if (!audit_.audits())
    return control::Error{ErrorCode::failed,
                          "this agent keeps no audit log: a settlement committed nowhere would be "
                          "checkable by no one",
                          {}};
  control::QuestSettleReply reply;
  try {
    quests::Ledger ledger(ledger_path_, true, clock_);
    const auto batch = ledger.settle([&](const quests::Batch& b) {
      reply.audit_index =
          audit_.record({"quest_settlement",
                         {{"batch", std::to_string(b.id)},
                          {"first_transaction", std::to_string(b.first_transaction)},
                          {"last_transaction", std::to_string(b.last_transaction)},
                          {"entries", std::to_string(b.entries)},
                          {"minted", std::to_string(b.minted)},
                          {"digest", capability::to_hex(b.digest)}}});
    });
    if (!batch) return reply;  // nothing unsettled
    reply = {
        true,           batch->id,     batch->first_transaction,          batch->last_transaction,
        batch->entries, batch->minted, capability::to_hex(batch->digest), reply.audit_index};
  } catch (const std::exception& e) {
    spdlog::error("quest settlement failed, nothing settled: {}", e.what());
    return control::Error{ErrorCode::failed, std::string("nothing settled: ") + e.what(), {}};
  }
  spdlog::info("quests: batch {} settled ({} grants, {} points minted), audited as entry {}",
               reply.batch, reply.last_transaction - reply.first_transaction + 1, reply.minted,
               reply.audit_index.value_or(0));
  return reply;
}

}  // namespace westworld::agent

// Settlement made public: a batch is settled only when its audit entry was written (a failing
// commit settles nothing), and a ledger checked against a real audit log names every batch
// that was not published, published otherwise, or published and then lost.
#include "westworld/quests/settlement_audit.h"

#include <gtest/gtest.h>

#include "scratch_dir.h"
#include "westworld/audit/signed_note.h"
#include "westworld/capability/bytes.h"

namespace westworld::quests {
namespace {

class SettlementAuditTest : public ::testing::Test {
 protected:
  void grant(const std::string& node, uint64_t points) {
    Claim claim;
    claim.quest = "build-a-node";
    claim.node = node;
    claim.step = "links";
    claim.reward.points = points;
    ASSERT_TRUE(ledger_.claim(claim).granted);
  }
  // What the agent's QuestSettler writes for `batch`.
  void publish(const Batch& batch, audit::AuditLog& log, std::string digest = {}) {
    log.append({"quest_settlement",
                {{"batch", std::to_string(batch.id)},
                 {"first_transaction", std::to_string(batch.first_transaction)},
                 {"last_transaction", std::to_string(batch.last_transaction)},
                 {"entries", std::to_string(batch.entries)},
                 {"minted", std::to_string(batch.minted)},
                 {"digest", digest.empty() ? capability::to_hex(batch.digest) : digest}}});
  }
  audit::AuditLog open_log() { return audit::AuditLog::open(dir_ / "audit.db", signer_); }

  harness::ScratchDir dir_{"ww-settlement"};
  common::ManualClock clock_{common::UnixSeconds(std::chrono::seconds(1'800'000'000))};
  Ledger ledger_{dir_ / "quests.db", true, clock_};
  audit::NoteSigner signer_ = audit::NoteSigner::generate("westworld/test/audit");
};

TEST_F(SettlementAuditTest, ABatchThatCannotBeCommittedIsNotSettled) {
  grant("n1", 10);
  EXPECT_THROW(ledger_.settle([](const Batch&) { throw std::runtime_error("log full"); }),
               std::runtime_error);
  EXPECT_TRUE(ledger_.batches().empty()) << "the failed commit settled nothing";

  std::optional<Batch> seen;
  const auto batch = ledger_.settle([&](const Batch& b) { seen = b; });
  ASSERT_TRUE(batch);
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->digest, batch->digest) << "the hook sees the final digest";
  EXPECT_EQ(batch->minted, 10);
  EXPECT_EQ(ledger_.batches().size(), 1u);
}

TEST_F(SettlementAuditTest, EveryBatchPublishedAsItIsReconciles) {
  audit::AuditLog log = open_log();
  grant("n1", 10);
  grant("n2", 5);
  publish(*ledger_.settle(), log);
  grant("n3", 7);
  publish(*ledger_.settle(), log);
  log.append({"quarantine", {{"node", "10.0.0.9"}, {"reason", "flood"}}});  // unrelated

  const auto published = published_settlements(log);
  ASSERT_EQ(published.size(), 2u);
  EXPECT_EQ(published[0].minted, 15);
  EXPECT_EQ(published[1].minted, 7);
  EXPECT_TRUE(settlement_mismatches(ledger_.batches(), published).empty());
}

TEST_F(SettlementAuditTest, UnpublishedMisPublishedAndLostBatchesAreNamed) {
  audit::AuditLog log = open_log();
  grant("n1", 10);
  const Batch first = *ledger_.settle();
  publish(first, log, std::string(64, 'a'));  // another digest than the batch's
  grant("n2", 5);
  ledger_.settle();  // never published
  Batch ghost = first;
  ghost.id = 9;  // published, but the ledger has no such batch
  publish(ghost, log);

  const std::vector<std::string> problems =
      settlement_mismatches(ledger_.batches(), published_settlements(log));
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0], "batch 1's digest is not the one published (audit entry 0)");
  EXPECT_EQ(problems[1], "batch 2 is not in the audit log");
  EXPECT_EQ(problems[2], "batch 9 was published (audit entry 1) but is not in the ledger");
}

}  // namespace
}  // namespace westworld::quests

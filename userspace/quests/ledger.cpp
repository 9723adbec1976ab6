// Opening the ledger and granting claims.
#include "westworld/quests/ledger.h"

#include <stdexcept>

#include "ledger_schema.h"

namespace westworld::quests {
namespace {

// Writers queue for the lock rather than fail: a claim waits this long for another's commit.
constexpr int kBusyTimeoutMs = 10'000;

void insert_entry(audit::sqlite::Database& db, int64_t transaction, std::string_view account,
                  int64_t amount) {
  db.prepare("INSERT INTO entries (txn, account, amount) VALUES (?1, ?2, ?3)")
      .bind(1, transaction)
      .bind_text(2, account)
      .bind(3, amount)
      .run();
}

void insert_award(audit::sqlite::Database& db, int64_t transaction, std::string_view kind,
                  std::string_view name) {
  db.prepare("INSERT INTO awards (txn, kind, name) VALUES (?1, ?2, ?3)")
      .bind(1, transaction)
      .bind_text(2, kind)
      .bind_text(3, name)
      .run();
}

}  // namespace

Ledger::Ledger(const std::filesystem::path& path, bool create, const common::Clock& clock)
    : db_(path, create), clock_(clock) {
  db_.pragma("PRAGMA busy_timeout = " + std::to_string(kBusyTimeoutMs));
  // WAL: readers (leaderboards, wwctl) never wait for a claim being written.
  db_.pragma("PRAGMA journal_mode = WAL");
  audit::sqlite::Transaction transaction(db_);
  db_.exec(kLedgerSchema);
  transaction.commit();
}

ClaimResult Ledger::claim(const Claim& claim) {
  if (claim.node.empty() || claim.node == kMintAccount)
    throw std::invalid_argument("a claim needs a member node, not '" + claim.node + "'");
  if (claim.quest.empty() || claim.step.empty())
    throw std::invalid_argument("a claim names its quest and step");
  const Reward& reward = claim.reward;
  if (reward.points == 0 && reward.badge.empty() && reward.role.empty())
    throw std::invalid_argument("a claim with no reward grants nothing");
  if (reward.points > static_cast<uint64_t>(INT64_MAX))
    throw std::invalid_argument("a reward of more points than the ledger can count");

  std::lock_guard lock(mutex_);
  // The write lock is taken before the key is checked, so of two claims of one key the second
  // sees the first's row; and the UNIQUE key holds even against a writer that skips this code.
  audit::sqlite::Transaction transaction(db_);
  int64_t id = 0;
  {
    auto insert = db_.prepare(
        "INSERT INTO transactions (quest, node, step, period, category, granted_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING RETURNING id");
    insert.bind_text(1, claim.quest)
        .bind_text(2, claim.node)
        .bind_text(3, claim.step)
        .bind(4, claim.period)
        .bind_text(5, category_name(claim.category))
        .bind(6, clock_.now().time_since_epoch().count());
    if (insert.step()) id = insert.column_int64(0);
  }
  if (id == 0) {
    auto earlier = db_.prepare(
        "SELECT id FROM transactions WHERE quest = ?1 AND node = ?2 AND step = ?3 AND "
        "period = ?4");
    earlier.bind_text(1, claim.quest).bind_text(2, claim.node).bind_text(3, claim.step);
    earlier.bind(4, claim.period);
    return {false, earlier.step() ? earlier.column_int64(0) : 0};
  }
  if (reward.points != 0) {
    const auto points = static_cast<int64_t>(reward.points);
    insert_entry(db_, id, kMintAccount, -points);
    insert_entry(db_, id, claim.node, points);
  }
  if (!reward.badge.empty()) insert_award(db_, id, "badge", reward.badge);
  if (!reward.role.empty()) insert_award(db_, id, "role", reward.role);
  transaction.commit();
  return {true, id};
}

}  // namespace westworld::quests

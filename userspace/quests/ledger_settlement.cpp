// Settlement and reconciliation. A batch's digest covers every field of every transaction it
// closes, with their entries and awards, in id order: committed to the audit log, it lets
// anyone holding a copy of the ledger check the published totals, and lets verify() notice a
// settled row changed afterwards even when the change keeps every sum at zero.
#include <algorithm>
#include <tuple>

#include "westworld/quests/ledger.h"

namespace westworld::quests {
namespace {

// Domain separation: this digest can never be mistaken for another's over the same bytes.
constexpr std::string_view kBatchDigestLabel = "westworld quest ledger batch v1";

void add_text(capability::Sha256& hash, std::string_view text) {
  hash.update_framed(capability::as_bytes(text));
}

void add_integer(capability::Sha256& hash, int64_t value) {
  hash.update_u64_be(static_cast<uint64_t>(value));
}

}  // namespace

capability::Digest Ledger::digest_of(int64_t batch) {
  capability::Sha256 hash;
  add_text(hash, kBatchDigestLabel);
  add_integer(hash, batch);
  auto transactions = db_.prepare(
      "SELECT id, quest, node, step, period, category, granted_at FROM transactions "
      "WHERE batch = ?1 ORDER BY id");
  transactions.bind(1, batch);
  auto entries = db_.prepare("SELECT id, account, amount FROM entries WHERE txn = ?1 ORDER BY id");
  auto awards = db_.prepare("SELECT kind, name FROM awards WHERE txn = ?1 ORDER BY kind");
  while (transactions.step()) {
    const int64_t id = transactions.column_int64(0);
    add_integer(hash, id);
    add_text(hash, transactions.column_text(1));
    add_text(hash, transactions.column_text(2));
    add_text(hash, transactions.column_text(3));
    add_integer(hash, transactions.column_int64(4));
    add_text(hash, transactions.column_text(5));
    add_integer(hash, transactions.column_int64(6));
    // Counted, so an entry moved from one transaction to the next changes the digest.
    entries.reset();
    entries.bind(1, id);
    std::vector<std::tuple<int64_t, std::string, int64_t>> rows;
    while (entries.step())
      rows.emplace_back(entries.column_int64(0), entries.column_text(1), entries.column_int64(2));
    add_integer(hash, static_cast<int64_t>(rows.size()));
    for (const auto& [entry_id, account, amount] : rows) {
      add_integer(hash, entry_id);
      add_text(hash, account);
      add_integer(hash, amount);
    }
    awards.reset();
    awards.bind(1, id);
    std::vector<std::pair<std::string, std::string>> granted;
    while (awards.step()) granted.emplace_back(awards.column_text(0), awards.column_text(1));
    add_integer(hash, static_cast<int64_t>(granted.size()));
    for (const auto& [kind, name] : granted) {
      add_text(hash, kind);
      add_text(hash, name);
    }
  }
  return hash.finish();
}

std::optional<Batch> Ledger::settle(const std::function<void(const Batch&)>& before_commit) {
  std::lock_guard lock(mutex_);
  audit::sqlite::Transaction transaction(db_);
  Batch batch;
  {
    auto open = db_.prepare(
        "SELECT MIN(t.id), MAX(t.id), "
        "  (SELECT COUNT(*) FROM entries e JOIN transactions u ON u.id = e.txn "
        "   WHERE u.batch IS NULL), "
        "  (SELECT COALESCE(SUM(e.amount), 0) FROM entries e JOIN transactions u "
        "   ON u.id = e.txn WHERE u.batch IS NULL AND e.account != ?1) "
        "FROM transactions t WHERE t.batch IS NULL");
    open.bind_text(1, kMintAccount);
    if (!open.step() || open.column_int64(0) == 0) return std::nullopt;
    batch.first_transaction = open.column_int64(0);
    batch.last_transaction = open.column_int64(1);
    batch.entries = open.column_int64(2);
    batch.minted = open.column_int64(3);
  }
  {
    auto insert = db_.prepare(
        "INSERT INTO batches (first_txn, last_txn, entries, minted, settled_at, digest) "
        "VALUES (?1, ?2, ?3, ?4, ?5, x'') RETURNING id");
    insert.bind(1, batch.first_transaction)
        .bind(2, batch.last_transaction)
        .bind(3, batch.entries)
        .bind(4, batch.minted)
        .bind(5, clock_.now().time_since_epoch().count());
    insert.step();
    batch.id = insert.column_int64(0);
  }
  db_.prepare("UPDATE transactions SET batch = ?1 WHERE batch IS NULL").bind(1, batch.id).run();
  batch.digest = digest_of(batch.id);
  db_.prepare("UPDATE batches SET digest = ?1 WHERE id = ?2")
      .bind_blob(1, batch.digest)
      .bind(2, batch.id)
      .run();
  // What must hold before the batch exists (its audit entry): when it throws, the transaction
  // rolls back and the grants stay unsettled.
  if (before_commit) before_commit(batch);
  transaction.commit();
  return batch;
}

std::vector<Batch> Ledger::batches() {
  std::lock_guard lock(mutex_);
  auto query = db_.prepare(
      "SELECT id, first_txn, last_txn, entries, minted, digest FROM batches ORDER BY id");
  std::vector<Batch> batches;
  while (query.step()) {
    Batch batch{query.column_int64(0), query.column_int64(1), query.column_int64(2),
                query.column_int64(3), query.column_int64(4), {}};
    const capability::Bytes digest = query.column_blob(5);
    if (digest.size() == batch.digest.size())
      std::copy(digest.begin(), digest.end(), batch.digest.begin());
    batches.push_back(batch);
  }
  return batches;
}

std::vector<LedgerProblem> Ledger::verify() {
  std::vector<LedgerProblem> problems;
  std::lock_guard lock(mutex_);
  {
    auto unbalanced = db_.prepare(
        "SELECT txn, SUM(amount) FROM entries GROUP BY txn HAVING SUM(amount) != 0 ORDER BY txn");
    while (unbalanced.step()) {
      problems.push_back(
          {unbalanced.column_int64(0), "transaction " + std::to_string(unbalanced.column_int64(0)) +
                                           " sums to " +
                                           std::to_string(unbalanced.column_int64(1)) + ", not 0"});
    }
  }
  {
    auto strays = db_.prepare(
        "SELECT e.id, e.txn, e.account, t.id, t.node FROM entries e "
        "LEFT JOIN transactions t ON t.id = e.txn "
        "WHERE t.id IS NULL OR e.account NOT IN (?1, t.node) ORDER BY e.id");
    strays.bind_text(1, kMintAccount);
    while (strays.step()) {
      const std::string entry = "entry " + std::to_string(strays.column_int64(0));
      const std::string account = strays.column_text(2);
      problems.push_back(
          {strays.column_int64(1), strays.column_int64(3) == 0
                                       ? entry + " belongs to no transaction (" +
                                             std::to_string(strays.column_int64(1)) + ")"
                                       : entry + " moves points of account '" + account +
                                             "', neither the mint nor the claiming node '" +
                                             strays.column_text(4) + "'"});
    }
  }
  std::vector<std::pair<int64_t, capability::Bytes>> settled;
  {
    auto query = db_.prepare("SELECT id, digest FROM batches ORDER BY id");
    while (query.step()) settled.emplace_back(query.column_int64(0), query.column_blob(1));
  }
  for (const auto& [batch, stored] : settled) {
    const capability::Digest digest = digest_of(batch);
    if (capability::Bytes(digest.begin(), digest.end()) != stored) {
      problems.push_back(
          {0, "batch " + std::to_string(batch) + " no longer matches its settlement digest"});
    }
  }
  return problems;
}

}  // namespace westworld::quests

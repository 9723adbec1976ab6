// Reading the ledger: every total is summed from entries here, never read from a stored
// balance.
#include "westworld/quests/ledger.h"

namespace westworld::quests {

int64_t Ledger::balance(std::string_view account) {
  std::lock_guard lock(mutex_);
  auto query = db_.prepare("SELECT COALESCE(SUM(amount), 0) FROM entries WHERE account = ?1");
  query.bind_text(1, account);
  return query.step() ? query.column_int64(0) : 0;
}

std::vector<Standing> Ledger::leaderboard(std::optional<Category> category) {
  std::lock_guard lock(mutex_);
  auto query = db_.prepare(
      "SELECT e.account, SUM(e.amount) FROM entries e JOIN transactions t ON t.id = e.txn "
      "WHERE e.account != ?1 AND (?2 = '' OR t.category = ?2) "
      "GROUP BY e.account ORDER BY SUM(e.amount) DESC, e.account ASC");
  query.bind_text(1, kMintAccount).bind_text(2, category ? category_name(*category) : "");
  std::vector<Standing> standings;
  while (query.step()) standings.push_back({query.column_text(0), query.column_int64(1)});
  return standings;
}

std::vector<Award> Ledger::awards(std::string_view node) {
  std::lock_guard lock(mutex_);
  auto query = db_.prepare(
      "SELECT a.kind, a.name, t.quest, t.id FROM awards a JOIN transactions t ON t.id = a.txn "
      "WHERE t.node = ?1 ORDER BY t.id, a.kind");
  query.bind_text(1, node);
  std::vector<Award> awards;
  while (query.step()) {
    awards.push_back(
        {query.column_text(0), query.column_text(1), query.column_text(2), query.column_int64(3)});
  }
  return awards;
}

std::vector<HistoryItem> Ledger::history(std::string_view node) {
  std::lock_guard lock(mutex_);
  auto query = db_.prepare(
      "SELECT t.id, t.quest, t.step, t.period, t.granted_at, "
      "  (SELECT COALESCE(SUM(e.amount), 0) FROM entries e "
      "   WHERE e.txn = t.id AND e.account = t.node) "
      "FROM transactions t WHERE t.node = ?1 ORDER BY t.id");
  query.bind_text(1, node);
  std::vector<HistoryItem> items;
  while (query.step()) {
    items.push_back(
        {query.column_int64(0), query.column_text(1), query.column_text(2), query.column_int64(3),
         common::UnixSeconds(std::chrono::seconds(query.column_int64(4))), query.column_int64(5)});
  }
  return items;
}

std::vector<Entry> Ledger::entries(int64_t transaction) {
  std::lock_guard lock(mutex_);
  auto query =
      db_.prepare("SELECT id, txn, account, amount FROM entries WHERE txn = ?1 ORDER BY id");
  query.bind(1, transaction);
  std::vector<Entry> entries;
  while (query.step()) {
    entries.push_back({query.column_int64(0), query.column_int64(1), query.column_text(2),
                       query.column_int64(3)});
  }
  return entries;
}

}  // namespace westworld::quests

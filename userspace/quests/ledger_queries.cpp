// Reading the ledger: every total is summed from entries here, never read from a stored
// balance.
#include "westworld/quests/ledger.h"

namespace westworld::quests {
namespace {

// "?first, ?first+1, ...": SQLite binds no lists, so an IN list gets one parameter per value.
std::string placeholders(int first, size_t count) {
  std::string text;
  for (size_t i = 0; i < count; ++i)
    text += (i == 0 ? "?" : ", ?") + std::to_string(first + static_cast<int>(i));
  return text;
}

}  // namespace

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

std::vector<Standing> Ledger::leaderboard_of_quests(const std::vector<std::string>& quests) {
  if (quests.empty()) return {};
  std::lock_guard lock(mutex_);
  auto query = db_.prepare(
      "SELECT e.account, SUM(e.amount) FROM entries e JOIN transactions t ON t.id = e.txn "
      "WHERE e.account != ?1 AND t.quest IN (" +
      placeholders(2, quests.size()) +
      ") GROUP BY e.account ORDER BY SUM(e.amount) DESC, e.account ASC");
  query.bind_text(1, kMintAccount);
  for (size_t i = 0; i < quests.size(); ++i) query.bind_text(2 + static_cast<int>(i), quests[i]);
  std::vector<Standing> standings;
  while (query.step()) standings.push_back({query.column_text(0), query.column_int64(1)});
  return standings;
}

std::vector<std::string> Ledger::nodes_completing(const Quest& quest) {
  if (quest.steps.empty()) return {};
  std::lock_guard lock(mutex_);
  // Steps a quest file no longer has do not count, nor make up for one it gained.
  auto query = db_.prepare("SELECT node FROM transactions WHERE quest = ?1 AND step IN (" +
                           placeholders(3, quest.steps.size()) +
                           ") GROUP BY node HAVING COUNT(DISTINCT step) = ?2 ORDER BY node");
  query.bind_text(1, quest.id).bind(2, static_cast<int64_t>(quest.steps.size()));
  for (size_t i = 0; i < quest.steps.size(); ++i)
    query.bind_text(3 + static_cast<int>(i), quest.steps[i].id);
  std::vector<std::string> nodes;
  while (query.step()) nodes.push_back(query.column_text(0));
  return nodes;
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

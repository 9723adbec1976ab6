#include "westworld/quests/crisis_board.h"

#include <stdexcept>
#include <string>

namespace westworld::quests {
namespace {

// The agent opens crises from its event loop: it waits this long for a claim's commit, not
// the ledger's ten seconds, and a crisis it could not record is logged by the caller.
constexpr int kBusyTimeoutMs = 2'000;

// A row per crisis; the kind is its name, as quest files write it.
constexpr const char* kCrisisSchema = R"sql(
CREATE TABLE IF NOT EXISTS crises (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  subject TEXT NOT NULL,
  alert INTEGER NOT NULL,
  opened_at INTEGER NOT NULL,
  closes_at INTEGER NOT NULL CHECK (closes_at > opened_at)
);
CREATE INDEX IF NOT EXISTS crises_by_kind ON crises (kind, closes_at);
)sql";

constexpr const char* kColumns = "id, kind, subject, alert, opened_at, closes_at";

common::UnixSeconds seconds_at(int64_t seconds) {
  return common::UnixSeconds(std::chrono::seconds(seconds));
}

Crisis read_crisis(const audit::sqlite::Statement& row) {
  const std::string kind = row.column_text(1);
  const std::optional<CrisisKind> parsed = parse_crisis_kind(kind);
  if (!parsed)
    throw std::runtime_error("crisis " + std::to_string(row.column_int64(0)) +
                             " is of a kind this Westworld does not know: '" + kind + "'");
  return {row.column_int64(0),
          *parsed,
          row.column_text(2),
          static_cast<uint64_t>(row.column_int64(3)),
          seconds_at(row.column_int64(4)),
          seconds_at(row.column_int64(5)),
          {}};
}

// The newest crisis of `kind` open at `now`, on `db` (the caller holds the connection).
std::optional<Crisis> find_open(audit::sqlite::Database& db, CrisisKind kind,
                                common::UnixSeconds now) {
  auto query = db.prepare(std::string("SELECT ") + kColumns +
                          " FROM crises WHERE kind = ?1 AND opened_at <= ?2 AND closes_at > ?2 "
                          "ORDER BY opened_at DESC, id DESC LIMIT 1");
  query.bind_text(1, crisis_kind_name(kind)).bind(2, now.time_since_epoch().count());
  if (!query.step()) return std::nullopt;
  return read_crisis(query);
}

}  // namespace

CrisisBoard::CrisisBoard(const std::filesystem::path& path, bool create) : db_(path, create) {
  db_.pragma("PRAGMA busy_timeout = " + std::to_string(kBusyTimeoutMs));
  // WAL, as the ledger: wwctl's reads never wait for the agent's writes.
  db_.pragma("PRAGMA journal_mode = WAL");
  audit::sqlite::Transaction transaction(db_);
  db_.exec(kCrisisSchema);
  transaction.commit();
}

CrisisOpening CrisisBoard::open(CrisisKind kind, std::string_view subject, uint64_t alert_id,
                                common::UnixSeconds at) {
  std::lock_guard lock(mutex_);
  // The write lock is taken before the check, so of two openers the second sees the first's row.
  audit::sqlite::Transaction transaction(db_);
  if (std::optional<Crisis> open = find_open(db_, kind, at)) return {std::move(*open), false};
  Crisis crisis{0, kind, std::string(subject), alert_id, at, at + kCrisisWindow, {}};
  {
    auto insert = db_.prepare(
        "INSERT INTO crises (kind, subject, alert, opened_at, closes_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id");
    insert.bind_text(1, crisis_kind_name(kind))
        .bind_text(2, subject)
        .bind(3, static_cast<int64_t>(alert_id))
        .bind(4, crisis.opened_at.time_since_epoch().count())
        .bind(5, crisis.closes_at.time_since_epoch().count());
    if (!insert.step()) throw std::runtime_error("the new crisis got no id");
    crisis.id = insert.column_int64(0);
  }
  transaction.commit();
  return {std::move(crisis), true};
}

std::optional<Crisis> CrisisBoard::newest_open(CrisisKind kind, common::UnixSeconds now) {
  std::lock_guard lock(mutex_);
  return find_open(db_, kind, now);
}

std::vector<Crisis> CrisisBoard::closing_after(common::UnixSeconds closed_since) {
  std::lock_guard lock(mutex_);
  auto query = db_.prepare(std::string("SELECT ") + kColumns +
                           " FROM crises WHERE closes_at > ?1 ORDER BY opened_at DESC, id DESC");
  query.bind(1, closed_since.time_since_epoch().count());
  std::vector<Crisis> crises;
  while (query.step()) crises.push_back(read_crisis(query));
  return crises;
}

}  // namespace westworld::quests

#include "log_store.h"

namespace westworld::audit {
namespace {

constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS log_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entries(idx INTEGER PRIMARY KEY, leaf BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS checkpoints(size INTEGER PRIMARY KEY, note TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS personal_data(
  idx INTEGER NOT NULL, field TEXT NOT NULL, salt BLOB NOT NULL, value TEXT NOT NULL,
  PRIMARY KEY(idx, field));
)sql";

std::int64_t as_sql(std::uint64_t value) { return static_cast<std::int64_t>(value); }

std::optional<std::uint64_t> optional_count(sqlite::Statement& stmt) {
  // MAX() over no rows yields one NULL row, which reads as 0; check emptiness explicitly.
  if (!stmt.step() || stmt.column_text(0).empty()) return std::nullopt;
  return static_cast<std::uint64_t>(stmt.column_int64(0));
}

}  // namespace

LogStore::LogStore(const std::filesystem::path& path, bool create) : db_(path, create) {
  db_.exec("PRAGMA busy_timeout = 10000");
  if (db_.pragma("PRAGMA journal_mode = WAL") != "wal")
    throw sqlite::Error(path.string() + ": cannot switch to WAL mode");
  db_.exec("PRAGMA synchronous = FULL");
  // Erased personal data is overwritten on disk, not merely unlinked from the b-tree.
  db_.exec("PRAGMA secure_delete = ON");
  if (create) db_.exec(kSchema);
}

std::optional<std::string> LogStore::meta(std::string_view key) {
  auto stmt = db_.prepare("SELECT value FROM log_meta WHERE key = ?");
  stmt.bind_text(1, key);
  if (!stmt.step()) return std::nullopt;
  return stmt.column_text(0);
}

void LogStore::set_meta(std::string_view key, std::string_view value) {
  db_.prepare("INSERT OR REPLACE INTO log_meta(key, value) VALUES (?, ?)")
      .bind_text(1, key)
      .bind_text(2, value)
      .run();
}

void LogStore::for_each_entry(std::uint64_t from,
                              const std::function<bool(std::uint64_t, const std::string&)>& visit) {
  auto stmt = db_.prepare("SELECT idx, leaf FROM entries WHERE idx >= ? ORDER BY idx");
  stmt.bind(1, as_sql(from));
  while (stmt.step())
    if (!visit(static_cast<std::uint64_t>(stmt.column_int64(0)), stmt.column_text(1))) return;
}

std::optional<std::string> LogStore::entry(std::uint64_t index) {
  auto stmt = db_.prepare("SELECT leaf FROM entries WHERE idx = ?");
  stmt.bind(1, as_sql(index));
  if (!stmt.step()) return std::nullopt;
  return stmt.column_text(0);
}

void LogStore::insert_entry(std::uint64_t index, std::string_view leaf) {
  db_.prepare("INSERT INTO entries(idx, leaf) VALUES (?, ?)")
      .bind(1, as_sql(index))
      .bind_blob(2, capability::as_bytes(leaf))
      .run();
}

std::optional<std::string> LogStore::checkpoint(std::uint64_t size) {
  auto stmt = db_.prepare("SELECT note FROM checkpoints WHERE size = ?");
  stmt.bind(1, as_sql(size));
  if (!stmt.step()) return std::nullopt;
  return stmt.column_text(0);
}

std::optional<std::uint64_t> LogStore::largest_checkpoint_size() {
  auto stmt = db_.prepare("SELECT MAX(size) FROM checkpoints");
  return optional_count(stmt);
}

void LogStore::insert_checkpoint(std::uint64_t size, std::string_view note) {
  db_.prepare("INSERT INTO checkpoints(size, note) VALUES (?, ?)")
      .bind(1, as_sql(size))
      .bind_text(2, note)
      .run();
}

std::vector<PersonalDatum> LogStore::personal(std::uint64_t index) {
  auto stmt =
      db_.prepare("SELECT field, salt, value FROM personal_data WHERE idx = ? ORDER BY field");
  stmt.bind(1, as_sql(index));
  std::vector<PersonalDatum> out;
  while (stmt.step())
    out.push_back({stmt.column_text(0), stmt.column_blob(1), stmt.column_text(2)});
  return out;
}

std::optional<std::uint64_t> LogStore::largest_personal_index() {
  auto stmt = db_.prepare("SELECT MAX(idx) FROM personal_data");
  return optional_count(stmt);
}

void LogStore::insert_personal(std::uint64_t index, const PersonalDatum& datum) {
  db_.prepare("INSERT INTO personal_data(idx, field, salt, value) VALUES (?, ?, ?, ?)")
      .bind(1, as_sql(index))
      .bind_text(2, datum.field)
      .bind_blob(3, datum.salt)
      .bind_text(4, datum.value)
      .run();
}

std::size_t LogStore::erase_personal(std::uint64_t index) {
  auto stmt = db_.prepare("DELETE FROM personal_data WHERE idx = ?");
  stmt.bind(1, as_sql(index)).run();
  return db_.changes();
}

void LogStore::flush_journal() { db_.exec("PRAGMA wal_checkpoint(TRUNCATE)"); }

}  // namespace westworld::audit

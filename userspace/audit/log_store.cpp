#include "log_store.h"

#include "subject_cipher.h"
#include "westworld/capability/crypto.h"

namespace westworld::audit {
namespace {

constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS log_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entries(idx INTEGER PRIMARY KEY, leaf BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS checkpoints(size INTEGER PRIMARY KEY, note TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS personal_data(
  idx INTEGER NOT NULL, field TEXT NOT NULL, salt BLOB NOT NULL, value TEXT NOT NULL,
  tag BLOB, nonce BLOB,
  PRIMARY KEY(idx, field));
)sql";

// Crypto-shredding (subject_cipher.h), added to logs made before it: their personal values stay
// plain (nonce NULL) and are erased by deletion; new ones are sealed under per-subject keys.
// The keys live in a file of their own (LOG.keys), so a copy of the log made before an
// erasure cannot be opened for the erased subject with the keys that remain after it.
constexpr std::string_view kSubjectSchema = R"sql(
CREATE INDEX IF NOT EXISTS personal_by_tag ON personal_data(tag);
CREATE TABLE IF NOT EXISTS keys.subject_keys(tag BLOB PRIMARY KEY, key BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS keys.key_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
)sql";

constexpr std::string_view kTagKeyMeta = "subject_tag_key";

// What personal() gives for a sealed value that does not open: it cannot match its commitment,
// so verification names the entry instead of the value passing as erased.
constexpr std::string_view kUnopenable = "\0(sealed value does not open)";

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
  attach_keys(path.string() + ".keys");
  migrate_to_sealed_values();
}

void LogStore::attach_keys(const std::string& keys_path) {
  if (!std::filesystem::exists(keys_path)) sqlite::Database(keys_path, true);  // 0600
  db_.prepare("ATTACH DATABASE ? AS keys").bind_text(1, keys_path).run();
  if (db_.pragma("PRAGMA keys.journal_mode = WAL") != "wal")
    throw sqlite::Error(keys_path + ": cannot switch to WAL mode");
  db_.exec("PRAGMA keys.synchronous = FULL");
  db_.exec("PRAGMA keys.secure_delete = ON");
}

void LogStore::migrate_to_sealed_values() {
  bool has_tag = false;
  auto columns = db_.prepare("PRAGMA table_info(personal_data)");
  bool exists = false;
  while (columns.step()) {
    exists = true;
    has_tag = has_tag || columns.column_text(1) == "tag";
  }
  if (!exists) return;  // not a log (open_existing reports that)
  if (!has_tag) {
    db_.exec("ALTER TABLE personal_data ADD COLUMN tag BLOB");
    db_.exec("ALTER TABLE personal_data ADD COLUMN nonce BLOB");
  }
  db_.exec(kSubjectSchema);
}

capability::Bytes LogStore::tag_key(bool create) {
  auto stored = db_.prepare("SELECT value FROM keys.key_meta WHERE key = ?");
  stored.bind_text(1, kTagKeyMeta);
  if (stored.step()) {
    const std::string hex = stored.column_text(0);
    auto key = capability::from_hex(hex);
    if (!key || key->size() != kSubjectKeyBytes)
      throw sqlite::Error("key_meta " + std::string(kTagKeyMeta) + " is not a 32-byte hex key");
    return *key;
  }
  if (!create) return {};
  capability::Bytes key(kSubjectKeyBytes);
  capability::random_bytes(key);
  db_.prepare("INSERT INTO keys.key_meta(key, value) VALUES (?, ?)")
      .bind_text(1, kTagKeyMeta)
      .bind_text(2, capability::to_hex(key))
      .run();
  return key;
}

std::optional<capability::Bytes> LogStore::subject_key(capability::ByteView tag) {
  auto stmt = db_.prepare("SELECT key FROM keys.subject_keys WHERE tag = ?");
  stmt.bind_blob(1, tag);
  if (!stmt.step()) return std::nullopt;
  return stmt.column_blob(0);
}

capability::Bytes LogStore::subject_key_or_new(capability::ByteView tag) {
  if (auto key = subject_key(tag)) return *key;
  capability::Bytes key(kSubjectKeyBytes);
  capability::random_bytes(key);
  db_.prepare("INSERT INTO keys.subject_keys(tag, key) VALUES (?, ?)")
      .bind_blob(1, tag)
      .bind_blob(2, key)
      .run();
  return key;
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
  auto stmt = db_.prepare(
      "SELECT field, salt, value, tag, nonce FROM personal_data WHERE idx = ? ORDER BY field");
  stmt.bind(1, as_sql(index));
  std::vector<PersonalDatum> out;
  while (stmt.step()) {
    PersonalDatum datum{stmt.column_text(0), stmt.column_blob(1), stmt.column_text(2)};
    const capability::Bytes nonce = stmt.column_blob(4);
    if (nonce.empty()) {  // a plain value from before sealing
      out.push_back(std::move(datum));
      continue;
    }
    const auto key = subject_key(stmt.column_blob(3));
    if (!key) continue;         // shredded: the subject was erased
    if (!datum.salt.empty()) {  // a sealed value keeps its salt inside: this row was edited
      datum.value = std::string(kUnopenable);
      out.push_back(std::move(datum));
      continue;
    }
    // Sealed together: the salt as well, so the commitment cannot be brute-forced later.
    const auto sealed =
        open_personal(*key, index, datum.field,
                      {nonce, capability::Bytes(datum.value.begin(), datum.value.end())});
    if (sealed && sealed->size() >= kPersonalSaltBytes) {
      datum.salt.assign(sealed->begin(), sealed->begin() + kPersonalSaltBytes);
      datum.value = sealed->substr(kPersonalSaltBytes);
    } else {
      datum.value = std::string(kUnopenable);
    }
    out.push_back(std::move(datum));
  }
  return out;
}

std::optional<std::uint64_t> LogStore::largest_personal_index() {
  auto stmt = db_.prepare("SELECT MAX(idx) FROM personal_data");
  return optional_count(stmt);
}

void LogStore::insert_personal(std::uint64_t index, const PersonalDatum& datum) {
  const capability::Bytes tag = subject_tag(tag_key(true), datum.value);
  std::string payload(datum.salt.begin(), datum.salt.end());
  payload += datum.value;
  const SealedValue sealed = seal_personal(subject_key_or_new(tag), index, datum.field, payload);
  capability::wipe(payload);
  db_.prepare(
         "INSERT INTO personal_data(idx, field, salt, value, tag, nonce) "
         "VALUES (?, ?, ?, ?, ?, ?)")
      .bind(1, as_sql(index))
      .bind_text(2, datum.field)
      .bind_blob(3, capability::Bytes{})  // inside the sealed value
      .bind_blob(4, sealed.ciphertext)
      .bind_blob(5, tag)
      .bind_blob(6, sealed.nonce)
      .run();
}

capability::Bytes LogStore::lookup_tag(std::string_view subject) {
  const capability::Bytes key = tag_key(false);
  return key.empty() ? capability::Bytes{} : subject_tag(key, subject);
}

std::vector<std::uint64_t> LogStore::entries_naming(std::string_view subject) {
  const capability::Bytes tag = lookup_tag(subject);
  auto stmt = db_.prepare(
      "SELECT DISTINCT idx FROM personal_data WHERE tag = ? OR (nonce IS NULL AND value = ?) "
      "ORDER BY idx");
  stmt.bind_blob(1, tag).bind_text(2, subject);
  std::vector<std::uint64_t> out;
  while (stmt.step()) out.push_back(static_cast<std::uint64_t>(stmt.column_int64(0)));
  return out;
}

std::size_t LogStore::erase_subject(std::string_view subject) {
  const capability::Bytes tag = lookup_tag(subject);
  db_.prepare("DELETE FROM keys.subject_keys WHERE tag = ?").bind_blob(1, tag).run();
  db_.prepare("DELETE FROM personal_data WHERE tag = ? OR (nonce IS NULL AND value = ?)")
      .bind_blob(1, tag)
      .bind_text(2, subject)
      .run();
  return db_.changes();
}

std::size_t LogStore::erase_personal(std::uint64_t index) {
  auto stmt = db_.prepare("DELETE FROM personal_data WHERE idx = ?");
  stmt.bind(1, as_sql(index)).run();
  return db_.changes();
}

void LogStore::flush_journal() { db_.exec("PRAGMA wal_checkpoint(TRUNCATE)"); }

}  // namespace westworld::audit

#include "vault_store.h"

#include <algorithm>

namespace westworld::vault {
namespace {

using audit::sqlite::Statement;
using capability::Bytes;
using capability::ByteView;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS epochs(epoch INTEGER PRIMARY KEY, threshold INTEGER NOT NULL,
  commitments BLOB NOT NULL, state TEXT NOT NULL, kind TEXT NOT NULL, nonce BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS guardians(epoch INTEGER NOT NULL, idx INTEGER NOT NULL,
  id TEXT NOT NULL, sign_key BLOB NOT NULL, PRIMARY KEY(epoch, idx));
CREATE TABLE IF NOT EXISTS shares(epoch INTEGER NOT NULL, idx INTEGER NOT NULL,
  parts BLOB NOT NULL, public BLOB NOT NULL, signature BLOB NOT NULL, PRIMARY KEY(epoch, idx));
CREATE TABLE IF NOT EXISTS items(id TEXT PRIMARY KEY, type TEXT NOT NULL, title TEXT NOT NULL,
  version INTEGER NOT NULL, size INTEGER NOT NULL, created INTEGER NOT NULL,
  ephemeral BLOB NOT NULL, wrapped_key BLOB NOT NULL, ciphertext BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS requests(id TEXT PRIMARY KEY, item TEXT NOT NULL,
  emergency INTEGER NOT NULL, created INTEGER NOT NULL, expires INTEGER NOT NULL,
  box_public BLOB NOT NULL, box_secret BLOB, state TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS releases(request TEXT NOT NULL, guardian TEXT NOT NULL,
  epoch INTEGER NOT NULL, idx INTEGER NOT NULL, sealed BLOB NOT NULL, signature BLOB NOT NULL,
  PRIMARY KEY(request, guardian));
CREATE TABLE IF NOT EXISTS votes(request TEXT NOT NULL, guardian TEXT NOT NULL,
  yes INTEGER NOT NULL, signature BLOB NOT NULL, cast_at INTEGER NOT NULL,
  PRIMARY KEY(request, guardian));
)sql";

template <std::size_t N>
std::array<std::uint8_t, N> fixed(const Bytes& bytes) {
  std::array<std::uint8_t, N> out{};
  if (bytes.size() == N) std::copy(bytes.begin(), bytes.end(), out.begin());
  return out;
}

capability::UnixSeconds seconds(std::int64_t v) {
  return capability::UnixSeconds{std::chrono::seconds(v)};
}
std::int64_t unix_of(capability::UnixSeconds t) { return t.time_since_epoch().count(); }

std::string_view state_name(RequestState s) {
  switch (s) {
    case RequestState::kOpen:
      return "open";
    case RequestState::kUsed:
      return "used";
    case RequestState::kClosed:
      return "closed";
  }
  return "closed";
}

RequestState parse_state(const std::string& s) {
  if (s == "open") return RequestState::kOpen;
  if (s == "used") return RequestState::kUsed;
  return RequestState::kClosed;
}

Bytes join_points(const std::vector<Point>& points) {
  Bytes out;
  for (const Point& p : points) out.insert(out.end(), p.begin(), p.end());
  return out;
}

std::vector<Point> split_points(const Bytes& bytes) {
  std::vector<Point> out;
  for (std::size_t at = 0; at + 32 <= bytes.size(); at += 32) {
    Point p;
    std::copy(bytes.begin() + static_cast<std::ptrdiff_t>(at),
              bytes.begin() + static_cast<std::ptrdiff_t>(at + 32), p.begin());
    out.push_back(p);
  }
  return out;
}

}  // namespace

VaultStore::VaultStore(const std::filesystem::path& path, bool create) : db_(path, create) {
  db_.exec("PRAGMA secure_delete=ON");
  db_.pragma("PRAGMA journal_mode=WAL");
  db_.exec("PRAGMA synchronous=FULL");
  db_.exec("PRAGMA foreign_keys=ON");
  db_.exec("PRAGMA busy_timeout=5000");
  if (create) db_.exec(kSchema);
}

std::optional<std::uint64_t> VaultStore::active_epoch() {
  Statement s = db_.prepare("SELECT value FROM meta WHERE key='active_epoch'");
  if (!s.step()) return std::nullopt;
  return static_cast<std::uint64_t>(s.column_int64(0));
}

void VaultStore::set_active_epoch(std::uint64_t epoch) {
  db_.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES('active_epoch', ?)")
      .bind(1, static_cast<std::int64_t>(epoch))
      .run();
}

void VaultStore::insert_epoch(const EpochInfo& epoch, std::string_view state, std::string_view kind,
                              ByteView nonce) {
  db_.prepare("INSERT INTO epochs VALUES(?, ?, ?, ?, ?, ?)")
      .bind(1, static_cast<std::int64_t>(epoch.epoch))
      .bind(2, epoch.threshold)
      .bind_blob(3, join_points(epoch.commitments))
      .bind_text(4, state)
      .bind_text(5, kind)
      .bind_blob(6, nonce)
      .run();
  for (const GuardianSlot& slot : epoch.guardians) {
    db_.prepare("INSERT INTO guardians VALUES(?, ?, ?, ?)")
        .bind(1, static_cast<std::int64_t>(epoch.epoch))
        .bind(2, slot.index)
        .bind_text(3, slot.guardian.id)
        .bind_blob(4, slot.guardian.sign_key)
        .run();
  }
}

std::optional<EpochInfo> VaultStore::epoch(std::uint64_t epoch) {
  Statement s = db_.prepare("SELECT threshold, commitments, nonce FROM epochs WHERE epoch=?");
  s.bind(1, static_cast<std::int64_t>(epoch));
  if (!s.step()) return std::nullopt;
  EpochInfo out;
  out.epoch = epoch;
  out.threshold = static_cast<std::uint32_t>(s.column_int64(0));
  out.commitments = split_points(s.column_blob(1));
  out.nonce = s.column_blob(2);
  Statement g = db_.prepare("SELECT idx, id, sign_key FROM guardians WHERE epoch=? ORDER BY idx");
  g.bind(1, static_cast<std::int64_t>(epoch));
  while (g.step())
    out.guardians.push_back({{g.column_text(1), fixed<32>(g.column_blob(2))},
                             static_cast<std::uint32_t>(g.column_int64(0))});
  return out;
}

std::optional<PendingEpoch> VaultStore::pending_epoch() {
  Statement s = db_.prepare("SELECT epoch, kind, nonce FROM epochs WHERE state='pending'");
  if (!s.step()) return std::nullopt;
  const auto number = static_cast<std::uint64_t>(s.column_int64(0));
  PendingEpoch out{*epoch(number), s.column_text(1), s.column_blob(2)};
  return out;
}

void VaultStore::set_epoch_state(std::uint64_t epoch, std::string_view state) {
  db_.prepare("UPDATE epochs SET state=? WHERE epoch=?")
      .bind_text(1, state)
      .bind(2, static_cast<std::int64_t>(epoch))
      .run();
}

void VaultStore::drop_shares(std::uint64_t epoch) {
  db_.prepare("DELETE FROM shares WHERE epoch=?").bind(1, static_cast<std::int64_t>(epoch)).run();
}

void VaultStore::drop_pending() {
  Statement s = db_.prepare("SELECT epoch FROM epochs WHERE state='pending'");
  std::vector<std::int64_t> pending;
  while (s.step()) pending.push_back(s.column_int64(0));
  for (std::int64_t e : pending) {
    for (const char* sql :
         {"DELETE FROM shares WHERE epoch=?", "DELETE FROM guardians WHERE epoch=?",
          "DELETE FROM epochs WHERE epoch=?"})
      db_.prepare(sql).bind(1, e).run();
  }
}

void VaultStore::put_share(const StoredShare& share) {
  db_.prepare("INSERT OR REPLACE INTO shares VALUES(?, ?, ?, ?, ?)")
      .bind(1, static_cast<std::int64_t>(share.epoch))
      .bind(2, share.index)
      .bind_blob(3, share.parts)
      .bind_blob(4, share.public_value)
      .bind_blob(5, share.signature)
      .run();
}

namespace {
StoredShare read_share(const Statement& s) {
  return {static_cast<std::uint64_t>(s.column_int64(0)),
          static_cast<std::uint32_t>(s.column_int64(1)), s.column_blob(2),
          fixed<32>(s.column_blob(3)), fixed<64>(s.column_blob(4))};
}
}  // namespace

std::optional<StoredShare> VaultStore::share(std::uint64_t epoch, std::uint32_t index) {
  Statement s = db_.prepare(
      "SELECT epoch, idx, parts, public, signature FROM shares "
      "WHERE epoch=? AND idx=?");
  s.bind(1, static_cast<std::int64_t>(epoch)).bind(2, index);
  if (!s.step()) return std::nullopt;
  return read_share(s);
}

std::vector<StoredShare> VaultStore::shares(std::uint64_t epoch) {
  Statement s = db_.prepare(
      "SELECT epoch, idx, parts, public, signature FROM shares "
      "WHERE epoch=? ORDER BY idx");
  s.bind(1, static_cast<std::int64_t>(epoch));
  std::vector<StoredShare> out;
  while (s.step()) out.push_back(read_share(s));
  return out;
}

void VaultStore::insert_item(const StoredItem& item) {
  db_.prepare("INSERT INTO items VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind_text(1, item.summary.id)
      .bind_text(2, to_string(item.summary.type))
      .bind_text(3, item.summary.title)
      .bind(4, item.summary.version)
      .bind(5, static_cast<std::int64_t>(item.summary.size))
      .bind(6, unix_of(item.summary.created))
      .bind_blob(7, item.ephemeral)
      .bind_blob(8, item.wrapped_key)
      .bind_blob(9, item.ciphertext)
      .run();
}

namespace {
ItemSummary read_summary(const Statement& s) {
  return {s.column_text(0),
          parse_item_type(s.column_text(1)).value_or(ItemType::kIdentity),
          s.column_text(2),
          static_cast<std::uint32_t>(s.column_int64(3)),
          static_cast<std::uint64_t>(s.column_int64(4)),
          seconds(s.column_int64(5))};
}
}  // namespace

std::optional<StoredItem> VaultStore::item(const std::string& id) {
  Statement s = db_.prepare(
      "SELECT id, type, title, version, size, created, ephemeral, "
      "wrapped_key, ciphertext FROM items WHERE id=?");
  s.bind_text(1, id);
  if (!s.step()) return std::nullopt;
  return StoredItem{read_summary(s), fixed<32>(s.column_blob(6)), s.column_blob(7),
                    s.column_blob(8)};
}

std::vector<ItemSummary> VaultStore::items() {
  Statement s = db_.prepare(
      "SELECT id, type, title, version, size, created FROM items "
      "ORDER BY created, id");
  std::vector<ItemSummary> out;
  while (s.step()) out.push_back(read_summary(s));
  return out;
}

bool VaultStore::delete_item(const std::string& id) {
  db_.prepare("DELETE FROM items WHERE id=?").bind_text(1, id).run();
  return db_.changes() > 0;
}

void VaultStore::insert_request(const RequestRecord& r, const SecretBuffer& box_secret) {
  db_.prepare("INSERT INTO requests VALUES(?, ?, ?, ?, ?, ?, ?, ?)")
      .bind_text(1, r.id)
      .bind_text(2, r.item)
      .bind(3, r.emergency ? 1 : 0)
      .bind(4, unix_of(r.created))
      .bind(5, unix_of(r.expires))
      .bind_blob(6, r.box_public)
      .bind_blob(7, box_secret.view())
      .bind_text(8, state_name(r.state))
      .run();
}

std::optional<RequestRecord> VaultStore::request(const std::string& id) {
  Statement s = db_.prepare(
      "SELECT id, item, emergency, created, expires, box_public, state "
      "FROM requests WHERE id=?");
  s.bind_text(1, id);
  if (!s.step()) return std::nullopt;
  return RequestRecord{s.column_text(0),
                       s.column_text(1),
                       s.column_int64(2) != 0,
                       seconds(s.column_int64(3)),
                       seconds(s.column_int64(4)),
                       fixed<32>(s.column_blob(5)),
                       parse_state(s.column_text(6))};
}

std::optional<SecretBuffer> VaultStore::request_secret(const std::string& id) {
  Statement s = db_.prepare("SELECT box_secret FROM requests WHERE id=? AND state='open'");
  s.bind_text(1, id);
  if (!s.step()) return std::nullopt;
  const ByteView secret = s.column_view(0);
  if (secret.empty()) return std::nullopt;
  return SecretBuffer::copy_of(secret);
}

void VaultStore::close_request(const std::string& id, RequestState state) {
  db_.prepare("UPDATE requests SET state=?, box_secret=NULL WHERE id=?")
      .bind_text(1, state_name(state))
      .bind_text(2, id)
      .run();
  db_.prepare("DELETE FROM releases WHERE request=?").bind_text(1, id).run();
}

void VaultStore::delete_requests_for(const std::string& item) {
  db_.prepare("DELETE FROM releases WHERE request IN (SELECT id FROM requests WHERE item=?)")
      .bind_text(1, item)
      .run();
  db_.prepare("DELETE FROM votes WHERE request IN (SELECT id FROM requests WHERE item=?)")
      .bind_text(1, item)
      .run();
  db_.prepare("DELETE FROM requests WHERE item=?").bind_text(1, item).run();
}

void VaultStore::put_release(const ReleaseRecord& r) {
  db_.prepare("INSERT OR REPLACE INTO releases VALUES(?, ?, ?, ?, ?, ?)")
      .bind_text(1, r.request)
      .bind_text(2, r.guardian)
      .bind(3, static_cast<std::int64_t>(r.epoch))
      .bind(4, r.index)
      .bind_blob(5, r.sealed)
      .bind_blob(6, r.signature)
      .run();
}

std::vector<ReleaseRecord> VaultStore::releases(const std::string& request) {
  Statement s = db_.prepare(
      "SELECT request, guardian, epoch, idx, sealed, signature "
      "FROM releases WHERE request=? ORDER BY idx, guardian");
  s.bind_text(1, request);
  std::vector<ReleaseRecord> out;
  while (s.step())
    out.push_back({s.column_text(0), s.column_text(1),
                   static_cast<std::uint64_t>(s.column_int64(2)),
                   static_cast<std::uint32_t>(s.column_int64(3)), s.column_blob(4),
                   fixed<64>(s.column_blob(5))});
  return out;
}

void VaultStore::put_vote(const VoteRecord& v) {
  db_.prepare("INSERT OR REPLACE INTO votes VALUES(?, ?, ?, ?, ?)")
      .bind_text(1, v.request)
      .bind_text(2, v.guardian)
      .bind(3, v.yes ? 1 : 0)
      .bind_blob(4, v.signature)
      .bind(5, unix_of(v.cast))
      .run();
}

std::vector<VoteRecord> VaultStore::votes(const std::string& request) {
  Statement s = db_.prepare(
      "SELECT request, guardian, yes, signature, cast_at FROM votes "
      "WHERE request=? ORDER BY guardian");
  s.bind_text(1, request);
  std::vector<VoteRecord> out;
  while (s.step())
    out.push_back({s.column_text(0), s.column_text(1), s.column_int64(2) != 0,
                   fixed<64>(s.column_blob(3)), seconds(s.column_int64(4))});
  return out;
}

void VaultStore::checkpoint() { db_.pragma("PRAGMA wal_checkpoint(TRUNCATE)"); }

void VaultStore::scrub() {
  db_.pragma("PRAGMA wal_checkpoint(TRUNCATE)");
  db_.exec("VACUUM");
  db_.pragma("PRAGMA wal_checkpoint(TRUNCATE)");
}

}  // namespace westworld::vault

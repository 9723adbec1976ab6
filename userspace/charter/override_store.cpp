#include "westworld/charter/override_store.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "westworld/audit/sqlite.h"
#include "westworld/capability/bytes.h"

namespace westworld::charter {
namespace {

namespace sqlite = audit::sqlite;
using common::UnixSeconds;
using nlohmann::json;

// Lists are JSON arrays in their columns: the text is only ever read back by this file.
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS overrides(
  id TEXT PRIMARY KEY,
  rules TEXT NOT NULL,
  reason TEXT NOT NULL,
  affected_nodes TEXT NOT NULL,
  issued_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  nonce TEXT NOT NULL,
  signatures TEXT NOT NULL,
  signers TEXT NOT NULL,
  accepted_at INTEGER NOT NULL,
  ended_at INTEGER,
  decision TEXT NOT NULL DEFAULT '');
)sql";

constexpr const char* kColumns =
    "id, rules, reason, affected_nodes, issued_at, expires_at, nonce, signatures, signers, "
    "accepted_at, ended_at, decision";

UnixSeconds seconds(int64_t unix) { return UnixSeconds{std::chrono::seconds(unix)}; }
int64_t unix_of(UnixSeconds time) { return time.time_since_epoch().count(); }

json signatures_json(const std::vector<OperatorSignature>& signatures) {
  json out = json::array();
  for (const OperatorSignature& s : signatures)
    out.push_back({{"signer", capability::to_base64(s.signer)},
                   {"signature", capability::to_base64(s.signature)}});
  return out;
}

OverrideRecord read_row(const sqlite::Statement& row, const std::filesystem::path& path) {
  const std::string id = row.column_text(0);
  const auto tampered = [&](const std::string& why) {
    return std::runtime_error(path.string() + ": override " + id + " is not as accepted: " + why);
  };
  OverrideRecord r;
  try {
    r.override_.rules = json::parse(row.column_text(1)).get<std::vector<std::string>>();
    r.override_.reason = row.column_text(2);
    r.override_.affected_nodes = json::parse(row.column_text(3)).get<std::vector<std::string>>();
    r.signers = json::parse(row.column_text(8)).get<std::vector<std::string>>();
    for (const json& s : json::parse(row.column_text(7))) {
      const auto signature = decode_operator_signature(s.at("signer").get<std::string>(),
                                                       s.at("signature").get<std::string>());
      if (!signature) throw tampered("a signature is not base64 of the right length");
      r.signatures.push_back(*signature);
    }
  } catch (const json::exception& e) {
    throw tampered(e.what());
  }
  r.override_.issued_at = seconds(row.column_int64(4));
  r.override_.expires_at = seconds(row.column_int64(5));
  const auto nonce = capability::fixed_bytes<16>(capability::from_hex(row.column_text(6)));
  if (!nonce) throw tampered("the nonce is not 32 hex characters");
  r.override_.nonce = *nonce;
  r.accepted_at = seconds(row.column_int64(9));
  if (!row.column_text(10).empty()) r.ended_at = seconds(row.column_int64(10));
  r.decision = row.column_text(11);
  if (auto error = override_form_error(r.override_)) throw tampered(*error);
  if (r.id() != id) throw tampered("its content does not hash to its id");
  return r;
}

}  // namespace

struct OverrideStore::Store {
  std::filesystem::path path;
  sqlite::Database db;

  std::vector<OverrideRecord> select(std::string_view where, std::size_t limit) {
    std::string sql = std::string("SELECT ") + kColumns + " FROM overrides";
    if (!where.empty()) sql += " WHERE " + std::string(where);
    sql += " ORDER BY accepted_at DESC, id";
    if (limit > 0) sql += " LIMIT " + std::to_string(limit);
    sqlite::Statement statement = db.prepare(sql);
    std::vector<OverrideRecord> rows;
    while (statement.step()) rows.push_back(read_row(statement, path));
    return rows;
  }
};

OverrideStore::OverrideStore(std::unique_ptr<Store> store) : store_(std::move(store)) {}
OverrideStore::OverrideStore(OverrideStore&&) noexcept = default;
OverrideStore& OverrideStore::operator=(OverrideStore&&) noexcept = default;
OverrideStore::~OverrideStore() = default;

OverrideStore OverrideStore::open(const std::filesystem::path& path) {
  auto store = std::unique_ptr<Store>(new Store{path, sqlite::Database(path, true)});
  store->db.exec(kSchema);
  // Stores from before governance decisions lack the column; their overrides had none.
  bool has_decision = false;
  sqlite::Statement columns = store->db.prepare("PRAGMA table_info(overrides)");
  while (columns.step()) has_decision = has_decision || columns.column_text(1) == "decision";
  if (!has_decision)
    store->db.exec("ALTER TABLE overrides ADD COLUMN decision TEXT NOT NULL DEFAULT ''");
  return OverrideStore(std::move(store));
}

const std::filesystem::path& OverrideStore::path() const { return store_->path; }

bool OverrideStore::add(const OverrideRecord& r) {
  const EmergencyOverride& o = r.override_;
  sqlite::Statement insert = store_->db.prepare(
      "INSERT OR IGNORE INTO overrides(id, rules, reason, affected_nodes, issued_at, expires_at, "
      "nonce, signatures, signers, accepted_at, decision) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  insert.bind_text(1, r.id())
      .bind_text(2, json(o.rules).dump())
      .bind_text(3, o.reason)
      .bind_text(4, json(o.affected_nodes).dump())
      .bind(5, unix_of(o.issued_at))
      .bind(6, unix_of(o.expires_at))
      .bind_text(7, capability::to_hex(o.nonce))
      .bind_text(8, signatures_json(r.signatures).dump())
      .bind_text(9, json(r.signers).dump())
      .bind(10, unix_of(r.accepted_at))
      .bind_text(11, r.decision);
  insert.run();
  return store_->db.changes() == 1;
}

std::vector<OverrideRecord> OverrideStore::all(std::size_t limit) const {
  return store_->select({}, limit);
}

std::vector<OverrideRecord> OverrideStore::end_due(UnixSeconds now) {
  sqlite::Transaction transaction(store_->db);
  std::vector<OverrideRecord> due =
      store_->select("ended_at IS NULL AND expires_at <= " + std::to_string(unix_of(now)), 0);
  sqlite::Statement mark = store_->db.prepare("UPDATE overrides SET ended_at = ?1 WHERE id = ?2");
  for (OverrideRecord& r : due) {
    r.ended_at = r.override_.expires_at;
    mark.bind(1, unix_of(*r.ended_at)).bind_text(2, r.id());
    mark.run();
    mark.reset();
  }
  transaction.commit();
  std::sort(due.begin(), due.end(), [](const OverrideRecord& a, const OverrideRecord& b) {
    return a.override_.expires_at < b.override_.expires_at;
  });
  return due;
}

}  // namespace westworld::charter

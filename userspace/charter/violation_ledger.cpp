#include "westworld/charter/violation_ledger.h"

#include <array>
#include <map>
#include <stdexcept>

#include "enum_names.h"
#include "westworld/audit/sqlite.h"

namespace westworld::charter {
namespace {

namespace sqlite = audit::sqlite;
using common::UnixSeconds;

constexpr std::array<const char*, 3> kTypeNames = {"forbidden_metric", "gate_bypass", "flow_rule"};

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS violations(
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  offender TEXT NOT NULL,
  type TEXT NOT NULL,
  detail TEXT NOT NULL,
  severity TEXT NOT NULL,
  step TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS violations_by_offender ON violations(offender, at);
CREATE TABLE IF NOT EXISTS restorations(
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  offender TEXT NOT NULL,
  violation INTEGER NOT NULL UNIQUE,
  decision TEXT NOT NULL);
)sql";

constexpr const char* kColumns = "id, at, offender, type, detail, severity, step";

UnixSeconds seconds(int64_t unix) { return UnixSeconds{std::chrono::seconds(unix)}; }

// One row, checked: a name this code does not know is a ledger someone else wrote.
Violation read_row(const sqlite::Statement& row, const std::filesystem::path& path) {
  Violation v;
  v.id = row.column_int64(0);
  v.at = seconds(row.column_int64(1));
  v.report.offender = row.column_text(2);
  const auto bad = [&](const char* column, const std::string& value) {
    return std::runtime_error(path.string() + ": violation " + std::to_string(v.id) + " has " +
                              column + " '" + value + "', which this agent does not know");
  };
  const std::string type = row.column_text(3), severity = row.column_text(5),
                    step = row.column_text(6);
  v.report.detail = row.column_text(4);
  const auto parsed_type = parse_violation_type(type);
  if (!parsed_type) throw bad("type", type);
  const auto parsed_severity = parse_violation_severity(severity);
  if (!parsed_severity) throw bad("severity", severity);
  const auto parsed_step = parse_escalation_step(step);
  if (!parsed_step) throw bad("step", step);
  v.report.type = *parsed_type;
  v.report.severity = *parsed_severity;
  v.step = *parsed_step;
  return v;
}

}  // namespace

const char* to_string(ViolationType type) { return kTypeNames.at(static_cast<size_t>(type)); }

std::optional<ViolationType> parse_violation_type(std::string_view name) {
  return enum_named<ViolationType>(kTypeNames, name);
}

std::optional<policy::ViolationSeverity> parse_violation_severity(std::string_view name) {
  using policy::ViolationSeverity;
  for (auto s : {ViolationSeverity::low, ViolationSeverity::medium, ViolationSeverity::high,
                 ViolationSeverity::critical})
    if (name == policy::to_string(s)) return s;
  return std::nullopt;
}

struct ViolationLedger::Store {
  std::filesystem::path path;
  sqlite::Database db;
  const common::Clock& clock;

  std::vector<Violation> select(std::string_view where, std::string_view offender, size_t limit) {
    std::string sql = std::string("SELECT ") + kColumns + " FROM violations";
    if (!where.empty()) sql += std::string(" WHERE ") + std::string(where);
    sql += " ORDER BY id DESC";
    if (limit > 0) sql += " LIMIT " + std::to_string(limit);
    sqlite::Statement statement = db.prepare(sql);
    if (!where.empty()) statement.bind_text(1, offender);
    std::vector<Violation> rows;
    while (statement.step()) rows.push_back(read_row(statement, path));
    return rows;
  }
};

ViolationLedger::ViolationLedger(std::unique_ptr<Store> store) : store_(std::move(store)) {}
ViolationLedger::ViolationLedger(ViolationLedger&&) noexcept = default;
ViolationLedger& ViolationLedger::operator=(ViolationLedger&&) noexcept = default;
ViolationLedger::~ViolationLedger() = default;

ViolationLedger ViolationLedger::open(const std::filesystem::path& path,
                                      const common::Clock& clock) {
  auto store = std::unique_ptr<Store>(new Store{path, sqlite::Database(path, true), clock});
  store->db.exec(kSchema);
  return ViolationLedger(std::move(store));
}

const std::filesystem::path& ViolationLedger::path() const { return store_->path; }

std::optional<Violation> ViolationLedger::record(const ViolationReport& report) {
  const UnixSeconds now = store_->clock.now();
  sqlite::Transaction transaction(store_->db);
  std::vector<UnixSeconds> earlier;
  for (const Violation& v : store_->select("offender = ?1", report.offender, 0)) {
    if (v.report.type == report.type && v.report.detail == report.detail && v.at <= now &&
        now - v.at < kRepeatQuiet)
      return std::nullopt;
    earlier.push_back(v.at);
  }
  Violation violation{0, now, report, escalation_for(earlier, now)};
  sqlite::Statement insert = store_->db.prepare(
      "INSERT INTO violations(at, offender, type, detail, severity, step) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6) RETURNING id");
  insert.bind(1, now.time_since_epoch().count())
      .bind_text(2, report.offender)
      .bind_text(3, to_string(report.type))
      .bind_text(4, report.detail)
      .bind_text(5, policy::to_string(report.severity))
      .bind_text(6, to_string(violation.step));
  if (!insert.step()) throw std::runtime_error(store_->path.string() + ": insert returned no id");
  violation.id = insert.column_int64(0);
  insert.run();  // steps to the end, which completes the insert
  transaction.commit();
  return violation;
}

std::vector<Violation> ViolationLedger::violations(size_t limit) const {
  return store_->select({}, {}, limit);
}

std::optional<std::string> ViolationLedger::restore(std::string_view offender,
                                                    std::int64_t violation,
                                                    std::string_view decision) {
  sqlite::Transaction transaction(store_->db);
  const Standing now = standing(offender);
  if (!now.quarantined_by)
    return "'" + std::string(offender) + "' is not quarantined by the charter on this node";
  if (*now.quarantined_by != violation)
    return "the quarantine of '" + std::string(offender) + "' is held by violation " +
           std::to_string(*now.quarantined_by) + ", not " + std::to_string(violation);
  store_->db
      .prepare("INSERT INTO restorations(at, offender, violation, decision) VALUES(?1, ?2, ?3, ?4)")
      .bind(1, store_->clock.now().time_since_epoch().count())
      .bind_text(2, offender)
      .bind(3, violation)
      .bind_text(4, decision)
      .run();
  transaction.commit();
  return std::nullopt;
}

std::vector<Restoration> ViolationLedger::restorations() const {
  sqlite::Statement statement = store_->db.prepare(
      "SELECT offender, violation, decision, at FROM restorations ORDER BY id DESC");
  std::vector<Restoration> out;
  while (statement.step())
    out.push_back({statement.column_text(0), statement.column_int64(1), statement.column_text(2),
                   seconds(statement.column_int64(3))});
  return out;
}

Standing ViolationLedger::standing(std::string_view offender) const {
  const UnixSeconds now = store_->clock.now();
  Standing standing;
  standing.offender = std::string(offender);
  // Quarantines up to the last restored violation were lifted by a decision.
  sqlite::Statement restored =
      store_->db.prepare("SELECT MAX(violation) FROM restorations WHERE offender = ?1");
  restored.bind_text(1, offender);
  const std::int64_t lifted_through = restored.step() ? restored.column_int64(0) : 0;
  for (const Violation& v : store_->select("offender = ?1", offender, 0)) {
    ++standing.total;
    if (standing.total == 1) standing.last = v.at;  // newest first
    if (v.at <= now && now - v.at < kEscalationWindow) ++standing.in_window;
    if (v.step == EscalationStep::telemetry_blocked && v.at <= now && now < v.at + kTelemetryBlock)
      standing.blocked_until =
          std::max(standing.blocked_until.value_or(v.at), v.at + kTelemetryBlock);
    // Quarantine lasts until a decision restores the offender (restore()).
    if (v.step >= EscalationStep::quarantined && v.id > lifted_through && !standing.quarantined_by)
      standing.quarantined_by = v.id;  // newest first: the one holding it now
    standing.quarantined = standing.quarantined_by.has_value();
    if (v.step == EscalationStep::legal_escalation) standing.flagged = true;
  }
  return standing;
}

std::vector<Standing> ViolationLedger::standings() const {
  std::vector<std::string> offenders;
  sqlite::Statement statement =
      store_->db.prepare("SELECT offender FROM violations GROUP BY offender ORDER BY MAX(id) DESC");
  while (statement.step()) offenders.push_back(statement.column_text(0));
  std::vector<Standing> out;
  for (const std::string& offender : offenders) out.push_back(standing(offender));
  return out;
}

}  // namespace westworld::charter

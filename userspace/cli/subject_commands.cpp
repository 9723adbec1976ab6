// wwctl subject export|erase: a data subject's rights over what this node holds about them.
// `export` prints everything that names the subject as JSON: the audit entries whose personal
// fields are theirs (revealed), the charter violations with them as offender, and their quest
// rewards (the quest ledger's accounts are node ids). `erase`
// crypto-shreds them in the audit log (their key destroyed, their sealed values deleted, the
// journal folded so no byte is left in the files), audits the erasure without naming them,
// and shows that the log still verifies.
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "westworld/audit/audit_log.h"
#include "westworld/audit/signed_note.h"
#include "westworld/charter/violation_ledger.h"
#include "westworld/common/clock.h"
#include "westworld/quests/ledger.h"

namespace westworld::cli {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

struct SubjectOptions {
  std::string id;
  std::string log_path;  // default DATA_DIR/audit.db
  std::string key_path;  // default DATA_DIR/audit.key
};

fs::path or_default(const std::string& path, const CommonOptions& common, const char* file) {
  return path.empty() ? fs::path(common.data_dir) / file : fs::path(path);
}

json audit_entries(const audit::AuditLog& log, const std::string& id) {
  json out = json::array();
  for (const std::uint64_t index : log.entries_naming(id)) {
    const audit::StoredEntry e = log.entry(index);
    out.push_back({{"index", index}, {"record", audit::reveal(e.leaf, e.personal)}});
  }
  return out;
}

json violations(const fs::path& ledger_path, const std::string& id) {
  json out = json::array();
  if (!fs::exists(ledger_path)) return out;
  const charter::ViolationLedger ledger =
      charter::ViolationLedger::open(ledger_path, common::system_clock());
  for (const charter::Violation& v : ledger.violations())
    if (v.report.offender == id)
      out.push_back({{"id", v.id},
                     {"at_unix_s", v.at.time_since_epoch().count()},
                     {"violation_type", to_string(v.report.type)},
                     {"detail", v.report.detail},
                     {"severity", policy::to_string(v.report.severity)},
                     {"step", to_string(v.step)}});
  return out;
}

// The quest ledger's rows for a member (its account is its node id): rewards, badges, roles
// and the balance derived from them.
json quest_records(const fs::path& ledger_path, const std::string& id) {
  json out = {{"rewards", json::array()}, {"awards", json::array()}, {"balance", 0}};
  if (!fs::exists(ledger_path)) return out;
  quests::Ledger ledger(ledger_path, false, common::system_clock());
  for (const quests::HistoryItem& h : ledger.history(id))
    out["rewards"].push_back({{"transaction", h.transaction},
                              {"quest", h.quest},
                              {"step", h.step},
                              {"period", h.period},
                              {"granted_at_unix_s", h.granted_at.time_since_epoch().count()},
                              {"points", h.points}});
  for (const quests::Award& a : ledger.awards(id))
    out["awards"].push_back({{"kind", a.kind}, {"name", a.name}, {"quest", a.quest}});
  out["balance"] = ledger.balance(id);
  return out;
}

int run_export(const SubjectOptions& o, const CommonOptions& common) {
  const fs::path log_path = or_default(o.log_path, common, "audit.db");
  json document = {{"subject", o.id}, {"node_data_dir", common.data_dir}};
  document["audit_log"] = log_path.string();
  document["audit_entries"] = fs::exists(log_path)
                                  ? audit_entries(audit::AuditLog::open_existing(log_path), o.id)
                                  : json::array();
  document["charter_violations"] = violations(fs::path(common.data_dir) / "charter.db", o.id);
  document["quests"] = quest_records(fs::path(common.data_dir) / "quests.db", o.id);
  std::cout << document.dump(2) << '\n';
  return EXIT_SUCCESS;
}

int run_erase(const SubjectOptions& o, const CommonOptions& common) {
  const fs::path log_path = or_default(o.log_path, common, "audit.db");
  if (!fs::exists(log_path)) throw std::runtime_error(log_path.string() + ": no audit log here");
  audit::AuditLog log = audit::AuditLog::open(
      log_path, audit::read_signer_file(or_default(o.key_path, common, "audit.key")));
  const std::vector<std::uint64_t> erased = log.erase_subject(o.id);
  json entries = json::array();
  for (const std::uint64_t index : erased) entries.push_back(std::to_string(index));
  // The erasure is audited by what it touched, never by whom it was about.
  const std::uint64_t record = log.append({"subject_erase", {{"erased_entries", entries}}});
  const audit::LogVerification check = log.verify();
  std::cout << "erased the subject from " << erased.size() << " audit entr"
            << (erased.size() == 1 ? "y" : "ies")
            << ": their key is destroyed and their values deleted, journal folded\n"
            << "audit entry " << record << " records the erasure\n"
            << "the log " << (check.ok ? "verifies" : "DOES NOT VERIFY: " + check.reason) << " ("
            << check.size << " entries)\n";
  return check.ok ? EXIT_SUCCESS : EXIT_FAILURE;
}

}  // namespace

void register_subject_commands(CLI::App& app, const CommonOptions& common, int& exit_code) {
  CLI::App* subject = app.add_subcommand(
      "subject", "A data subject's rights: export what this node holds about them, or erase it");
  subject->require_subcommand(1);
  auto o = std::make_shared<SubjectOptions>();
  const auto add_common = [&](CLI::App* cmd) {
    cmd->add_option("ID", o->id, "The subject: the id a personal field holds")->required();
    cmd->add_option("--audit-log", o->log_path, "The audit log (default: DATA_DIR/audit.db)");
  };
  CLI::App* exporter = subject->add_subcommand(
      "export", "Print everything this node holds about the subject as JSON (immediate)");
  add_common(exporter);
  exporter->callback([o, &common, &exit_code] { exit_code = run_export(*o, common); });
  CLI::App* eraser = subject->add_subcommand(
      "erase",
      "Crypto-shred the subject in the audit log; complete when this returns, files included");
  add_common(eraser);
  eraser->add_option("--audit-key", o->key_path, "The log's key (default: DATA_DIR/audit.key)");
  eraser->callback([o, &common, &exit_code] { exit_code = run_erase(*o, common); });
}

}  // namespace westworld::cli

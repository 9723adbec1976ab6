// wwctl charter violations|report: what the charter's violation ledger holds, from the
// running agent. `violations` lists them; `report` says where each offender stands on the
// escalation ladder and which are flagged for legal escalation.
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <memory>

#include "agent_request.h"
#include "commands.h"

namespace westworld::cli {
namespace {

std::string when(int64_t unix_s) { return utc_time(static_cast<uint64_t>(unix_s) * 1'000'000'000); }

void print_violations(const control::CharterViolationsReply& reply) {
  if (reply.violations.empty()) {
    std::cout << "no charter violations recorded (" << reply.ledger << ")\n";
    return;
  }
  std::cout << std::left << std::setw(6) << "ID" << std::setw(22) << "WHEN" << std::setw(18)
            << "TYPE" << std::setw(10) << "SEVERITY" << std::setw(19) << "STEP"
            << "OFFENDER / DETAIL\n";
  for (const control::ViolationView& v : reply.violations)
    std::cout << std::setw(6) << v.id << std::setw(22) << when(v.at_unix_s) << std::setw(18)
              << v.violation_type << std::setw(10) << v.severity << std::setw(19) << v.step
              << v.offender << "  " << v.detail << '\n';
  std::cout << std::right;
}

// What happens to the offender now, and what its next violation would cost.
std::string standing(const control::OffenderView& o) {
  if (o.flagged) return "QUARANTINED, FLAGGED FOR LEGAL ESCALATION (a continuing pattern)";
  if (o.quarantined)
    return "QUARANTINED (held by violation " +
           (o.quarantined_by ? std::to_string(*o.quarantined_by) : std::string("?")) +
           ") until a decision restores it (wwctl gov propose --restore); next: legal escalation";
  if (o.blocked_until_unix_s != 0)
    return "TELEMETRY BLOCKED until " + when(o.blocked_until_unix_s) + "; next: quarantine";
  if (o.in_window == 0) return "clear (no violation in the last 30 days)";
  if (o.in_window == 1) return "warned; next within 30 days: telemetry blocked for 24 h";
  return "block served; next within 30 days: quarantine";
}

void print_report(const control::CharterViolationsReply& reply) {
  std::cout << "charter report\n"
            << "  telemetry gate:   " << reply.gate << '\n'
            << "  violation ledger: " << reply.ledger << '\n'
            << "  escalation: 1st warning, 2nd within 30 days telemetry blocked 24 h, 3rd "
               "quarantine, then flagged for legal escalation\n\n";
  if (reply.offenders.empty()) {
    std::cout << "no offenders: every exporter and process kept the charter\n";
    return;
  }
  size_t flagged = 0;
  for (const control::OffenderView& o : reply.offenders) {
    flagged += o.flagged ? 1 : 0;
    std::cout << o.offender << "\n  " << standing(o) << "\n  " << o.in_window
              << " violation(s) in the last 30 days, " << o.total << " in all; last "
              << when(o.last_unix_s) << '\n';
    for (const control::ViolationView& v : reply.violations)
      if (v.offender == o.offender)
        std::cout << "    #" << v.id << "  " << when(v.at_unix_s) << "  " << v.violation_type
                  << " '" << v.detail << "' (" << v.severity << ") -> " << v.step << '\n';
  }
  std::cout << '\n'
            << reply.offenders.size() << " offender(s), " << flagged
            << " flagged for legal escalation\n";
}

int run(const CommonOptions& common, uint32_t limit, bool as_json, bool report) {
  auto reply = ask_agent(common, control::CharterViolationsRequest{limit},
                         "the ledger is DATA_DIR/charter.db");
  if (!reply) return EXIT_FAILURE;
  if (as_json)
    std::cout << control::to_json_text(*reply) << '\n';
  else if (report)
    print_report(*reply);
  else
    print_violations(*reply);
  return EXIT_SUCCESS;
}

// Lifts a quarantine on a passed charter_restore proposal; the agent verifies it.
int run_restore(const CommonOptions& common, const control::CharterRestoreRequest& request) {
  auto reply = ask_agent(common, request, "it verifies the decision through the mesh");
  if (!reply) return EXIT_FAILURE;
  std::cout << reply->offender << " restored: the quarantine of violation " << reply->violation
            << " is lifted on proposal " << reply->decision.substr(0, 16) << " (yes:";
  for (const std::string& voter : reply->voters) std::cout << ' ' << voter;
  std::cout << ")" << (reply->released ? "; released from the guard's quarantine" : "");
  if (reply->audit_index) std::cout << "\n  audit log entry " << *reply->audit_index;
  std::cout << '\n';
  return EXIT_SUCCESS;
}

}  // namespace

void register_charter_commands(CLI::App& app, const CommonOptions& common, int& exit_code) {
  CLI::App* charter = app.add_subcommand(
      "charter",
      "The Anti-Delos charter: telemetry violations, where offenders stand, emergency overrides");
  charter->require_subcommand(1);
  for (const bool report : {false, true}) {
    auto as_json = std::make_shared<bool>(false);
    auto limit = std::make_shared<uint32_t>(report ? 0 : 100);
    CLI::App* cmd = charter->add_subcommand(
        report ? "report" : "violations",
        report ? "Each offender's standing on the escalation ladder, legal escalation flags"
               : "The violations recorded, newest first");
    cmd->add_flag("--json", *as_json, "Machine-readable output");
    cmd->add_option("--limit", *limit, "Show at most this many violations (0: all)")
        ->capture_default_str();
    cmd->callback([=, &common, &exit_code] { exit_code = run(common, *limit, *as_json, report); });
  }
  register_override_commands(*charter, common, exit_code);

  auto restore = std::make_shared<control::CharterRestoreRequest>();
  CLI::App* cmd = charter->add_subcommand(
      "restore",
      "Lift an offender's charter quarantine on a passed charter_restore proposal (wwctl gov "
      "propose --restore OFFENDER --on NODE --violation N)");
  cmd->add_option("OFFENDER", restore->offender, "As `charter violations` names it")->required();
  cmd->add_option("--decision", restore->decision, "The passed proposal's id")->required();
  cmd->callback([restore, &common, &exit_code] { exit_code = run_restore(common, *restore); });
}

}  // namespace westworld::cli

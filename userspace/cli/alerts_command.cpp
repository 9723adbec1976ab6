// wwctl alerts: the agent's recent alerts (which detector, statistic, value,
// threshold, window, response) and what it did about them.
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <memory>

#include "agent_request.h"
#include "commands.h"

namespace westworld::cli {
namespace {

void print_human(const control::AlertsReply& reply) {
  if (reply.frozen)
    std::cout << "POLICY CHANGES ARE FROZEN (" << reply.freeze_reason
              << "); `wwctl unfreeze` lifts it\n\n";
  std::cout << reply.alerts_total << " alert(s) since the agent started";
  if (reply.alerts.size() < reply.alerts_total) std::cout << "; the last " << reply.alerts.size();
  std::cout << '\n';
  for (const control::AlertView& a : reply.alerts) {
    std::cout << "  #" << a.id << "  " << utc_time(a.unix_ns) << "  " << std::left << std::setw(14)
              << a.detector << std::setw(20) << a.subject << std::right << a.statistic << " "
              << a.value << " crossed " << a.threshold << " over " << a.windows << " x "
              << a.window_ms << " ms\n"
              << "       " << a.detail << "\n"
              << "       response: " << a.response
              << (a.contained ? " (contained: its quarantine took effect)" : "") << '\n';
  }
  if (reply.responses.empty()) return;
  std::cout << "\nresponses:\n";
  for (const control::ResponseView& r : reply.responses) {
    std::cout << "  " << utc_time(r.unix_ns) << "  " << std::left << std::setw(11) << r.action
              << std::setw(20) << r.subject << std::right << r.reason << '\n';
  }
}

int run_alerts(const CommonOptions& common, bool as_json, uint32_t limit) {
  auto reply = ask_agent(common, control::AlertsRequest{limit},
                         "alerts live in its memory; the log has them too");
  if (!reply) return EXIT_FAILURE;
  if (as_json)
    std::cout << control::to_json_text(*reply) << '\n';
  else
    print_human(*reply);
  return EXIT_SUCCESS;
}

}  // namespace

void register_alerts_command(CLI::App& app, const CommonOptions& common, int& exit_code) {
  auto as_json = std::make_shared<bool>(false);
  auto limit = std::make_shared<uint32_t>(50);
  CLI::App* cmd = app.add_subcommand(
      "alerts",
      "Recent detector alerts (detector, statistic, value, threshold, window) and the "
      "responses they caused");
  cmd->add_flag("--json", *as_json, "Machine-readable output");
  cmd->add_option("--limit", *limit, "Show at most this many")->capture_default_str();
  cmd->callback([=, &common, &exit_code] { exit_code = run_alerts(common, *as_json, *limit); });
}

}  // namespace westworld::cli

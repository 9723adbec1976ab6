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

using nlohmann::json;

void print_human(const json& reply) {
  if (reply.value("frozen", false))
    std::cout << "POLICY CHANGES ARE FROZEN (" << reply.value("freeze_reason", "")
              << "); `wwctl unfreeze` lifts it\n\n";
  const json& alerts = reply["alerts"];
  std::cout << reply["alerts_total"] << " alert(s) since the agent started";
  if (alerts.size() < reply["alerts_total"].get<size_t>())
    std::cout << "; the last " << alerts.size();
  std::cout << '\n';
  for (const json& a : alerts) {
    std::cout << "  #" << a["id"] << "  " << utc_time(a["unix_ns"].get<uint64_t>()) << "  "
              << std::left << std::setw(14) << a["detector"].get<std::string>() << std::setw(20)
              << a["subject"].get<std::string>() << std::right << a["statistic"].get<std::string>()
              << " " << a["value"].get<double>() << " crossed " << a["threshold"].get<double>()
              << " over " << a["windows"] << " x " << a["window_ms"] << " ms\n"
              << "       " << a["detail"].get<std::string>() << "\n"
              << "       response: " << a["response"].get<std::string>() << '\n';
  }
  const json& responses = reply["responses"];
  if (responses.empty()) return;
  std::cout << "\nresponses:\n";
  for (const json& r : responses) {
    std::cout << "  " << utc_time(r["unix_ns"].get<uint64_t>()) << "  " << std::left
              << std::setw(11) << r["action"].get<std::string>() << std::setw(20)
              << r["subject"].get<std::string>() << std::right << r["reason"].get<std::string>()
              << '\n';
  }
}

int run_alerts(const CommonOptions& common, bool as_json, size_t limit) {
  auto reply = ask_agent(common, {{"cmd", "alerts"}, {"limit", limit}},
                         "alerts live in its memory; the log has them too");
  if (!reply) return EXIT_FAILURE;
  reply->erase("ok");
  if (as_json)
    std::cout << reply->dump(2) << '\n';
  else
    print_human(*reply);
  return EXIT_SUCCESS;
}

}  // namespace

void register_alerts_command(CLI::App& app, const CommonOptions& common, int& exit_code) {
  auto as_json = std::make_shared<bool>(false);
  auto limit = std::make_shared<size_t>(50);
  CLI::App* cmd = app.add_subcommand(
      "alerts",
      "Recent detector alerts (detector, statistic, value, threshold, window) and the "
      "responses they caused");
  cmd->add_flag("--json", *as_json, "Machine-readable output");
  cmd->add_option("--limit", *limit, "Show at most this many")->capture_default_str();
  cmd->callback([=, &common, &exit_code] { exit_code = run_alerts(common, *as_json, *limit); });
}

}  // namespace westworld::cli

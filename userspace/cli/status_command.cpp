// wwctl status: from the agent when it runs, else straight from the pins.
#include <cstdlib>
#include <ctime>
#include <iomanip>
#include <iostream>
#include <memory>

#include "commands.h"
#include "westworld/control/client.h"
#include "westworld/control/policy_record.h"
#include "westworld/dataplane/guard_maps.h"
#include "westworld/dataplane/status.h"

namespace westworld::cli {
namespace {

using nlohmann::json;

std::string utc_time(uint64_t unix_ns) {
  std::time_t t = static_cast<std::time_t>(unix_ns / 1000000000ULL);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// xdp_attached is null when the interface is not in wwctl's network namespace.
const char* attachment_note(const json& attached) {
  if (attached.is_null()) return ", in another network namespace: use --netns to check it";
  return attached.get<bool>() ? "" : ", NOT ATTACHED";
}

void print_counters(const json& counters, const char* title) {
  std::cout << title << '\n';
  for (const auto& [dir, stats] : counters.items()) {
    for (const auto& [name, c] : stats.items()) {
      if (c["packets"].get<uint64_t>() == 0) continue;
      std::cout << "  " << std::left << std::setw(8) << dir << std::setw(16) << name << std::right
                << std::setw(14) << c["packets"].get<uint64_t>() << " pkts" << std::setw(16)
                << c["bytes"].get<uint64_t>() << " bytes\n";
    }
  }
}

void print_human(const json& s) {
  const json& agent = s.value("agent", json::object());
  if (agent.value("running", false))
    std::cout << "agent:      running, policy file " << agent.value("policy_path", "?") << '\n';
  else
    std::cout << "agent:      not running (read from the pins under " << s["pin_root"].get<std::string>()
              << "; the guard keeps enforcing)\n";

  const json& p = s["policy"];
  if (p.value("valid", false)) {
    std::cout << "policy:     generation " << p["generation"] << ", " << p["rules"]
              << " rules, default " << p["default"].get<std::string>() << ", digest "
              << p["digest"].get<std::string>().substr(0, 16) << ", applied "
              << utc_time(p["applied_at_unix_ns"].get<uint64_t>()) << '\n';
  } else {
    std::cout << "policy:     none applied (IP traffic is dropped until one is)\n";
  }
  std::cout << "programs:   xdp id " << s["programs"]["xdp_id"] << ", tc id " << s["programs"]["tc_id"]
            << '\n';
  std::cout << "interfaces:\n";
  for (const auto& i : s["interfaces"]) {
    std::cout << "  " << std::left << std::setw(16) << i["name"].get<std::string>() << " ifindex "
              << i["ifindex"] << ", xdp " << i["xdp_mode"].get<std::string>() << " (prog "
              << i["xdp_prog_id"] << attachment_note(i["xdp_attached"])
              << "), tc egress (prog " << i["tc_prog_id"] << ")\n";
  }
  print_counters(s["counters"], "traffic:");
  print_counters(s["drops"], "drops by reason:");
  std::cout << "rules:\n";
  for (const auto& r : s["rules"]) {
    std::cout << "  " << std::right << std::setw(4) << r["index"].get<uint32_t>() << "  " << std::left
              << std::setw(28) << r.value("name", "?") << std::setw(7) << r["action"].get<std::string>()
              << std::right << std::setw(14) << r["packets"].get<uint64_t>() << " pkts" << std::setw(16)
              << r["bytes"].get<uint64_t>() << " bytes\n";
  }
  const json& src = s["sources"];
  std::cout << "sources:    " << src["tracked"] << " tracked of " << src["max"] << ", " << src["created"]
            << " seen, " << src["evicted"] << " evicted\n";
  for (const auto& b : src["busiest"]) {
    std::cout << "  " << std::left << std::setw(40) << b["source"].get<std::string>() << std::right
              << std::setw(12) << b["packets"].get<uint64_t>() << " pkts, dropped quota "
              << b["dropped_quota"] << ", share " << b["dropped_share"] << '\n';
  }
}

int run_status(const CommonOptions& common, bool as_json) {
  json status;
  if (auto reply = control::call_agent(common.control_path, {{"cmd", "status"}})) {
    status = std::move(*reply);
    status.erase("ok");
  } else {
    auto guard = dataplane::Guard::adopt(common.pin_root);
    auto record = control::load_policy_record(common.state_dir);
    status = dataplane::read_status(guard, record ? &*record : nullptr);
    status["agent"] = {{"running", false}};
  }
  if (as_json)
    std::cout << status.dump(2) << '\n';
  else
    print_human(status);
  return EXIT_SUCCESS;
}

}  // namespace

void register_status_command(CLI::App& app, const CommonOptions& common, int& exit_code) {
  auto as_json = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand(
      "status", "Interfaces, XDP mode, program ids, policy digest and generation, counters");
  cmd->add_flag("--json", *as_json, "Machine-readable output");
  cmd->callback([as_json, &common, &exit_code] { exit_code = run_status(common, *as_json); });
}

}  // namespace westworld::cli

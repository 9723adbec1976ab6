// wwctl status: from the agent when it runs, else straight from the pins.
#include <cstdlib>
#include <ctime>
#include <iomanip>
#include <iostream>
#include <memory>

#include "agent_request.h"
#include "commands.h"
#include "westworld/control/policy_record.h"
#include "westworld/dataplane/guard_maps.h"
#include "westworld/dataplane/names.h"
#include "westworld/dataplane/status.h"

namespace westworld::cli {
namespace {

std::string attachment_note(const std::optional<bool>& attached) {
  if (!attached) return ", in another network namespace: use --netns to check it";
  return *attached ? "" : ", NOT ATTACHED";
}

void print_counters(const std::array<dataplane::DirectionCounters, WW_DIR_MAX>& counters,
                    bool drops, const char* title) {
  std::cout << title << '\n';
  for (uint32_t dir = 0; dir < WW_DIR_MAX; ++dir) {
    const size_t n = drops ? size_t{WW_DROP_MAX} : size_t{WW_STAT_MAX};
    for (uint32_t i = 0; i < n; ++i) {
      const dataplane::CounterSum& c = drops ? counters[dir].drops[i] : counters[dir].stats[i];
      if (c.packets == 0) continue;
      std::cout << "  " << std::left << std::setw(8) << dataplane::direction_name(dir)
                << std::setw(16)
                << (drops ? dataplane::drop_reason_name(i) : dataplane::stat_name(i)) << std::right
                << std::setw(14) << c.packets << " pkts" << std::setw(16) << c.bytes << " bytes\n";
    }
  }
}

void print_mesh(const control::MeshSummary& m) {
  std::cout << "mesh:       '" << m.mesh << "' as " << m.node_id << " via " << m.endpoints << '\n'
            << "            ";
  if (m.connected)
    std::cout << "connected";
  else
    std::cout << "DISCONNECTED since "
              << utc_time(static_cast<uint64_t>(m.disconnected_since) * 1'000'000'000ULL) << " ("
              << m.last_error << "); enforcing the last policy";
  std::cout << ", " << m.registered_routers << " routers registered (mass-change size "
            << m.mesh_size << "), " << m.bundles_applied << " bundles applied, " << m.refusals
            << " refused, " << m.outages << " outages\n";
  if (!m.last_refusal.empty()) std::cout << "            last refusal: " << m.last_refusal << '\n';
  if (m.insecure_open_mesh)
    std::cout << "            INSECURE OPEN MESH: applies whatever etcd holds, unverified\n";
}

void print_human(const control::StatusReply& status) {
  const dataplane::GuardStatus& s = status.guard;
  if (status.agent.running)
    std::cout << "agent:      running, policy file " << status.agent.policy_path << '\n';
  if (!status.agent.lifted_rules.empty()) {
    std::cout << "LIFTED:     by an emergency override (wwctl charter overrides):";
    for (const std::string& rule : status.agent.lifted_rules) std::cout << ' ' << rule;
    std::cout << '\n';
  } else
    std::cout << "agent:      not running (read from the pins under " << s.pin_root
              << "; the guard keeps enforcing)\n";

  const dataplane::PolicyStatus& p = s.policy;
  if (p.valid) {
    std::cout << "policy:     generation " << p.generation << ", " << p.rules << " rules, default "
              << p.default_action << ", digest " << p.digest.substr(0, 16) << ", applied "
              << utc_time(p.applied_at_unix_ns) << '\n';
  } else {
    std::cout << "policy:     none applied (IP traffic is dropped until one is)\n";
  }
  if (status.mesh) print_mesh(*status.mesh);
  std::cout << "programs:   xdp id " << s.xdp_prog_id << ", tc id " << s.tc_prog_id << '\n';
  std::cout << "interfaces:\n";
  for (const auto& i : s.interfaces) {
    std::cout << "  " << std::left << std::setw(16) << i.name << " ifindex " << i.ifindex
              << ", xdp " << i.xdp_mode << " (prog " << i.xdp_prog_id
              << attachment_note(i.xdp_attached) << "), tc egress (prog " << i.tc_prog_id << ")\n";
  }
  print_counters(s.counters.direction, false, "traffic:");
  print_counters(s.counters.direction, true, "drops by reason:");
  std::cout << "rules:\n";
  for (const auto& r : s.rules) {
    std::cout << "  " << std::right << std::setw(4) << r.index << "  " << std::left << std::setw(28)
              << r.name.value_or("?") << std::setw(7) << r.action << std::right << std::setw(14)
              << r.traffic.packets << " pkts" << std::setw(16) << r.traffic.bytes << " bytes\n";
  }
  const dataplane::SourcesStatus& src = s.sources;
  std::cout << "sources:    " << src.tracked << " tracked of " << src.max << ", " << src.created
            << " seen, " << src.evicted << " evicted\n";
  for (const auto& b : src.busiest) {
    std::cout << "  " << std::left << std::setw(40) << b.source << std::right << std::setw(12)
              << b.packets << " pkts, dropped quota " << b.dropped_quota << ", share "
              << b.dropped_share << '\n';
  }
}

int run_status(const CommonOptions& common, bool as_json) {
  control::StatusReply status;
  if (auto reply = agent_client(common).call(control::StatusRequest{})) {
    if (!reply->ok()) {
      print_agent_error(reply->error());
      return EXIT_FAILURE;
    }
    status = std::move(reply->value());
  } else {
    auto guard = dataplane::Guard::adopt(common.pin_root);
    auto record = control::load_policy_record(common.state_dir);
    status.guard =
        dataplane::read_guard_status(guard, record ? record->labels() : dataplane::PolicyLabels{});
  }
  if (as_json)
    std::cout << control::to_json_text(status) << '\n';
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

// wwctl quarantine add|del|list: hold a source by hand, release it, or see who
// is held. add goes through the agent, which refuses protected sources; del
// and list also work without an agent, straight on the pinned map.
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

#include "agent_request.h"
#include "commands.h"
#include "westworld/anomaly/source_key.h"
#include "westworld/common/clock.h"
#include "westworld/control/client.h"
#include "westworld/dataplane/guard_maps.h"
#include "westworld/dataplane/policy_writer.h"
#include "westworld/dataplane/quarantine_map.h"

namespace westworld::cli {
namespace {

struct AddOptions {
  std::string source;
  uint32_t ban_seconds = 0;  // 0: the policy's ban_s
  std::string action;        // empty: the policy's action
  uint64_t pps = 0;          // 0: the policy's pps
  uint64_t burst = 0;
};

void print_list(const std::vector<dataplane::QuarantineView>& list) {
  if (list.empty()) {
    std::cout << "no source is quarantined\n";
    return;
  }
  std::cout << std::left << std::setw(40) << "SOURCE" << std::setw(12) << "ACTION" << std::setw(13)
            << "ORIGIN" << std::right << std::setw(12) << "REMAINING" << std::setw(12) << "DROPPED"
            << '\n';
  for (const dataplane::QuarantineView& q : list) {
    std::string action = q.action;
    if (q.pps) action += " " + std::to_string(*q.pps);
    std::ostringstream remaining;
    if (q.enforced)
      remaining << static_cast<uint64_t>(q.remaining_s) << " s";
    else
      remaining << "lapsed";
    std::cout << std::left << std::setw(40) << q.source << std::setw(12) << action << std::setw(13)
              << q.origin << std::right << std::setw(12) << remaining.str() << std::setw(12)
              << q.dropped << '\n';
  }
}

int run_list(const CommonOptions& common, bool as_json) {
  std::vector<dataplane::QuarantineView> list;
  if (auto reply = agent_client(common).call(control::QuarantineListRequest{})) {
    if (!reply->ok()) {
      print_agent_error(reply->error());
      return EXIT_FAILURE;
    }
    list = std::move(reply->value().quarantines);
  } else {
    auto guard = dataplane::Guard::adopt(common.pin_root);
    list = dataplane::describe_quarantines(dataplane::read_quarantines(guard.maps()),
                                           common::system_clock().monotonic_ns());
  }
  if (as_json)
    std::cout << control::to_json_text(list) << '\n';
  else
    print_list(list);
  return EXIT_SUCCESS;
}

int run_add(const CommonOptions& common, const AddOptions& add) {
  control::QuarantineAddRequest request;
  request.source = add.source;
  if (add.ban_seconds) request.ban_s = add.ban_seconds;
  if (!add.action.empty()) request.action = add.action;
  if (add.pps) request.pps = add.pps;
  if (add.burst) request.burst = add.burst;
  auto reply = ask_agent(common, request, "it checks that the source is not protected");
  if (!reply) return EXIT_FAILURE;
  std::cout << reply->result << '\n';
  return EXIT_SUCCESS;
}

// Without an agent the key is built from the running policy's identity prefixes.
int delete_directly(const CommonOptions& common, const std::string& source) {
  auto guard = dataplane::Guard::adopt(common.pin_root);
  const dataplane::ActivePolicy active = dataplane::read_active_policy(guard.maps());
  std::string why_not;
  auto key = anomaly::parse_source(source, active.valid ? active.config.ipv4_prefix : 32,
                                   active.valid ? active.config.ipv6_prefix : 64, why_not);
  if (!key) {
    std::cerr << "wwctl: error: bad source: " << why_not << '\n';
    return EXIT_FAILURE;
  }
  if (!dataplane::delete_quarantine(guard.maps(), *key)) {
    std::cerr << "wwctl: error: " << source << " is not quarantined\n";
    return EXIT_FAILURE;
  }
  std::cout << "released " << anomaly::format_source(*key) << " (no agent runs)\n";
  return EXIT_SUCCESS;
}

int run_del(const CommonOptions& common, const std::string& source) {
  auto reply = agent_client(common).call(control::QuarantineDelRequest{source});
  if (!reply) return delete_directly(common, source);
  if (!reply->ok()) {
    print_agent_error(reply->error());
    return EXIT_FAILURE;
  }
  std::cout << reply->value().result << '\n';
  return EXIT_SUCCESS;
}

}  // namespace

void register_quarantine_commands(CLI::App& app, const CommonOptions& common, int& exit_code) {
  CLI::App* group = app.add_subcommand(
      "quarantine", "Sources held in ww_quarantine: add one by hand, release one, list them");
  group->require_subcommand(1);

  auto add = std::make_shared<AddOptions>();
  CLI::App* add_cmd = group->add_subcommand(
      "add", "Quarantine a source (refused for the router's addresses and protected classes)");
  add_cmd->add_option("source", add->source, "Address (masked to the identity prefix)")->required();
  add_cmd->add_option("--ban", add->ban_seconds, "Seconds at least (default: the policy's ban_s)")
      ->check(CLI::PositiveNumber);
  add_cmd->add_option("--action", add->action, "drop, or limit to --pps")
      ->check(CLI::IsMember({"drop", "limit"}));
  add_cmd->add_option("--pps", add->pps, "Packets per second allowed under action limit")
      ->check(CLI::PositiveNumber);
  add_cmd->add_option("--burst", add->burst, "Burst allowed under action limit")
      ->check(CLI::PositiveNumber);
  add_cmd->callback([add, &common, &exit_code] { exit_code = run_add(common, *add); });

  auto source = std::make_shared<std::string>();
  CLI::App* del_cmd = group->add_subcommand("del", "Release a quarantined source now");
  del_cmd->add_option("source", *source, "Address")->required();
  del_cmd->callback([source, &common, &exit_code] { exit_code = run_del(common, *source); });

  auto as_json = std::make_shared<bool>(false);
  CLI::App* list_cmd = group->add_subcommand("list", "Quarantined sources");
  list_cmd->add_flag("--json", *as_json, "Machine-readable output");
  list_cmd->callback([as_json, &common, &exit_code] { exit_code = run_list(common, *as_json); });
}

}  // namespace westworld::cli

// wwctl detach: through the agent when it runs, else directly on the kernel.
#include <cstdlib>
#include <iostream>
#include <memory>

#include "agent_request.h"
#include "commands.h"
#include "westworld/dataplane/attach.h"
#include "westworld/dataplane/bpffs.h"
#include "westworld/dataplane/guard_maps.h"
#include "westworld/dataplane/status.h"

namespace westworld::cli {
namespace {

// Without an agent, ww_ifaces says where the guard was attached.
int detach_directly(const CommonOptions& common, const std::string& iface) {
  if (!dataplane::Guard::is_pinned(common.pin_root)) {
    std::cerr << "wwctl: nothing to detach: no guard is pinned under " << common.pin_root << '\n';
    return iface.empty() ? EXIT_SUCCESS : EXIT_FAILURE;
  }
  // Whatever map ABI the guard speaks: detaching is how a mismatch is resolved.
  auto guard = dataplane::Guard::adopt_to_remove(common.pin_root);
  const uint32_t only = iface.empty() ? 0 : dataplane::ifindex_of(iface);
  std::vector<std::pair<uint32_t, std::string>> targets;
  const std::vector<dataplane::InterfaceStatus> recorded = dataplane::read_interfaces(guard);
  for (const dataplane::InterfaceStatus& i : recorded) {
    if (only && i.ifindex != only) continue;
    // Refuse before touching anything: an ifindex from another namespace
    // names some other interface here (the attachment state is then unknown).
    if (!i.xdp_attached.has_value()) {
      std::cerr << "wwctl: error: the guard is attached to " << i.name << " (ifindex " << i.ifindex
                << ") in another network namespace; run wwctl with --netns NAME\n";
      return EXIT_FAILURE;
    }
    targets.emplace_back(i.ifindex, i.name);
  }
  for (const auto& [ifindex, name] : targets) {
    dataplane::detach(guard, ifindex);
    std::cout << "detached from " << name << '\n';
  }
  if (only == 0 || recorded.size() == 1) {
    dataplane::Guard::unpin(common.pin_root);
    std::cout << "removed the pins under " << common.pin_root << '\n';
  }
  return EXIT_SUCCESS;
}

int run_detach(const CommonOptions& common, const std::string& iface) {
  control::DetachRequest request;
  if (!iface.empty()) request.iface = iface;
  if (auto reply = agent_client(common).call(request)) {
    if (!reply->ok()) {
      print_agent_error(reply->error());
      return EXIT_FAILURE;
    }
    for (const auto& name : reply->value().detached) std::cout << "detached from " << name << '\n';
    if (reply->value().agent_stopping) std::cout << "removed the pins; the agent stops\n";
    return EXIT_SUCCESS;
  }
  return detach_directly(common, iface);
}

}  // namespace

void register_detach_command(CLI::App& app, const CommonOptions& common, int& exit_code) {
  auto iface = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "detach", "Remove the guard from one interface, or from all and remove its pins");
  cmd->add_option("--iface", *iface, "Only this interface");
  cmd->callback([iface, &common, &exit_code] { exit_code = run_detach(common, *iface); });
}

}  // namespace westworld::cli

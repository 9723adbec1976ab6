#include "westworld/harness/network_lab.h"

#include <signal.h>

#include "westworld/harness/command.h"
#include "westworld/harness/netns.h"
#include "westworld/harness/pid_tag.h"
#include "westworld/harness/tool_paths.h"

namespace westworld::harness {
namespace {

constexpr const char* kNetnsDir = "/run/netns";

void ip(std::vector<std::string> args) {
  args.insert(args.begin(), system_tool("ip"));
  run_checked(args);
}

// Best effort: teardown must not throw.
void delete_namespace(const std::string& name) noexcept {
  try {
    for (const pid_t pid : processes_in(name)) {
      ::kill(pid, SIGKILL);
    }
    run_command({system_tool("ip"), "netns", "delete", name});
  } catch (...) {
  }
}

}  // namespace

NetworkLab::NetworkLab(std::string stem) : stem_(std::move(stem)) { remove_leftovers(stem_); }

NetworkLab::~NetworkLab() {
  for (auto it = namespaces_.rbegin(); it != namespaces_.rend(); ++it) {
    delete_namespace(*it);
  }
}

void NetworkLab::remove_leftovers(const std::string& stem) {
  for (const auto& path : leftovers(kNetnsDir, stem)) {
    delete_namespace(path.filename().string());
  }
}

std::string NetworkLab::add_namespace(const std::string& name) {
  const std::string full_name = pid_tagged(stem_) + "-" + name;
  ip({"netns", "add", full_name});
  namespaces_.push_back(full_name);
  ip({"-n", full_name, "link", "set", "lo", "up"});
  return full_name;
}

void NetworkLab::add_veth(const VethEnd& one, const VethEnd& other) {
  ip({"link", "add", one.iface, "netns", one.ns, "address", one.mac, "type", "veth", "peer", "name",
      other.iface, "netns", other.ns, "address", other.mac});
}

void NetworkLab::add_address(const std::string& ns, const std::string& iface,
                             const std::string& cidr) {
  std::vector<std::string> args = {"-n", ns, "addr", "add", cidr, "dev", iface};
  if (cidr.find(':') != std::string::npos) {
    args.push_back("nodad");
  }
  ip(args);
}

void NetworkLab::set_up(const std::string& ns, const std::string& iface) {
  ip({"-n", ns, "link", "set", iface, "up"});
}

void NetworkLab::add_neighbour(const std::string& ns, const std::string& iface,
                               const std::string& address, const std::string& mac) {
  ip({"-n", ns, "neigh", "replace", address, "lladdr", mac, "dev", iface, "nud", "permanent"});
}

}  // namespace westworld::harness

#include "topology.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <regex>
#include <stdexcept>

#include "paths.h"
#include "process.h"

namespace westworld::integration {
namespace {

constexpr const char* kNetnsDir = "/run/netns";

void ip(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {system_tool("ip")};
  argv.insert(argv.end(), args.begin(), args.end());
  const CommandResult result = run_command(argv);
  if (!result.ok()) {
    throw std::runtime_error("topology setup failed: " + result.describe());
  }
}

void delete_namespace(const std::string& name) noexcept {
  try {
    run_command({system_tool("ip"), "netns", "delete", name});
  } catch (...) {
    // Best effort: teardown must not throw.
  }
}

bool process_exists(pid_t pid) { return ::kill(pid, 0) == 0 || errno != ESRCH; }

}  // namespace

std::string Topology::name_prefix() { return "wwi" + std::to_string(getpid()) + "-"; }

void Topology::remove_stale_namespaces() {
  static const std::regex ours(R"(wwi(\d+)-.*)");
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(kNetnsDir, error)) {
    const std::string name = entry.path().filename().string();
    std::smatch match;
    if (!std::regex_match(name, match, ours)) {
      continue;
    }
    const pid_t owner = static_cast<pid_t>(std::stol(match[1].str()));
    if (owner == getpid() || !process_exists(owner)) {
      delete_namespace(name);
    }
  }
}

Topology::Topology(int source_count) {
  if (source_count < 1 || source_count > 9) {
    throw std::invalid_argument("Topology: 1 to 9 sources");
  }
  remove_stale_namespaces();
  const std::string prefix = name_prefix();
  router_ns_ = prefix + "r";
  for (int n = 1; n <= source_count; ++n) {
    const std::string net = std::to_string(n);
    links_.push_back({.number = n,
                      .source_ns = prefix + "s" + net,
                      .router_iface = "wwr" + net,
                      .source_iface = "eth0",
                      .router_ipv4 = "10.231." + net + ".1",
                      .source_ipv4 = "10.231." + net + ".2",
                      .router_ipv6 = "fd00:231:" + net + "::1",
                      .source_ipv6 = "fd00:231:" + net + "::2",
                      .ipv4_network = "10.231." + net + ".0/24",
                      .ipv6_network = "fd00:231:" + net + "::/64"});
  }
  try {
    create();
  } catch (...) {
    destroy();
    throw;
  }
}

Topology::~Topology() { destroy(); }

const VethLink& Topology::link(int number) const {
  if (number < 1 || number > static_cast<int>(links_.size())) {
    throw std::out_of_range("Topology: no link " + std::to_string(number));
  }
  return links_[number - 1];
}

void Topology::create() {
  auto add_namespace = [this](const std::string& name) {
    ip({"netns", "add", name});
    created_namespaces_.push_back(name);
    ip({"-n", name, "link", "set", "lo", "up"});
  };
  add_namespace(router_ns_);
  for (const VethLink& link : links_) {
    add_namespace(link.source_ns);
    const std::string mac_prefix = "02:31:00:0" + std::to_string(link.number) + ":00:";
    const std::string router_mac = mac_prefix + "01";
    const std::string source_mac = mac_prefix + "02";
    ip({"link", "add", link.router_iface, "netns", router_ns_, "address", router_mac, "type",
        "veth", "peer", "name", link.source_iface, "netns", link.source_ns, "address", source_mac});

    struct End {
      const std::string& ns;
      const std::string& iface;
      const std::string& ipv4;
      const std::string& ipv6;
      const std::string& peer_ipv4;
      const std::string& peer_ipv6;
      const std::string& peer_mac;
    };
    const End ends[] = {
        {router_ns_, link.router_iface, link.router_ipv4, link.router_ipv6, link.source_ipv4,
         link.source_ipv6, source_mac},
        {link.source_ns, link.source_iface, link.source_ipv4, link.source_ipv6, link.router_ipv4,
         link.router_ipv6, router_mac},
    };
    for (const End& end : ends) {
      ip({"-n", end.ns, "addr", "add", end.ipv4 + "/24", "dev", end.iface});
      ip({"-n", end.ns, "addr", "add", end.ipv6 + "/64", "dev", end.iface, "nodad"});
      ip({"-n", end.ns, "link", "set", end.iface, "up"});
      for (const std::string* peer : {&end.peer_ipv4, &end.peer_ipv6}) {
        ip({"-n", end.ns, "neigh", "replace", *peer, "lladdr", end.peer_mac, "dev", end.iface,
            "nud", "permanent"});
      }
    }
  }
}

void Topology::destroy() noexcept {
  // Deleting a namespace deletes its veth ends and with them any XDP or tc program attached.
  for (auto it = created_namespaces_.rbegin(); it != created_namespaces_.rend(); ++it) {
    delete_namespace(*it);
  }
  created_namespaces_.clear();
}

}  // namespace westworld::integration

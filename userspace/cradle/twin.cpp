#include "westworld/cradle/twin.h"

#include <signal.h>

#include <stdexcept>

#include "westworld/control/client.h"
#include "westworld/harness/command.h"
#include "westworld/harness/netns.h"
#include "westworld/harness/pid_tag.h"
#include "westworld/harness/polling.h"
#include "westworld/harness/text_file.h"

namespace westworld::cradle {
namespace {

namespace fs = std::filesystem;

constexpr const char* kBpffs = "/sys/fs/bpf";
constexpr const char* kNetnsDir = "/run/netns";
// cgroup v1's freezer (this machine's layout); v2's cgroup.freeze when it is absent.
constexpr const char* kFreezerV1 = "/sys/fs/cgroup/freezer";
constexpr const char* kCgroupV2 = "/sys/fs/cgroup/unified";

void ip(const std::string& ns, std::vector<std::string> args) {
  args.insert(args.begin(), {"ip", "-n", ns});
  harness::run_checked(args);
}

fs::path freezer_root() {
  if (fs::exists(kFreezerV1)) return kFreezerV1;
  if (fs::exists(fs::path(kCgroupV2) / "cgroup.procs")) return kCgroupV2;
  if (fs::exists("/sys/fs/cgroup/cgroup.controllers")) return "/sys/fs/cgroup";
  return {};
}

// The agent's last word: why it stopped (its log's last non-empty line).
std::string last_line(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  const size_t newline = text.rfind('\n');
  return newline == std::string::npos ? text : text.substr(newline + 1);
}

// Everything a twin of a dead process left under `directory`.
std::vector<fs::path> dead_entries(const fs::path& directory) {
  if (!fs::exists(directory)) return {};
  return harness::leftovers(directory, kTwinStem);
}

}  // namespace

Twin::Twin(const TwinPlan& plan, TwinOptions options) : plan_(plan), options_(std::move(options)) {
  try {
    build_network();
    // All agents load and attach at once: on two cores that is most of a twin's build time.
    for (size_t r = 0; r < routers_.size(); ++r) launch_agent(r);
    for (size_t r = 0; r < routers_.size(); ++r) await_agent(r);
  } catch (...) {
    tear_down();
    throw;
  }
}

Twin::~Twin() { tear_down(); }

std::string Twin::control_socket(size_t router) const {
  return (routers_.at(router).dir / "agent.sock").string();
}

std::vector<InterfaceRef> Twin::link_interfaces(const PlannedLink& link) const {
  return {{netns(link.a.router), plan_.interface(link.a).name},
          {netns(link.b.router), plan_.interface(link.b).name}};
}

void Twin::build_network() {
  lab_.emplace(kTwinStem);
  for (const PlannedRouter& planned : plan_.routers) {
    Router router;
    router.netns = lab_->add_namespace(planned.id);
    router.dir = options_.work_dir / planned.id;
    router.pin_root = std::string(kBpffs) + "/" + harness::pid_tagged(kTwinStem) + "-" + planned.id;
    fs::create_directories(router.dir);
    fs::permissions(router.dir, fs::perms::owner_all, fs::perm_options::replace);
    // A router forwards; strict reverse-path filtering would drop the spoofed flood before the
    // guard's verdict could be measured.
    harness::run_checked(harness::in_namespace(
        router.netns, {"sysctl", "-q", "-w", "net.ipv4.ip_forward=1",
                       "net.ipv4.conf.all.rp_filter=0", "net.ipv4.conf.default.rp_filter=0"}));
    lab_->add_address(router.netns, "lo", planned.node_address + "/32");
    for (const std::string& address : planned.attack_addresses)
      lab_->add_address(router.netns, "lo", address + "/32");
    routers_.push_back(std::move(router));
  }
  for (const PlannedLink& link : plan_.links) {
    const PlannedInterface& a = plan_.interface(link.a);
    const PlannedInterface& b = plan_.interface(link.b);
    lab_->add_veth({netns(link.a.router), a.name, a.mac}, {netns(link.b.router), b.name, b.mac});
    for (const LinkEnd& end : {link.a, link.b}) {
      const PlannedInterface& iface = plan_.interface(end);
      ip(netns(end.router), {"link", "set", "dev", iface.name, "mtu", std::to_string(iface.mtu)});
      lab_->add_address(netns(end.router), iface.name, iface.address);
      lab_->set_up(netns(end.router), iface.name);
    }
  }
  for (size_t r = 0; r < routers_.size(); ++r) route_router(r);
}

void Twin::route_router(size_t router) {
  const PlannedRouter& planned = plan_.routers[router];
  for (const PlannedInterface& iface : planned.interfaces)
    lab_->add_neighbour(netns(router), iface.name, iface.peer_address, iface.peer_mac);
  for (const PlannedRoute& route : planned.routes)
    ip(netns(router), {"route", "replace", route.destination, "via", route.via, "dev", route.dev});
}

void Twin::launch_agent(size_t r) {
  Router& router = routers_[r];
  if (router.argv.empty()) {
    router.argv = {options_.agent_binary.string(),
                   "--policy",
                   options_.policy.string(),
                   "--netns",
                   router.netns,
                   "--control",
                   control_socket(r),
                   "--state-dir",
                   (router.dir / "state").string(),
                   "--data-dir",
                   (router.dir / "data").string(),
                   "--pin-root",
                   router.pin_root,
                   "--metrics",
                   "off",
                   "--log-level",
                   "warn"};
    for (const PlannedInterface& iface : plan_.routers[r].interfaces)
      router.argv.insert(router.argv.end(), {"--iface", iface.name});
    if (plan_.routers[r].generic_xdp)
      router.argv.insert(router.argv.end(), {"--xdp-mode", "generic"});
  }
  const fs::path log = router.dir / "agent.log";
  router.agent.emplace(router.argv, harness::ChildIo{log, log, "/dev/null", true});
}

void Twin::await_agent(size_t r) {
  Router& router = routers_[r];
  const fs::path log = router.dir / "agent.log";
  const bool answered = harness::eventually(
      options_.agent_start_timeout, [&] { return !router.agent->running() || agent_answers(r); },
      std::chrono::milliseconds(50));
  if (!router.agent->running() || !answered)
    throw std::runtime_error("the agent of " + plan_.routers[r].id +
                             " did not come up: " + last_line(harness::read_text_file(log)));
}

bool Twin::agent_answers(size_t router) const {
  try {
    auto reply = control::Client(control_socket(router), std::chrono::seconds(2))
                     .call(control::PingRequest{});
    return reply && reply->ok();
  } catch (const std::exception&) {
    return false;
  }
}

pid_t Twin::agent_pid(size_t router) {
  auto& agent = routers_.at(router).agent;
  return agent && agent->running() ? agent->pid() : -1;
}

bool Twin::kill_and_restart_agent(size_t r) {
  Router& router = routers_.at(r);
  if (router.agent) router.agent->kill9();
  router.agent.reset();
  try {
    launch_agent(r);
    await_agent(r);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

void Twin::set_link_up(const PlannedLink& link, bool up) {
  cradle::set_link_up(link_interfaces(link), up);
  if (up) {
    route_router(link.a.router);
    route_router(link.b.router);
  }
}

void Twin::freeze_router(size_t r, bool frozen) {
  Router& router = routers_.at(r);
  if (router.freezer.empty()) {
    const fs::path root = freezer_root();
    if (root.empty()) throw std::runtime_error("this machine has no cgroup freezer");
    router.freezer = root / (harness::pid_tagged(kTwinStem) + "-" + plan_.routers[r].id);
    fs::create_directories(router.freezer);
  }
  const pid_t pid = agent_pid(r);
  if (pid > 0) harness::write_text_file(router.freezer / "cgroup.procs", std::to_string(pid));
  if (fs::exists(router.freezer / "freezer.state"))
    harness::write_text_file(router.freezer / "freezer.state", frozen ? "FROZEN" : "THAWED");
  else
    harness::write_text_file(router.freezer / "cgroup.freeze", frozen ? "1" : "0");
}

void Twin::stop_agents() noexcept {
  for (size_t r = 0; r < routers_.size(); ++r) {
    Router& router = routers_[r];
    try {
      if (!router.freezer.empty()) freeze_router(r, false);
    } catch (const std::exception&) {
    }
    // Detaching through the agent removes its programs and pins the way an operator would.
    try {
      if (router.agent && router.agent->running())
        control::Client(control_socket(r), std::chrono::seconds(5)).call(control::DetachRequest{});
    } catch (const std::exception&) {
    }
    if (router.agent) router.agent->kill9();
    router.agent.reset();
  }
}

std::vector<std::string> Twin::tear_down() {
  if (torn_down_) return twin_leftovers();
  torn_down_ = true;
  stop_agents();
  lab_.reset();  // kills what is left in the namespaces by PID, then deletes them
  std::error_code ignored;
  for (Router& router : routers_) {
    fs::remove_all(router.pin_root, ignored);
    if (!router.freezer.empty()) fs::remove(router.freezer, ignored);
  }
  std::vector<std::string> left;
  for (const Router& router : routers_) {
    if (fs::exists(fs::path(kNetnsDir) / router.netns)) left.push_back("namespace " + router.netns);
    if (fs::exists(router.pin_root)) left.push_back("pins " + router.pin_root);
    if (!router.freezer.empty() && fs::exists(router.freezer))
      left.push_back("cgroup " + router.freezer.string());
  }
  return left;
}

std::vector<std::string> twin_leftovers() {
  std::vector<std::string> left;
  for (const fs::path& p : dead_entries(kNetnsDir))
    left.push_back("namespace " + p.filename().string());
  for (const fs::path& p : dead_entries(kBpffs)) left.push_back("pins " + p.string());
  const fs::path freezer = freezer_root();
  if (!freezer.empty())
    for (const fs::path& p : dead_entries(freezer)) left.push_back("cgroup " + p.string());
  return left;
}

std::vector<std::string> remove_twin_leftovers() {
  std::vector<std::string> removed = twin_leftovers();
  // Namespaces first (their processes killed by PID), then pins and cgroups.
  harness::NetworkLab::remove_leftovers(kTwinStem);
  std::error_code ignored;
  for (const fs::path& p : dead_entries(kBpffs)) fs::remove_all(p, ignored);
  const fs::path freezer = freezer_root();
  if (!freezer.empty())
    for (const fs::path& p : dead_entries(freezer)) fs::remove(p, ignored);
  harness::remove_leftovers(fs::temp_directory_path(), kTwinStem);
  return removed;
}

}  // namespace westworld::cradle

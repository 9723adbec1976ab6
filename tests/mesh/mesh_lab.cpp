#include "mesh_lab.h"

#include <stdexcept>

#include "built_binaries.h"
#include "udp_traffic.h"
#include "westworld/harness/command.h"
#include "westworld/harness/netns.h"
#include "westworld/harness/pid_tag.h"
#include "westworld/harness/text_file.h"
#include "westworld/harness/tool_paths.h"

namespace westworld::mesh_test {

namespace {

constexpr const char* kTag = "wwm";
constexpr const char* kBpffs = "/sys/fs/bpf";
constexpr const char* kCoreAddress = "10.250.0.1";

void ip(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {harness::system_tool("ip")};
  argv.insert(argv.end(), args.begin(), args.end());
  harness::run_checked(argv);
}

std::string ring_subnet(int link) { return "10.251." + std::to_string(link + 1) + "."; }

}  // namespace

MeshLab::MeshLab(MeshLabOptions options, const std::string& initial_policy)
    : options_(std::move(options)) {
  if (options_.routers < 2 || options_.routers > 20)
    throw std::invalid_argument("MeshLab: 2 to 20 routers");
  harness::remove_leftovers(kBpffs, kTag);
  harness::remove_leftovers(std::filesystem::temp_directory_path(), kTag);
  work_dir_ = harness::make_tagged_directory(kTag);
  try {
    build_network();
    harness::EtcdClusterOptions etcd = harness::EtcdClusterOptions::of(options_.etcd_members);
    etcd.netns = core_ns_;
    etcd.host = kCoreAddress;
    etcd_.emplace(etcd);
    const std::filesystem::path policy = write_file("initial.yaml", initial_policy);
    for (int i = 0; i < size(); ++i) {
      Router& r = routers_[i];
      const std::string node = node_id(i);
      r.sandbox.control_socket = (work_dir_ / (node + ".sock")).string();
      r.sandbox.state_dir = (work_dir_ / (node + "-state")).string();
      r.sandbox.pin_root = std::string(kBpffs) + "/" + harness::pid_tagged(kTag) + "-" + node;
      r.log = work_dir_ / (node + ".log");
      std::vector<std::string> flags = {
          "--metrics",        "off", "--mesh",         endpoints(),
          "--mesh-lease-ttl", "3",   "--mesh-address", "10.250.0." + std::to_string(11 + i)};
      if (options_.router_flags) {
        const auto own = options_.router_flags(i);
        flags.insert(flags.end(), own.begin(), own.end());
      } else {
        flags.insert(flags.end(), {"--node-id", node});
      }
      flags.insert(flags.end(), options_.agent_flags.begin(), options_.agent_flags.end());
      r.argv = r.sandbox.agent_command(policy, {"east", "west"}, flags);
      start_agent(i);
    }
  } catch (...) {
    teardown();
    throw;
  }
}

MeshLab::~MeshLab() { teardown(); }

uint64_t MeshLab::delivered_to(int router, uint16_t port, uint32_t count) {
  const std::string dst = west_address(router);
  const std::string out = (work_dir_ / ("traffic-" + std::to_string(++traffic_runs_))).string();
  harness::TrafficReceiver receiver(router_ns(router), port, {out + ".recv", out + ".recv"});
  harness::send_udp(router_ns(west_neighbour(router)), {.dst = dst, .dport = port, .count = count},
                    {out + ".send", out + ".send"});
  // The sender is the neighbour's east end of the same link: ".1" where dst is ".2".
  std::string sender = dst;
  sender.back() = '1';
  return receiver.finish().from(sender);
}

mesh::MeshView MeshLab::view() const {
  harness::NetnsScope core(core_ns_);
  auto client = store();
  return mesh::read_mesh_view(*client, mesh::MeshKeys("default"),
                              std::chrono::duration_cast<std::chrono::seconds>(
                                  std::chrono::system_clock::now().time_since_epoch())
                                  .count());
}

void MeshLab::build_network() {
  core_ns_ = lab_.add_namespace("core");
  ip({"-n", core_ns_, "link", "add", "br0", "type", "bridge"});
  lab_.add_address(core_ns_, "br0", std::string(kCoreAddress) + "/24");
  lab_.set_up(core_ns_, "br0");
  routers_.resize(options_.routers);
  for (int i = 0; i < options_.routers; ++i) {
    const std::string ns = lab_.add_namespace(node_id(i));
    routers_[i].sandbox.netns = ns;
    const std::string core_end = "c" + std::to_string(i + 1);
    const std::string mac = "02:50:00:00:" + std::to_string(10 + i) + ":";
    lab_.add_veth({ns, "ctl", mac + "01"}, {core_ns_, core_end, mac + "02"});
    ip({"-n", core_ns_, "link", "set", core_end, "master", "br0"});
    lab_.set_up(core_ns_, core_end);
    lab_.add_address(ns, "ctl", "10.250.0." + std::to_string(11 + i) + "/24");
    lab_.set_up(ns, "ctl");
  }
  // The ring: router i's east end meets router i+1's west end on subnet 10.251.(i+1).0/24.
  for (int i = 0; i < options_.routers; ++i) {
    const int next = (i + 1) % options_.routers;
    const std::string subnet = ring_subnet(i);
    const std::string mac = "02:51:00:" + std::to_string(10 + i) + ":00:";
    const harness::VethEnd east{routers_[i].sandbox.netns, "east", mac + "01"};
    const harness::VethEnd west{routers_[next].sandbox.netns, "west", mac + "02"};
    lab_.add_veth(east, west);
    lab_.add_address(east.ns, "east", subnet + "1/24");
    lab_.add_address(west.ns, "west", subnet + "2/24");
    lab_.set_up(east.ns, "east");
    lab_.set_up(west.ns, "west");
    lab_.add_neighbour(east.ns, "east", subnet + "2", west.mac);
    lab_.add_neighbour(west.ns, "west", subnet + "1", east.mac);
  }
}

std::string MeshLab::west_address(int router) const {
  return ring_subnet(west_neighbour(router)) + "2";
}

std::unique_ptr<mesh::EtcdGateway> MeshLab::store() const {
  mesh::EtcdOptions options;
  options.endpoints = mesh::parse_endpoints(endpoints());
  options.timeout = std::chrono::seconds(2);
  return std::make_unique<mesh::EtcdGateway>(options);
}

void MeshLab::start_agent(int router) {
  Router& r = routers_.at(router);
  r.agent.reset();
  r.agent.emplace(r.sandbox.start_agent(r.argv, harness::ChildIo{r.log, r.log, "/dev/null", true},
                                        std::chrono::seconds(30)));
}

void MeshLab::kill_agent(int router) {
  Router& r = routers_.at(router);
  if (r.agent) r.agent->kill9();
}

bool MeshLab::agent_running(int router) {
  Router& r = routers_.at(router);
  return r.agent && r.agent->running();
}

harness::CommandResult MeshLab::wwctl(int router, const std::vector<std::string>& args) const {
  return harness::run_command(routers_.at(router).sandbox.wwctl_command(args),
                              std::chrono::seconds(60));
}

std::filesystem::path MeshLab::write_file(const std::string& name, const std::string& text) const {
  const std::filesystem::path path = work_dir_ / name;
  harness::write_text_file(path, text);
  return path;
}

std::string MeshLab::agent_logs() const {
  std::string all;
  for (const Router& r : routers_) {
    all += "--- " + r.log.string() + "\n";
    try {
      all += harness::read_text_file(r.log);
    } catch (const std::exception& e) {
      all += e.what();
    }
  }
  return all;
}

void MeshLab::teardown() noexcept {
  for (Router& r : routers_) {
    try {
      if (r.agent) r.agent->kill9();
      r.agent.reset();
      if (std::filesystem::exists(r.sandbox.pin_root))
        harness::run_command(r.sandbox.wwctl_command({"detach"}), std::chrono::seconds(30));
      std::error_code ignored;
      std::filesystem::remove_all(r.sandbox.pin_root, ignored);
    } catch (...) {
    }
  }
  etcd_.reset();  // members are killed by PID before their namespace goes
  std::error_code ignored;
  if (!work_dir_.empty()) std::filesystem::remove_all(work_dir_, ignored);
}

}  // namespace westworld::mesh_test

#include "guard_test.h"

#include <unistd.h>

#include <chrono>
#include <iostream>
#include <map>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "built_binaries.h"
#include "westworld/harness/pid_tag.h"
#include "westworld/harness/text_file.h"
#include "westworld/harness/tool_paths.h"

namespace westworld::integration {
namespace {

using namespace std::chrono_literals;
using harness::run_command;
using harness::system_tool;

constexpr const char* kBpffs = "/sys/fs/bpf";
// Work directories in /tmp and pin roots in bpffs: "ww-itest-<pid>[-...]".
constexpr const char* kTag = "ww-itest-";
constexpr auto kAgentStartTimeout = 60s;

const json& at_path(const json& status, const std::vector<std::string>& keys) {
  const json* node = &status;
  std::string where;
  for (const auto& key : keys) {
    where += "." + key;
    if (!node->is_object() || !node->contains(key)) {
      throw std::runtime_error("status has no " + where + ":\n" + status.dump(2));
    }
    node = &(*node)[key];
  }
  return *node;
}

}  // namespace

// --- fixture -------------------------------------------------------------------------------------

void GuardTest::SetUp() {
  if (geteuid() != 0) {
    GTEST_SKIP() << "the namespace integration tests need root (network namespaces, XDP, "
                    "bpffs); run them as root";
  }
  for (const std::string& binary :
       {harness::kAgentBinary, harness::kWwctlBinary, harness::kTrafficBinary}) {
    ASSERT_TRUE(std::filesystem::exists(binary)) << binary << " is not built";
  }
  // What test processes that died left behind (their namespaces, and with them the
  // attachments, go when the next Topology is created).
  harness::remove_leftovers(kBpffs, kTag);
  harness::remove_leftovers(std::filesystem::temp_directory_path(), kTag);

  work_dir_ = harness::make_tagged_directory(kTag);
  sandbox_.pin_root = std::string(kBpffs) + "/" + harness::pid_tagged(kTag);
  sandbox_.control_socket = (work_dir_ / "agent.sock").string();
  sandbox_.state_dir = (work_dir_ / "state").string();
  topology_.emplace(/*source_count=*/2);
  sandbox_.netns = topology_->router_ns();
}

void GuardTest::TearDown() {
  if (work_dir_.empty()) {
    return;  // skipped before anything was created
  }
  if (HasFailure()) {
    dump_logs_on_failure();
  }
  agent_.reset();  // SIGKILL: the guard stays pinned and attached ...
  remove_guard();  // ... until this removes it
  topology_.reset();
  std::error_code ignored;
  std::filesystem::remove_all(work_dir_, ignored);
}

void GuardTest::remove_guard() noexcept {
  try {
    if (pins_exist() && topology_) {
      wwctl({"detach"});
    }
  } catch (...) {
    // Best effort; the pins go below and the attachments with the namespaces.
  }
  std::error_code ignored;
  std::filesystem::remove_all(sandbox_.pin_root, ignored);
}

void GuardTest::dump_logs_on_failure() const {
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(work_dir_, error)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("agent-") && name.ends_with(".err")) {
      std::cerr << "--- " << entry.path().string() << " ---\n"
                << harness::read_text_file(entry.path()) << '\n';
    }
  }
}

harness::ChildIo GuardTest::output_files(const std::string& label) {
  const std::string stem = label + "-" + std::to_string(++next_output_);
  return {work_dir_ / (stem + ".out"), work_dir_ / (stem + ".err")};
}

std::filesystem::path GuardTest::write_policy(const std::string& file_name,
                                              const std::string& yaml) const {
  std::map<std::string, std::string> values = {{"DENIED_PORT", std::to_string(kDeniedPort)},
                                               {"ALLOWED_PORT", std::to_string(kAllowedPort)}};
  for (const VethLink& link : topology_->links()) {
    const std::string n = std::to_string(link.number);
    values["SRC" + n + "_IPV4"] = link.source_ipv4;
    values["SRC" + n + "_IPV6"] = link.source_ipv6;
    values["NET" + n + "_IPV4"] = link.ipv4_network;
    values["NET" + n + "_IPV6"] = link.ipv6_network;
  }
  static const std::regex placeholder(R"(\$\{(\w+)\})");
  std::string text;
  auto rest = yaml.cbegin();
  for (std::sregex_iterator it(yaml.cbegin(), yaml.cend(), placeholder), end; it != end; ++it) {
    const auto value = values.find((*it)[1].str());
    if (value == values.end()) {
      throw std::invalid_argument("write_policy: unknown placeholder " + it->str());
    }
    text.append(rest, (*it)[0].first).append(value->second);
    rest = (*it)[0].second;
  }
  text.append(rest, yaml.cend());

  const std::filesystem::path path = work_dir_ / file_name;
  harness::write_text_file(path, text);
  return path;
}

std::filesystem::path GuardTest::write_deny_port_policy(const std::string& rule) const {
  return write_policy("deny-port.yaml", harness::deny_port_policy({rule, {kDeniedPort}}));
}

// --- agent ---------------------------------------------------------------------------------------

std::vector<std::string> GuardTest::agent_command(const std::filesystem::path& policy,
                                                  const std::vector<std::string>& ifaces,
                                                  const std::string& xdp_mode,
                                                  const std::string& log_level) const {
  return sandbox_.agent_command(policy, ifaces, {"--xdp-mode", xdp_mode, "--log-level", log_level});
}

ChildProcess& GuardTest::start_agent(const std::filesystem::path& policy,
                                     const std::vector<std::string>& ifaces,
                                     const std::string& xdp_mode,
                                     const std::vector<std::string>& extra_flags) {
  agent_.reset();
  std::vector<std::string> argv = agent_command(policy, ifaces, xdp_mode);
  argv.insert(argv.end(), extra_flags.begin(), extra_flags.end());
  agent_.emplace(sandbox_.start_agent(argv, output_files("agent"), kAgentStartTimeout));
  return *agent_;
}

CommandResult GuardTest::run_agent(const std::filesystem::path& policy,
                                   const std::vector<std::string>& ifaces) const {
  return run_command(agent_command(policy, ifaces, "native", "info"), kAgentStartTimeout);
}

// --- wwctl ---------------------------------------------------------------------------------------

CommandResult GuardTest::wwctl(const std::vector<std::string>& args) const {
  return run_command(sandbox_.wwctl_command(args));
}

json GuardTest::status() const {
  const CommandResult result = wwctl({"status", "--json"});
  if (!result.ok()) {
    throw std::runtime_error("wwctl status failed: " + result.describe());
  }
  json parsed = json::parse(result.out, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_object()) {
    throw std::runtime_error("wwctl status printed no JSON object: " + result.describe());
  }
  return parsed;
}

// --- traffic -------------------------------------------------------------------------------------

TrafficReceiver GuardTest::receive(const std::string& ns, uint16_t port) {
  return TrafficReceiver(ns, port, output_files("recv-" + std::to_string(port)));
}

TrafficSender GuardTest::start_sending(const std::string& ns, const SendSpec& spec) {
  return TrafficSender(ns, spec, output_files("send-" + std::to_string(spec.dport)));
}

SendResult GuardTest::send(const std::string& ns, const SendSpec& spec) {
  return harness::send_udp(ns, spec, output_files("send-" + std::to_string(spec.dport)));
}

// --- kernel state --------------------------------------------------------------------------------

XdpLinkState GuardTest::xdp_on(const std::string& iface) const {
  const CommandResult shown =
      run_command({system_tool("ip"), "-n", router_ns(), "link", "show", "dev", iface});
  if (!shown.ok()) {
    throw std::runtime_error("ip link show failed: " + shown.describe());
  }
  XdpLinkState state;
  std::smatch match;
  if (std::regex_search(shown.out, match, std::regex(R"(mtu \d+ (xdp\w*) )"))) {
    state.mode_flag = match[1].str();
  }
  if (std::regex_search(shown.out, match, std::regex(R"(prog/xdp id (\d+))"))) {
    state.prog_id = static_cast<uint32_t>(std::stoul(match[1].str()));
  }
  return state;
}

bool GuardTest::our_tc_filter_on(const std::string& iface) const {
  const CommandResult shown =
      run_command({system_tool("tc"), "-n", router_ns(), "filter", "show", "dev", iface, "egress"});
  if (!shown.ok()) {
    throw std::runtime_error("tc filter show failed: " + shown.describe());
  }
  return shown.out.find("ww_guard_tc") != std::string::npos;
}

// --- status --------------------------------------------------------------------------------------

uint64_t rule_packets(const json& status, const std::string& rule) {
  for (const json& entry : at_path(status, {"rules"})) {
    if (entry.value("name", "") == rule) {
      return entry.at("packets").get<uint64_t>();
    }
  }
  throw std::runtime_error("status lists no rule " + rule + ":\n" + status.dump(2));
}

uint64_t drop_packets(const json& status, const std::string& direction, const std::string& reason) {
  return at_path(status, {"drops", direction, reason, "packets"}).get<uint64_t>();
}

uint64_t counter_packets(const json& status, const std::string& direction,
                         const std::string& stat) {
  return at_path(status, {"counters", direction, stat, "packets"}).get<uint64_t>();
}

std::optional<json> interface_status(const json& status, const std::string& iface) {
  for (const json& entry : at_path(status, {"interfaces"})) {
    if (entry.value("name", "") == iface) {
      return entry;
    }
  }
  return std::nullopt;
}

std::optional<json> source_status(const json& status, const std::string& address) {
  for (const json& entry : at_path(status, {"sources", "busiest"})) {
    if (entry.value("source", "") == address) {
      return entry;
    }
  }
  return std::nullopt;
}

std::vector<std::string> matching_lines(const std::string& text, const std::string& pattern) {
  const std::regex wanted(pattern);
  std::vector<std::string> lines;
  std::istringstream input(text);
  std::string line;
  while (std::getline(input, line)) {
    if (!line.empty() && std::regex_search(line, wanted)) {
      lines.push_back(line);
    }
  }
  return lines;
}

}  // namespace westworld::integration

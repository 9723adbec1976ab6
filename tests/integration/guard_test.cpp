#include "guard_test.h"

#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "paths.h"
#include "westworld/control/client.h"

namespace westworld::integration {
namespace {

using namespace std::chrono_literals;

constexpr const char* kBpffs = "/sys/fs/bpf";
constexpr const char* kPinRootPrefix = "ww-itest-";
constexpr auto kAgentStartTimeout = 60s;
constexpr auto kControlReplyTimeout = 5s;

// Whether an agent answers a ping on `socket_path`, through the typed client.
bool agent_answers(const std::string& socket_path) {
  try {
    auto reply = control::Client(socket_path, kControlReplyTimeout).call(control::PingRequest{});
    return reply && reply->ok();
  } catch (const control::ClientError&) {
    return false;
  }
}

bool process_exists(pid_t pid) { return ::kill(pid, 0) == 0 || errno != ESRCH; }

// Pin roots of test processes that no longer run (their namespaces, and with them the
// attachments, go when the next Topology is created).
void remove_stale_pin_roots() {
  static const std::regex ours(std::string(kPinRootPrefix) + R"((\d+))");
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(kBpffs, error)) {
    const std::string name = entry.path().filename().string();
    std::smatch match;
    if (std::regex_match(name, match, ours)) {
      const pid_t owner = static_cast<pid_t>(std::stol(match[1].str()));
      if (owner == getpid() || !process_exists(owner)) {
        std::filesystem::remove_all(entry.path(), error);
      }
    }
  }
}

// Work directories of test processes that no longer run.
void remove_stale_work_dirs() {
  static const std::regex ours(R"(ww-itest-(\d+)-\w+)");
  std::error_code error;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::filesystem::temp_directory_path(), error)) {
    const std::string name = entry.path().filename().string();
    std::smatch match;
    if (std::regex_match(name, match, ours) && entry.is_directory(error)) {
      const pid_t owner = static_cast<pid_t>(std::stol(match[1].str()));
      if (owner == getpid() || !process_exists(owner)) {
        std::filesystem::remove_all(entry.path(), error);
      }
    }
  }
}

std::filesystem::path make_work_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() /
                         ("ww-itest-" + std::to_string(getpid()) + "-XXXXXX"))
                            .string();
  if (mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("mkdtemp " + pattern + ": " + std::strerror(errno));
  }
  return pattern;
}

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
  for (const std::string& binary : {kAgentBinary, kWwctlBinary, kTrafficBinary}) {
    ASSERT_TRUE(std::filesystem::exists(binary)) << binary << " is not built";
  }
  remove_stale_pin_roots();
  remove_stale_work_dirs();

  work_dir_ = make_work_dir();
  pin_root_ = std::string(kBpffs) + "/" + kPinRootPrefix + std::to_string(getpid());
  control_socket_ = (work_dir_ / "agent.sock").string();
  state_dir_ = (work_dir_ / "state").string();
  topology_.emplace(/*source_count=*/2);
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
  std::filesystem::remove_all(pin_root_, ignored);
}

void GuardTest::dump_logs_on_failure() const {
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(work_dir_, error)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("agent-") && name.ends_with(".err")) {
      std::cerr << "--- " << entry.path().string() << " ---\n"
                << read_text_file(entry.path()) << '\n';
    }
  }
}

OutputFiles GuardTest::output_files(const std::string& label) {
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
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out.flush()) {
    throw std::runtime_error("cannot write " + path.string());
  }
  return path;
}

// --- agent ---------------------------------------------------------------------------------------

std::vector<std::string> GuardTest::agent_command(const std::filesystem::path& policy,
                                                  const std::vector<std::string>& ifaces,
                                                  const std::string& xdp_mode,
                                                  const std::string& log_level) const {
  std::vector<std::string> argv = {kAgentBinary};
  argv.insert(argv.end(), {"--policy", policy.string(), "--xdp-mode", xdp_mode});
  argv.insert(argv.end(), {"--netns", router_ns(), "--control", control_socket_});
  argv.insert(argv.end(), {"--state-dir", state_dir_, "--pin-root", pin_root_});
  argv.insert(argv.end(), {"--log-level", log_level});
  for (const auto& iface : ifaces) {
    argv.insert(argv.end(), {"--iface", iface});
  }
  return argv;
}

Process& GuardTest::start_agent(const std::filesystem::path& policy,
                                const std::vector<std::string>& ifaces,
                                const std::string& xdp_mode) {
  agent_.reset();
  const OutputFiles files = output_files("agent");
  agent_.emplace(agent_command(policy, ifaces, xdp_mode), files.out, files.err);
  const auto deadline = std::chrono::steady_clock::now() + kAgentStartTimeout;
  while (!agent_answers(control_socket_)) {
    if (!agent_->running()) {
      throw std::runtime_error("the agent exited during start-up: " + agent_->describe());
    }
    if (std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("the agent never answered on " + control_socket_ + ": " +
                               agent_->describe());
    }
    std::this_thread::sleep_for(50ms);
  }
  return *agent_;
}

CommandResult GuardTest::run_agent(const std::filesystem::path& policy,
                                   const std::vector<std::string>& ifaces) const {
  return run_command(agent_command(policy, ifaces, "native", "info"), kAgentStartTimeout);
}

// --- wwctl ---------------------------------------------------------------------------------------

CommandResult GuardTest::wwctl(const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {kWwctlBinary, "--netns", router_ns()};
  argv.insert(argv.end(), {"--control", control_socket_, "--state-dir", state_dir_});
  argv.insert(argv.end(), {"--pin-root", pin_root_});
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv);
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

Receiver GuardTest::receive(const std::string& ns, uint16_t port) {
  return Receiver(ns, port, output_files("recv-" + std::to_string(port)));
}

Sender GuardTest::start_sending(const std::string& ns, const SendSpec& spec) {
  return Sender(ns, spec, output_files("send-" + std::to_string(spec.dport)));
}

SendResult GuardTest::send(const std::string& ns, const SendSpec& spec) {
  return send_udp(ns, spec, output_files("send-" + std::to_string(spec.dport)));
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

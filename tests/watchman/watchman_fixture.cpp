#include "watchman_fixture.h"

#include <sys/vfs.h>
#include <unistd.h>

#include <set>
#include <sstream>

#include "westworld/dataplane/guard_maps.h"
#include "westworld/harness/pid_tag.h"
#include "westworld/harness/text_file.h"

namespace westworld::watchman_test {
namespace {

using namespace std::chrono_literals;

constexpr auto kAgentStartup = 30s;
constexpr long kBpffsMagic = 0xcafe4a11;
constexpr const char* kBpffs = "/sys/fs/bpf";
constexpr const char* kPinTag = "wwm";  // pin roots "wwm<pid>"; the namespaces are "wwm<pid>-*"

std::optional<std::string> missing_privilege() {
  if (geteuid() != 0) return "needs root (XDP, BPF maps, network namespaces)";
  struct statfs fs {};
  if (statfs(kBpffs, &fs) != 0 || fs.f_type != kBpffsMagic)
    return "needs bpffs mounted at /sys/fs/bpf";
  if (!harness::have_tool("ip")) return "needs iproute2 (`ip`)";
  return std::nullopt;
}

}  // namespace

void WatchmanTest::SetUp() {
  if (auto why = missing_privilege()) GTEST_SKIP() << "skipped: " << why->c_str();
  harness::remove_leftovers(kBpffs, kPinTag);
  // Work directories are kept after a failure, for its logs: they are not leftovers.
  work_dir_ = harness::make_tagged_directory("ww-watchman-");
  sandbox_.pin_root = std::string(kBpffs) + "/" + harness::pid_tagged(kPinTag);
  sandbox_.control_socket = (work_dir_ / "agent.sock").string();
  sandbox_.state_dir = (work_dir_ / "state").string();
  lab_.emplace(hosts());
  sandbox_.netns = lab_->router_ns();
}

void WatchmanTest::TearDown() {
  if (agent_ && HasFailure())
    std::fprintf(stderr, "--- agent log ---\n%s\n", agent_->stderr_text().c_str());
  agent_.reset();  // SIGKILL: the guard stays attached until the namespace goes
  lab_.reset();
  if (!sandbox_.pin_root.empty()) dataplane::Guard::unpin(sandbox_.pin_root);
  std::error_code ignored;
  if (!work_dir_.empty() && !HasFailure()) std::filesystem::remove_all(work_dir_, ignored);
}

std::filesystem::path WatchmanTest::write_policy(const std::string& name,
                                                 const std::string& yaml) const {
  const std::filesystem::path path = work_dir_ / name;
  harness::write_text_file(path, yaml);
  return path;
}

harness::ChildIo WatchmanTest::output(const std::string& label) {
  const std::string stem = std::to_string(++outputs_) + "-" + label;
  return {work_dir_ / (stem + ".out"), work_dir_ / (stem + ".err")};
}

ChildProcess& WatchmanTest::start_agent(const std::filesystem::path& policy,
                                        const std::vector<std::string>& extra_args) {
  agent_.reset();
  std::vector<std::string> args = {"--metrics", "127.0.0.1:" + std::to_string(kMetricsPort),
                                   "--xdp-mode", "native"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  const auto argv = sandbox_.agent_command(policy, {Lab::iface()}, args);
  agent_.emplace(sandbox_.start_agent(argv, output("agent"), kAgentStartup));
  return *agent_;
}

void WatchmanTest::kill_agent() {
  if (agent_) agent_->kill9();
}

CommandResult WatchmanTest::wwctl(const std::vector<std::string>& args) const {
  return run_command(sandbox_.wwctl_command(args));
}

json WatchmanTest::wwctl_json(const std::vector<std::string>& args) const {
  CommandResult result = wwctl(args);
  if (!result.ok()) throw std::runtime_error(result.describe());
  return json::parse(result.out);
}

bool WatchmanTest::wait_for_windows_with(const std::string& source, int windows,
                                         std::chrono::milliseconds timeout) {
  std::set<double> seen;  // the lengths of the windows in which `source` sent
  return eventually(timeout, [&] {
    const json top = wwctl_json({"top", "--once", "--json"});
    for (const json& s : top["sources"])
      if (s["source"] == source && s["pps"].get<double>() > 0)
        seen.insert(top["window_s"].get<double>());
    return static_cast<int>(seen.size()) >= windows;
  });
}

bool WatchmanTest::wait_for_next_window(std::chrono::milliseconds timeout) {
  const json first = wwctl_json({"top", "--once", "--json"})["window_s"];
  return eventually(timeout, [&] {
    return wwctl_json({"top", "--once", "--json"})["window_s"] != first;
  });
}

std::string WatchmanTest::metrics() const {
  return http_get(lab_->router_ns(), kMetricsPort, "/metrics");
}

std::optional<double> WatchmanTest::sample(const std::string& metrics, const std::string& series) {
  std::istringstream lines(metrics);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
  }
  return std::nullopt;
}

void Traffic::listen(uint16_t port) {
  receiver_.emplace(lab_.router_ns(), port, test_.output("recv"));
}

void Traffic::send(const std::string& source, uint16_t port, uint32_t count, uint32_t pps) {
  senders_.emplace_back(
      source,
      harness::TrafficSender(
          lab_.lan_ns(),
          {.dst = Lab::router_address(), .dport = port, .count = count, .pps = pps, .src = source},
          test_.output("send")));
}

std::map<std::string, uint64_t> Traffic::finish() {
  for (auto& [source, sender] : senders_) sent_[source] += sender.finish().sent;
  senders_.clear();
  std::map<std::string, uint64_t> received;
  if (!receiver_) return received;
  received = receiver_->finish().by_source;
  receiver_.reset();
  return received;
}

}  // namespace westworld::watchman_test

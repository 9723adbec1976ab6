#include "watchman_fixture.h"

#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <cstdio>
#include <sstream>
#include <thread>

#include "westworld/control/client.h"
#include "westworld/dataplane/guard_maps.h"

namespace westworld::watchman_test {
namespace {

using namespace std::chrono_literals;

constexpr auto kAgentStartup = 30s;
constexpr long kBpffsMagic = 0xcafe4a11;

// ww-traffic, wwctl and the agent, as built next to this test.
const std::string kAgent = WW_AGENT_BIN;
const std::string kWwctl = WW_WWCTL_BIN;
const std::string kTraffic = WW_TRAFFIC_BIN;

std::optional<std::string> missing_privilege() {
  if (geteuid() != 0) return "needs root (XDP, BPF maps, network namespaces)";
  struct statfs fs {};
  if (statfs("/sys/fs/bpf", &fs) != 0 || fs.f_type != kBpffsMagic)
    return "needs bpffs mounted at /sys/fs/bpf";
  if (tool("ip") == "ip") return "needs iproute2 (`ip`)";
  return std::nullopt;
}

std::string netns_inode(const std::string& path) {
  struct stat info {};
  return stat(path.c_str(), &info) == 0 ? std::to_string(info.st_ino) : "";
}

std::vector<std::string> in_ns(const std::string& ns, std::vector<std::string> command) {
  std::vector<std::string> argv = {tool("ip"), "netns", "exec", ns};
  argv.insert(argv.end(), command.begin(), command.end());
  return argv;
}

// ww-traffic prints one JSON object as its last line.
json last_json(const std::string& text) {
  std::istringstream lines(text);
  std::string line, last;
  while (std::getline(lines, line))
    if (!line.empty()) last = line;
  return json::parse(last, nullptr, false);
}

}  // namespace

void WatchmanTest::SetUp() {
  if (auto why = missing_privilege()) GTEST_SKIP() << "skipped: " << why->c_str();
  char pattern[] = "/tmp/ww-watchman-XXXXXX";
  ASSERT_NE(mkdtemp(pattern), nullptr);
  work_dir_ = pattern;
  pin_root_ = "/sys/fs/bpf/wwm" + std::to_string(getpid());
  lab_.emplace(hosts());
}

void WatchmanTest::TearDown() {
  if (agent_ && HasFailure())
    std::fprintf(stderr, "--- agent log ---\n%s\n", agent_->err().c_str());
  agent_.reset();  // SIGKILL: the guard stays attached until the namespace goes
  lab_.reset();
  if (!pin_root_.empty()) dataplane::Guard::unpin(pin_root_);
  std::error_code ignored;
  if (!work_dir_.empty() && !HasFailure()) std::filesystem::remove_all(work_dir_, ignored);
}

std::filesystem::path WatchmanTest::write_policy(const std::string& name,
                                                 const std::string& yaml) const {
  const std::filesystem::path path = work_dir_ / name;
  FILE* file = std::fopen(path.c_str(), "w");
  if (!file) throw std::runtime_error("cannot write " + path.string());
  std::fputs(yaml.c_str(), file);
  std::fclose(file);
  return path;
}

std::filesystem::path WatchmanTest::output(const std::string& label) {
  return work_dir_ / (std::to_string(++outputs_) + "-" + label);
}

Child& WatchmanTest::start_agent(const std::filesystem::path& policy) {
  agent_.reset();
  const std::filesystem::path log = output("agent");
  agent_ = std::make_unique<Child>(
      std::vector<std::string>{kAgent, "--policy", policy.string(), "--iface", Lab::iface(),
                               "--netns", lab_->router_ns(), "--pin-root", pin_root_, "--control",
                               (work_dir_ / "agent.sock").string(), "--state-dir",
                               (work_dir_ / "state").string(), "--metrics",
                               "127.0.0.1:" + std::to_string(kMetricsPort), "--xdp-mode", "native"},
      log.string() + ".out", log.string() + ".err");
  const bool up = eventually(kAgentStartup, [&] {
    if (!agent_->running()) return true;
    try {
      auto reply =
          control::Client((work_dir_ / "agent.sock").string()).call(control::PingRequest{});
      return reply && reply->ok();
    } catch (const std::exception&) {
      return false;
    }
  });
  if (!up || !agent_->running())
    throw std::runtime_error("the agent did not come up: " + agent_->describe());
  return *agent_;
}

void WatchmanTest::kill_agent() {
  if (agent_) agent_->kill9();
}

RunResult WatchmanTest::wwctl(const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {kWwctl,
                                   "--netns",
                                   lab_->router_ns(),
                                   "--control",
                                   (work_dir_ / "agent.sock").string(),
                                   "--state-dir",
                                   (work_dir_ / "state").string(),
                                   "--pin-root",
                                   pin_root_};
  argv.insert(argv.end(), args.begin(), args.end());
  return run(argv);
}

json WatchmanTest::wwctl_json(const std::vector<std::string>& args) const {
  RunResult result = wwctl(args);
  if (!result.ok()) throw std::runtime_error(result.describe());
  return json::parse(result.out);
}

bool WatchmanTest::eventually(std::chrono::milliseconds timeout,
                              const std::function<bool()>& condition) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(100ms);
  }
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
  port_ = port;
  receiver_ = std::make_unique<Child>(
      in_ns(lab_.router_ns(), {kTraffic, "recv", "--port", std::to_string(port), "--duration-ms",
                               "120000", "--quiet-ms", "1500"}),
      test_.output("recv.out"), test_.output("recv.err"));  // the numbers may come in any order
  // Ready once the process is in the router namespace with the port bound.
  const std::string wanted = netns_inode("/run/netns/" + lab_.router_ns());
  char hex_port[8];
  std::snprintf(hex_port, sizeof hex_port, ":%04X", port);
  const std::string proc = "/proc/" + std::to_string(receiver_->pid());
  const bool ready = WatchmanTest::eventually(10s, [&] {
    if (netns_inode(proc + "/ns/net") != wanted) return false;
    const std::string sockets = read_file(proc + "/net/udp6") + read_file(proc + "/net/udp");
    return sockets.find(hex_port) != std::string::npos;
  });
  if (!ready) throw std::runtime_error("receiver not ready: " + receiver_->describe());
}

void Traffic::send(const std::string& source, uint16_t port, uint32_t count, uint32_t pps) {
  senders_.emplace_back(
      source,
      std::make_unique<Child>(
          in_ns(lab_.lan_ns(), {kTraffic, "send", "--src", source, "--dst", Lab::router_address(),
                                "--dport", std::to_string(port), "--count", std::to_string(count),
                                "--pps", std::to_string(pps)}),
          test_.output("send.out"), test_.output("send.err")));
}

std::map<std::string, uint64_t> Traffic::finish() {
  for (auto& [source, sender] : senders_) {
    if (sender->wait(180s) != 0) throw std::runtime_error("sender failed: " + sender->describe());
    sent_[source] += last_json(sender->out()).value("sent", uint64_t{0});
  }
  senders_.clear();
  std::map<std::string, uint64_t> received;
  if (!receiver_) return received;
  // The end marker comes over loopback, never through the guard, so it always arrives.
  RunResult marker = run(in_ns(lab_.router_ns(), {kTraffic, "send", "--dst", "127.0.0.1", "--dport",
                                                  std::to_string(port_), "--count", "1"}));
  if (!marker.ok()) throw std::runtime_error(marker.describe());
  if (receiver_->wait(30s) != 0) throw std::runtime_error("receiver: " + receiver_->describe());
  const json report = last_json(receiver_->out());  // named: the loop reads into it
  for (const auto& [source, count] : report.at("by_source").items())
    if (source != "127.0.0.1") received[source] = count.get<uint64_t>();
  receiver_.reset();
  return received;
}

}  // namespace westworld::watchman_test

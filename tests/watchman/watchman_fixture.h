// The fixture of the watchman integration tests: a fresh Lab, a private work
// directory and bpffs pin root, the real agent (--netns, its own --pin-root,
// --control, --state-dir and --metrics) and wwctl against it. TearDown kills
// the agent and removes the pins and namespaces, whether the test passed or not.
// Without root (or bpffs, or `ip`) every test skips, saying why.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "agent_sandbox.h"
#include "http_in_netns.h"
#include "lab.h"
#include "udp_traffic.h"
#include "westworld/harness/child_process.h"
#include "westworld/harness/command.h"
#include "westworld/harness/polling.h"
#include "westworld/harness/tool_paths.h"

namespace westworld::watchman_test {

using harness::ChildProcess;
using harness::CommandResult;
using harness::eventually;
using harness::http_get;
using harness::run_command;
using harness::system_tool;
using nlohmann::json;

inline constexpr uint16_t kMetricsPort = 9477;  // the default; each test has its own namespace

class WatchmanTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

 public:
  // LAN hosts of the lab.
  int hosts() const { return 4; }

  const Lab& lab() const { return *lab_; }
  const std::filesystem::path& work_dir() const { return work_dir_; }
  std::filesystem::path write_policy(const std::string& name, const std::string& yaml) const;

  // Starts the agent and waits until it answers; throws if it exits or never answers.
  ChildProcess& start_agent(const std::filesystem::path& policy,
                            const std::vector<std::string>& extra_args = {});
  ChildProcess& agent() { return *agent_; }
  void kill_agent();

  CommandResult wwctl(const std::vector<std::string>& args) const;
  json wwctl_json(const std::vector<std::string>& args) const;  // throws unless it succeeds

  // The watchman's windows, as `wwctl top` shows the last one. A window is told from the one
  // before by its measured length (`window_s`, in nanosecond steps), so polling faster than
  // the windows pass counts each one once.
  // Waits until `source` has sent in `windows` windows (e.g. the warm-up a detector needs to
  // learn its baseline) or `timeout` passes; whether it did.
  bool wait_for_windows_with(const std::string& source, int windows,
                             std::chrono::milliseconds timeout);
  // Waits until a window ends after this call (so every counter is read at least once after
  // what happened before it) or `timeout` passes; whether one did.
  bool wait_for_next_window(std::chrono::milliseconds timeout);

  // The agent's metrics, and one sample value of them (nullopt when absent).
  std::string metrics() const;
  static std::optional<double> sample(const std::string& metrics, const std::string& series);

  // Files for a child's output.
  harness::ChildIo output(const std::string& label);

 private:
  std::optional<Lab> lab_;
  std::filesystem::path work_dir_;
  harness::AgentSandbox sandbox_;
  std::optional<ChildProcess> agent_;
  int outputs_ = 0;
};

// UDP from LAN host addresses to the router, through ww-traffic.
class Traffic {
 public:
  explicit Traffic(WatchmanTest& test, const Lab& lab) : test_(test), lab_(lab) {}

  // `ww-traffic recv` in the router namespace on `port`, counting datagrams by source.
  void listen(uint16_t port);
  // Sends `count` datagrams at `pps` from `source` (a LAN address) in the background.
  void send(const std::string& source, uint16_t port, uint32_t count, uint32_t pps);
  // Waits for every sender, ends the receiver and returns datagrams received per source.
  std::map<std::string, uint64_t> finish();
  // Datagrams each sender's kernel accepted (valid after finish()).
  const std::map<std::string, uint64_t>& sent() const { return sent_; }

 private:
  WatchmanTest& test_;
  const Lab& lab_;
  std::optional<harness::TrafficReceiver> receiver_;
  std::vector<std::pair<std::string, harness::TrafficSender>> senders_;
  std::map<std::string, uint64_t> sent_;
};

}  // namespace westworld::watchman_test

// The fixture of the namespace integration tests: a fresh Topology, a private work directory
// (policies, control socket, state directory, logs) and a private bpffs pin root per test,
// so a test never touches a developer's running agent. TearDown removes all of it, pins and
// namespaces included, whether the test passed or not.
//
// Helpers that cannot go on after a failure (a command that must succeed, a report that must
// parse) throw std::runtime_error; GoogleTest reports the exception as the test's failure.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "agent_sandbox.h"
#include "test_policies.h"
#include "topology.h"
#include "udp_traffic.h"
#include "westworld/harness/child_process.h"
#include "westworld/harness/command.h"

namespace westworld::integration {

using harness::ChildProcess;
using harness::CommandResult;
using harness::kKilledBySignal;
using harness::Received;
using harness::SendResult;
using harness::SendSpec;
using harness::TrafficReceiver;
using harness::TrafficSender;
using nlohmann::json;

// Ports the tests' policies deny or leave alone.
inline constexpr uint16_t kDeniedPort = 40001;
inline constexpr uint16_t kAllowedPort = 40002;

// What `ip link show` says about XDP on an interface.
struct XdpLinkState {
  std::string mode_flag;  // "xdp" (native), "xdpgeneric", "xdpoffload"; empty: none
  uint32_t prog_id = 0;   // 0: no program
};

class GuardTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  const Topology& topology() const { return *topology_; }
  const std::string& router_ns() const { return topology_->router_ns(); }
  const VethLink& link(int number) const { return topology_->link(number); }

  const std::filesystem::path& work_dir() const { return work_dir_; }
  const std::string& pin_root() const { return sandbox_.pin_root; }
  std::filesystem::path state_dir() const { return sandbox_.state_dir; }

  // Writes `yaml` to the work directory, with these placeholders filled in, and returns its
  // path: ${DENIED_PORT}, ${ALLOWED_PORT}, and per link N ${SRCN_IPV4}, ${SRCN_IPV6} (the
  // source's addresses), ${NETN_IPV4}, ${NETN_IPV6} (the link's prefixes). Throws on any other
  // placeholder.
  std::filesystem::path write_policy(const std::string& file_name, const std::string& yaml) const;
  // The shared policy that denies UDP to kDeniedPort on ingress, by a rule named
  // "deny-udp-port" (or `rule`).
  std::filesystem::path write_deny_port_policy(const std::string& rule = "deny-udp-port") const;

  // --- the agent -----------------------------------------------------------------------------

  // The agent's command line for this test's router namespace, socket, state and pins.
  std::vector<std::string> agent_command(const std::filesystem::path& policy,
                                         const std::vector<std::string>& ifaces,
                                         const std::string& xdp_mode = "native",
                                         const std::string& log_level = "debug") const;
  // Starts the agent (killing a previous one first) and waits until it answers on its control
  // socket. Throws if it exits or never answers.
  ChildProcess& start_agent(const std::filesystem::path& policy,
                            const std::vector<std::string>& ifaces,
                            const std::string& xdp_mode = "native",
                            const std::vector<std::string>& extra_flags = {});
  ChildProcess& agent() { return *agent_; }
  // Runs the agent to completion at the default log level, for start-up failures.
  CommandResult run_agent(const std::filesystem::path& policy,
                          const std::vector<std::string>& ifaces) const;

  // --- wwctl ---------------------------------------------------------------------------------

  // wwctl with this test's --netns, --control, --state-dir and --pin-root, then `args`.
  CommandResult wwctl(const std::vector<std::string>& args) const;
  // `wwctl status --json`, parsed. Throws unless it succeeds.
  json status() const;

  // --- traffic -------------------------------------------------------------------------------

  TrafficReceiver receive(const std::string& ns, uint16_t port);
  TrafficSender start_sending(const std::string& ns, const SendSpec& spec);
  SendResult send(const std::string& ns, const SendSpec& spec);

  // --- the kernel's view -----------------------------------------------------------------------

  XdpLinkState xdp_on(const std::string& iface) const;    // in the router namespace
  bool our_tc_filter_on(const std::string& iface) const;  // ww_guard_tc on egress
  bool pins_exist() const { return std::filesystem::exists(sandbox_.pin_root); }

 private:
  harness::ChildIo output_files(const std::string& label);
  void dump_logs_on_failure() const;
  void remove_guard() noexcept;

  std::filesystem::path work_dir_;
  harness::AgentSandbox sandbox_;
  std::optional<Topology> topology_;
  std::optional<ChildProcess> agent_;
  int next_output_ = 0;
};

// --- reading `wwctl status --json` ---------------------------------------------------------------

// The packet counter of the flow rule named `rule`; throws if status lists no such rule.
uint64_t rule_packets(const json& status, const std::string& rule);
// drops.<direction>.<reason>.packets
uint64_t drop_packets(const json& status, const std::string& direction, const std::string& reason);
// counters.<direction>.<stat>.packets
uint64_t counter_packets(const json& status, const std::string& direction, const std::string& stat);
// The interfaces[] entry named `iface`, or nullopt.
std::optional<json> interface_status(const json& status, const std::string& iface);
// The sources.busiest[] entry of `address`, or nullopt.
std::optional<json> source_status(const json& status, const std::string& address);

// Non-empty lines of `text` that match `pattern` (std::regex, searched).
std::vector<std::string> matching_lines(const std::string& text, const std::string& pattern);

}  // namespace westworld::integration

// The agent under test and wwctl pointed at it: one router namespace, and a private control
// socket, state directory and bpffs pin root, so a test never touches another test's agent or
// a developer's running one.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "westworld/harness/child_process.h"

namespace westworld::harness {

struct AgentSandbox {
  std::string netns;  // where the agent runs and wwctl looks
  std::string control_socket;
  std::string state_dir;
  std::string pin_root;

  // The built agent with --policy, --netns, --control, --state-dir, --pin-root, an --iface per
  // interface, then `options`.
  std::vector<std::string> agent_command(const std::filesystem::path& policy,
                                         const std::vector<std::string>& ifaces,
                                         const std::vector<std::string>& options) const;
  // The built wwctl with --netns, --control, --state-dir and --pin-root, then `args`.
  std::vector<std::string> wwctl_command(const std::vector<std::string>& args) const;

  // Whether an agent answers a ping on the control socket.
  bool agent_answers() const;
  // Starts `agent_argv` and waits until it answers; throws std::runtime_error, with its
  // stderr, if it exits first or does not answer within `timeout`.
  ChildProcess start_agent(const std::vector<std::string>& agent_argv, const ChildIo& io,
                           std::chrono::milliseconds timeout) const;
};

}  // namespace westworld::harness

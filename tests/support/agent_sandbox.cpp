#include "agent_sandbox.h"

#include <stdexcept>

#include "built_binaries.h"
#include "westworld/control/client.h"
#include "westworld/harness/polling.h"

namespace westworld::harness {

std::vector<std::string> AgentSandbox::agent_command(
    const std::filesystem::path& policy, const std::vector<std::string>& ifaces,
    const std::vector<std::string>& options) const {
  std::vector<std::string> argv = {kAgentBinary, "--policy", policy.string(), "--netns", netns};
  // The data directory (audit log and key) is the sandbox's state directory too: tests
  // never touch the host's /var/lib/westworld.
  argv.insert(argv.end(),
              {"--control", control_socket, "--state-dir", state_dir, "--data-dir", state_dir});
  argv.insert(argv.end(), {"--pin-root", pin_root});
  for (const auto& iface : ifaces) {
    argv.insert(argv.end(), {"--iface", iface});
  }
  argv.insert(argv.end(), options.begin(), options.end());
  return argv;
}

std::vector<std::string> AgentSandbox::wwctl_command(const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {kWwctlBinary, "--netns", netns, "--control", control_socket};
  argv.insert(argv.end(),
              {"--state-dir", state_dir, "--data-dir", state_dir, "--pin-root", pin_root});
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

// The one place the tests speak the control protocol directly.
bool AgentSandbox::agent_answers() const {
  try {
    const auto reply =
        control::Client(control_socket, std::chrono::seconds(5)).call(control::PingRequest{});
    return reply && reply->ok();
  } catch (const std::exception&) {
    return false;
  }
}

ChildProcess AgentSandbox::start_agent(const std::vector<std::string>& agent_argv,
                                       const ChildIo& io, std::chrono::milliseconds timeout) const {
  ChildProcess agent(agent_argv, io);
  const bool answered = eventually(
      timeout, [&] { return !agent.running() || agent_answers(); }, std::chrono::milliseconds(50));
  if (!agent.running()) {
    throw std::runtime_error("the agent exited during start-up: " + agent.describe());
  }
  if (!answered) {
    throw std::runtime_error("the agent never answered on " + control_socket + ": " +
                             agent.describe());
  }
  return agent;
}

}  // namespace westworld::harness

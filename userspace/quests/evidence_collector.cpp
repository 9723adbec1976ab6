#include "westworld/quests/evidence_collector.h"

#include <algorithm>
#include <chrono>
#include <optional>

namespace westworld::quests {
namespace {

bool guard_attached(const dataplane::GuardStatus& guard) {
  return std::any_of(guard.interfaces.begin(), guard.interfaces.end(),
                     [](const dataplane::InterfaceStatus& i) { return i.xdp_attached == true; });
}

// From `since_unix_ns` to `observed_at`; nothing when the start is unknown (0) or after the
// observation, which is a clock problem, not a negative duration.
std::optional<std::chrono::milliseconds> elapsed_since(uint64_t since_unix_ns,
                                                       common::UnixSeconds observed_at) {
  if (since_unix_ns == 0) return std::nullopt;
  const auto since =
      std::chrono::sys_time<std::chrono::nanoseconds>(std::chrono::nanoseconds(since_unix_ns));
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::sys_time<std::chrono::nanoseconds>(observed_at) - since);
  if (elapsed.count() < 0) return std::nullopt;
  return elapsed;
}

}  // namespace

Evidence evidence_from_status(const control::StatusReply& status, std::string node_id,
                              common::UnixSeconds observed_at) {
  Evidence evidence;
  evidence.node_id = std::move(node_id);
  evidence.observed_at = observed_at;

  const dataplane::GuardStatus& guard = status.guard;
  // Interfaces in another namespace are unknown (nullopt), not counted: unobserved is not up.
  evidence.links = static_cast<uint64_t>(
      std::count_if(guard.interfaces.begin(), guard.interfaces.end(),
                    [](const dataplane::InterfaceStatus& i) { return i.xdp_attached == true; }));

  const dataplane::PolicyStatus& policy = guard.policy;
  if (status.agent.running && policy.valid && guard_attached(guard))
    evidence.continuous_enforcement = elapsed_since(policy.applied_at_unix_ns, observed_at);
  if (status.agent.running)
    evidence.uptime = elapsed_since(status.agent.started_unix_ns, observed_at);

  // A disconnected router's count is from before the outage: it says nothing about now.
  if (status.mesh && status.mesh->connected && status.mesh->registered_routers > 0)
    evidence.peers = status.mesh->registered_routers - 1;  // the count includes this router
  return evidence;
}

control::StatusReply read_agent_status(const control::Client& client) {
  auto result = client.call(control::StatusRequest{});
  if (!result)
    throw EvidenceUnavailable("no agent listens on " + client.socket_path() +
                              "; quest evidence is read from the running agent");
  if (!result->ok())
    throw EvidenceUnavailable("the agent at " + client.socket_path() +
                              " refused the status request: " + result->error().message);
  return std::move(result->value());
}

}  // namespace westworld::quests

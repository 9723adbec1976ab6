// The agent: owns the guard (loaded or re-adopted from its pins), keeps it
// attached, applies policies atomically, and answers control requests.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "westworld/dataplane/attach.h"
#include "westworld/dataplane/guard_maps.h"
#include "westworld/policy/compiled_policy.h"

namespace westworld::agent {

struct AgentOptions {
  std::string policy_path;
  std::vector<std::string> ifaces;
  dataplane::XdpMode xdp_mode = dataplane::XdpMode::automatic;
  std::string control_path;
  std::string state_dir;
  std::string pin_root;
};

class Agent {
 public:
  // Validates the policy, loads or adopts the guard, applies, attaches.
  // Throws (with one clear message) on any failure before enforcement starts.
  explicit Agent(AgentOptions options);

  // Control-plane operations, each returning the JSON reply for wwctl.
  nlohmann::json apply(const std::string& yaml_text, const std::string& source);
  nlohmann::json reload();  // re-reads the policy file (SIGHUP)
  nlohmann::json status() const;
  nlohmann::json detach(const std::optional<std::string>& iface);

  const AgentOptions& options() const { return options_; }
  const dataplane::Guard& guard() const { return guard_; }
  bool has_attachments() const { return !attachments_.empty(); }

 private:
  // Applies the policy unless it already runs, then attaches every interface.
  void enforce(const policy::CompiledPolicy& compiled);

  AgentOptions options_;
  dataplane::Guard guard_;
  std::vector<dataplane::Attachment> attachments_;
  nlohmann::json record_;
};

}  // namespace westworld::agent

// The agent: owns the guard (loaded or re-adopted from its pins), keeps it
// attached, applies policies atomically, and answers control requests.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "westworld/agent/apply_observer.h"
#include "westworld/agent/trust_gate.h"
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
  // Set while policy changes are frozen: a policy file that differs from the
  // running policy is then not applied at start either.
  std::optional<std::string> frozen;
};

class Agent {
 public:
  // Validates the policy, loads or adopts the guard, applies, attaches.
  // Throws (with one clear message) on any failure before enforcement starts.
  explicit Agent(AgentOptions options);

  // Control-plane operations, each returning the JSON reply for wwctl.
  // `request` carries the credentials the trust gate checks (token, signatures, nonce).
  nlohmann::json apply(const std::string& yaml_text, const std::string& source,
                       const nlohmann::json& request = nlohmann::json::object());
  nlohmann::json reload();  // re-reads the policy file (SIGHUP)
  nlohmann::json status() const;
  nlohmann::json detach(const std::optional<std::string>& iface);

  // The watchman: may refuse applies, hears of every applied policy.
  void set_apply_observer(ApplyObserver* observer) { observer_ = observer; }
  // Tokens, peer signatures and the audit record, checked after compiling, before the flip.
  void set_trust_gate(TrustGate* gate) { trust_ = gate; }
  // The policy the agent was started or last applied with (its detect
  // settings and protected classes; under a freeze at start, the file's).
  const policy::Policy& policy() const { return policy_; }

  // The running policy's record: its source and rule names.
  const nlohmann::json& policy_record() const { return record_; }
  const AgentOptions& options() const { return options_; }
  const dataplane::Guard& guard() const { return guard_; }
  bool has_attachments() const { return !attachments_.empty(); }

 private:
  // Applies the policy unless it already runs (or changes are frozen), then
  // attaches every interface. False when a frozen, different policy was kept.
  bool enforce(const policy::CompiledPolicy& compiled);

  AgentOptions options_;
  policy::Policy policy_;
  ApplyObserver* observer_ = nullptr;
  TrustGate* trust_ = nullptr;
  // Default-action packets when the running policy was applied (or the agent started).
  uint64_t default_packets_at_apply_ = 0;
  dataplane::Guard guard_;
  std::vector<dataplane::Attachment> attachments_;
  nlohmann::json record_;
};

}  // namespace westworld::agent

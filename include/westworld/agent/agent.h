// The agent: owns the guard (loaded or re-adopted from its pins), keeps it
// attached, applies policies atomically, and answers control requests.
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "westworld/agent/apply_observer.h"
#include "westworld/agent/guard_view.h"
#include "westworld/agent/trust_gate.h"
#include "westworld/control/messages.h"
#include "westworld/control/policy_record.h"
#include "westworld/control/protocol.h"
#include "westworld/dataplane/attach.h"
#include "westworld/dataplane/guard_maps.h"
#include "westworld/governance/rollout_follower.h"
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
  // Flow rules lifted by the emergency overrides active at start (charter::OverrideStore).
  std::set<std::string> lifted_rules;
};

// The watchman sees the agent only as its GuardView (agent_guard_view.cpp).
class Agent final : public GuardView {
 public:
  // Validates the policy file, loads or adopts the guard, decides what to
  // enforce, attaches. At start the running, approved policy stays when the
  // file differs and the trust gate is closed: a restart must not roll back
  // what the mesh approved (the decision is logged and audited).
  // Throws (with one clear message) on any failure before enforcement starts.
  Agent(AgentOptions options, TrustGate& trust);

  // `target` is what the change's credentials were made for: this node (empty), or
  // capability::kAllNodes for a policy published to the whole mesh.
  control::Result<control::ApplyReply> apply(const control::ApplyRequest& request,
                                             std::string_view target = {});
  control::Result<control::ApplyReply> reload();  // re-reads the policy file (SIGHUP)
  // A policy the members approved (governance), or the one to return to when a rollout is
  // aborted: no token is asked and a freeze does not hold it back (the decision is the
  // authority); the text must compile to the approved digest. Audited as gov_apply or
  // gov_rollback before the flip.
  control::Result<control::ApplyReply> apply_approved(const governance::ApprovedPolicy& approved);

  // Enforces the running policy without the flow rules named (emergency overrides; an
  // empty set restores the policy as approved) until the next call, across applies and
  // restarts. The caller has checked the override's authority. Returns the names the
  // running policy has, which are the ones lifted. Throws when the maps cannot be written.
  std::vector<std::string> lift_rules(std::set<std::string> names);
  const std::set<std::string>& lifted_rules() const { return options_.lifted_rules; }
  control::StatusReply status() const;
  control::Result<control::DetachReply> detach(const std::optional<std::string>& iface);

  // The watchman: may refuse applies, hears of every applied policy.
  void set_apply_observer(ApplyObserver* observer) override { observer_ = observer; }
  // The running policy as approved (its detect settings and protected classes).
  const policy::Policy& policy() const override { return policy_; }

  // The rest of GuardView, over the pinned maps.
  CounterSnapshot read_counters() const override;
  dataplane::SourceTable read_sources() const override;
  std::vector<dataplane::QuarantineEntry> read_quarantines() const override;
  std::optional<ww_quarantine> find_quarantine(const ww_source_key& key) const override;
  void write_quarantine(const ww_source_key& key, const ww_quarantine& value) override;
  bool delete_quarantine(const ww_source_key& key) override;
  std::vector<policy::Cidr> router_addresses() const override;

  // The running policy's record: its source, text, rule names and lifted rules.
  const control::PolicyRecord& policy_record() const { return record_; }
  const AgentOptions& options() const { return options_; }
  const dataplane::Guard& guard() const { return guard_; }
  bool has_attachments() const { return !attachments_.empty(); }

 private:
  // What to enforce at start, given the running policy and the file.
  void adopt_or_apply(const std::string& file_text, const policy::Policy& file_policy);
  // Writes `approved` minus the lifted rules into the maps (unless the guard runs exactly
  // that already) and records it. Returns the generation now live.
  uint32_t enforce_approved(const policy::Policy& approved, std::string source, std::string text);
  void attach_all();
  // Every apply's one path: validate and compile `text`, ask `authorize` (given the
  // compiled digest) for a decision, which audits an allowed change, then flip.
  using Authorize = std::function<ApplyDecision(const std::string& digest)>;
  control::Result<control::ApplyReply> compile_and_flip(const std::string& text,
                                                        const std::string& source,
                                                        const Authorize& authorize,
                                                        const std::string& meant_by);

  AgentOptions options_;
  TrustGate& trust_;
  const uint64_t started_unix_ns_;  // for `uptime` in the status
  policy::Policy policy_;
  ApplyObserver* observer_ = nullptr;
  // Default-action packets when the running policy was applied (or the agent started).
  uint64_t default_packets_at_apply_ = 0;
  dataplane::Guard guard_;
  std::vector<dataplane::Attachment> attachments_;
  control::PolicyRecord record_;
};

}  // namespace westworld::agent

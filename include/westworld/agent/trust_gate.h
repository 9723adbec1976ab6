// The trust gate on the agent's policy-apply path. With a root key configured, an apply
// needs a capability token whose caveats hold for "policy.apply on this node", and the
// change must pass the mass-change rule (peer signatures, single-use nonce). Every apply
// that goes ahead is appended to the audit log, when one is configured, BEFORE the flip:
// a policy that cannot be audited is never enforced, at the price of an entry for an
// apply that later fails (the log then over-reports, never under-reports).
//
// Without a root key the gate is open: every apply is allowed and still audited.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "westworld/audit/audit_log.h"
#include "westworld/capability/clock.h"
#include "westworld/capability/mass_change.h"
#include "westworld/capability/secret_file.h"
#include "westworld/control/messages.h"

namespace westworld::agent {

inline constexpr std::string_view kPolicyApplyAction = "policy.apply";
// The audit record's token_id for applies let through by an open gate.
inline constexpr std::string_view kOpenModeTokenId = "open-mode";

struct TrustOptions {
  std::string root_key_path;     // empty: open mode
  std::string node_id;           // this node in `node = ID` caveats and change targets
  std::string peers_path;        // optional: no peers means no mass change can pass
  std::uint64_t mesh_size = 0;   // nodes in the mesh, for the 10% rule and ppm caveats
  std::string nonce_store_path;  // spent change nonces (required with a root key)
  std::string audit_log_path;    // optional, together with audit_key_path
  std::string audit_key_path;    // C2SP note signer key (wwctl audit keygen)
};

// The peers file: one peer per line, `ID BASE64-ED25519-PUBLIC-KEY` (standard base64 of
// the 32-byte key, as `wwctl peer keygen` prints it); `#` starts a comment, blank lines
// are ignored. IDs and keys are unique; a bad line throws "FILE:LINE: what is wrong".
struct Peer {
  std::string id;
  capability::PublicKey key{};
};
std::vector<Peer> load_peers_file(const std::filesystem::path& path);

struct ApplyDecision {
  static ApplyDecision allow(std::string token_id);
  static ApplyDecision refuse(std::string reason, std::string token_id = {});

  bool allowed = false;
  std::string reason;                        // refusals only: which caveat or signature rule failed
  std::string token_id;                      // the token identifier, for the audit record
  std::vector<std::string> signers;          // peer ids that approved, for the audit record
  std::optional<std::uint64_t> audit_index;  // set by authorize_apply when it was audited
};

// An apply's credentials after the checks that need no policy: who asks, and the change
// they ask for, still without the digest of the policy they send.
struct CallerCheck {
  static CallerCheck refuse(std::string reason);

  std::optional<std::string> refusal;  // why the caller is refused; nothing else is set then
  std::string token_id;                // for the audit record
  capability::PublicKey requester{};   // the token's peer, all zeros when it names none
  std::vector<capability::PeerSignature> signatures;
  capability::ChangeRequest change;  // policy_digest not yet set

  bool ok() const { return !refusal; }
};

class TrustGate {
 public:
  // Reads the root key, peers file, nonce store and audit key; throws one clear line on
  // a missing or loosely-permitted key file, a bad peers file or an inconsistent option.
  explicit TrustGate(const TrustOptions& options,
                     const capability::Clock& clock = capability::system_clock());
  TrustGate(const TrustGate&) = delete;
  TrustGate& operator=(const TrustGate&) = delete;
  ~TrustGate();

  bool open_mode() const { return !root_key_.has_value(); }
  // What the agent logs at startup in open mode; empty when the gate is closed.
  std::string open_mode_warning() const;
  bool audits() const { return audit_log_.has_value(); }

  // In a mesh, the registry counts the routers registered right now (from the mesh
  // thread). The mass-change rule uses the larger of that count and --mesh-size, a floor:
  // deleting registrations in etcd cannot make a change look small.
  void set_registered_routers(uint64_t count) { registered_routers_.store(count); }
  uint64_t mesh_size() const { return std::max(options_.mesh_size, registered_routers_.load()); }

  // The checks that need no policy, run before the policy text is parsed so that a
  // caller without credentials cannot make the agent parse, compile and analyse one: the
  // token with its discharges (for policy.apply on this node), and the form of the peer
  // signatures (sorted by key), nonce and time. Spends nothing. The requester, who may not
  // approve its own change, is the peer whose ID equals the token identifier: that
  // identifier is covered by the token's signature, where a `requester` field in the
  // request would be the caller's unchecked say-so.
  // `target` is what the change is for: this node (empty) or, for a bundle published to
  // the whole mesh, capability::kAllNodes, which is always a mass change.
  CallerCheck check_credentials(const control::ApplyCredentials& credentials,
                                std::string_view target = {}) const;

  // The check that needs the compiled policy: the mass-change rule for the caller's change
  // to the policy with digest `policy_digest` (64 hex). An allowed change's nonce is spent.
  ApplyDecision check_change(const CallerCheck& caller, const std::string& policy_digest);

  // Both checks at once, for a caller that has the digest already.
  ApplyDecision check_apply(const control::ApplyCredentials& credentials,
                            const std::string& policy_digest);

  // Appends the policy_apply record for an allowed decision; returns its index, or
  // nothing without an audit log. Throws when the append fails: the caller must then
  // not apply the policy.
  std::optional<std::uint64_t> record_apply(const ApplyDecision& decision,
                                            const std::string& policy_digest);

  // What the agent calls between compiling and flipping: check_change, then record_apply
  // for an allowed apply. A failed append turns into a refusal naming the audit log.
  ApplyDecision authorize_change(const CallerCheck& caller, const std::string& policy_digest);
  // check_credentials, then authorize_change.
  ApplyDecision authorize_apply(const control::ApplyCredentials& credentials,
                                const std::string& policy_digest);

  // Audits what the agent decided at start when the running policy and its policy file
  // differ (no-op without an audit log). Throws when the append fails.
  void record_start(const std::string& enforced_digest, const std::string& file_digest,
                    const std::string& decision);

  // Appends any other record (a charter violation, an override); its index, or nothing
  // without an audit log. Throws when the append fails.
  std::optional<std::uint64_t> record(const audit::AuditRecord& record);

 private:
  CallerCheck check_caller(const control::ApplyCredentials& credentials,
                           std::string_view target) const;

  TrustOptions options_;
  const capability::Clock& clock_;
  std::optional<capability::RootKey> root_key_;
  capability::PeerSet peer_keys_;
  std::map<capability::PublicKey, std::string> peer_id_by_key_;
  std::unique_ptr<capability::NonceStore> nonces_;
  std::optional<audit::AuditLog> audit_log_;
  std::atomic<uint64_t> registered_routers_{0};
};

}  // namespace westworld::agent

// One request and one reply type per control command. The command table below
// is the single list of what the agent serves: the codec, the dispatcher and
// the client are all generated from it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "westworld/dataplane/quarantine_map.h"
#include "westworld/dataplane/status.h"

namespace westworld::control {

// --- ping: is an agent there, and does it speak our protocol -----------------
struct PingReply {
  uint32_t protocol = 0;
  std::string agent_version;
};
struct PingRequest {
  using Reply = PingReply;
};

// --- status --------------------------------------------------------------------
struct AgentState {
  bool running = false;
  std::string policy_path;  // the file SIGHUP re-reads
  // Flow rules of the running policy an emergency override lifts now (wwctl charter overrides).
  std::vector<std::string> lifted_rules;
  // When this agent process started (Unix ns; 0 from an agent too old to say): what the
  // quests' uptime criterion reads. A restart starts it again, as uptime should.
  uint64_t started_unix_ns = 0;
};

struct WatchmanSummary {
  bool frozen = false;
  std::string freeze_reason;
  uint64_t alerts_total = 0;
  uint64_t quarantined = 0;
  uint64_t detector_tracked_sources = 0;
  uint32_t window_ms = 0;
};

// The router's link to its mesh (etcd), when it was started with --mesh.
struct MeshSummary {
  std::string mesh;  // the mesh's name
  std::string node_id;
  std::string endpoints;  // as configured
  bool connected = false;
  std::string last_error;          // while disconnected
  int64_t disconnected_since = 0;  // Unix seconds; 0 while connected
  uint64_t outages = 0;
  uint64_t registered_routers = 0;
  uint64_t mesh_size = 0;  // what the mass-change rule counts: max(registered, --mesh-size)
  uint64_t bundles_applied = 0;
  uint64_t refusals = 0;
  std::string last_refusal;  // its reason
  bool insecure_open_mesh = false;
};

struct StatusReply {
  dataplane::GuardStatus guard;
  AgentState agent;
  std::optional<WatchmanSummary> watchman;  // only from a running agent
  std::optional<MeshSummary> mesh;          // only from an agent in a mesh
};
struct StatusRequest {
  using Reply = StatusReply;
};

// --- apply and reload ----------------------------------------------------------
struct PeerApproval {
  std::string peer;       // base64 Ed25519 public key
  std::string signature;  // base64, over the change (wwctl policy sign)
};

// What a closed trust gate checks; an open one ignores it.
struct ApplyCredentials {
  std::optional<std::string> token;  // V2 macaroon, base64
  std::vector<std::string> discharges;
  std::vector<PeerApproval> signatures;  // sorted by peer key
  std::optional<std::string> nonce;      // 64 hex, used once
  std::optional<int64_t> time;           // Unix seconds the change was made at
};

struct ApplyReply {
  uint64_t generation = 0;
  std::string digest;
  uint64_t rules = 0;
  std::optional<uint64_t> audit_index;  // the audit log entry, when the agent keeps one
  std::vector<std::string> warnings;
};
struct ApplyRequest {
  using Reply = ApplyReply;
  std::string policy;  // YAML text
  std::string source;  // where it came from, for logs and the record
  ApplyCredentials credentials;
  // An open gate only: the caller means a change that flips most verdicts, so the
  // mass-change detector reports it without freezing (wwctl policy apply --confirm-mass-change).
  std::optional<bool> confirm_mass_change;
};
// Re-reads the agent's policy file, as SIGHUP does.
struct ReloadRequest {
  using Reply = ApplyReply;
};

// --- detach ----------------------------------------------------------------------
struct DetachReply {
  std::vector<std::string> detached;
  bool agent_stopping = false;  // no interface left: the pins are gone, the agent stops
};
struct DetachRequest {
  using Reply = DetachReply;
  std::optional<std::string> iface;  // all when unset
};

// --- quarantine ------------------------------------------------------------------
struct QuarantineChangeReply {
  std::string result;  // what happened, in words
};
struct QuarantineAddRequest {
  using Reply = QuarantineChangeReply;
  std::string source;                 // address; masked to the identity prefix
  std::optional<std::string> action;  // drop | limit; the policy's default when unset
  std::optional<uint64_t> ban_s;      // the policy's default when unset
  std::optional<uint64_t> pps;
  std::optional<uint64_t> burst;
};
struct QuarantineDelRequest {
  using Reply = QuarantineChangeReply;
  std::string source;
};
struct QuarantineListReply {
  std::vector<dataplane::QuarantineView> quarantines;
};
struct QuarantineListRequest {
  using Reply = QuarantineListReply;
};

// --- alerts ----------------------------------------------------------------------
struct AlertView {
  uint64_t id = 0;
  uint64_t unix_ns = 0;
  std::string detector;
  std::string subject;
  std::string statistic;
  double value = 0;
  double threshold = 0;
  uint32_t windows = 0;
  uint32_t window_ms = 0;
  std::string detail;
  std::string response;
  // The response's quarantine took effect (anomaly::Alert::contained); false from an agent too
  // old to say.
  bool contained = false;
};
struct ResponseView {
  uint64_t unix_ns = 0;
  std::string action;
  std::string subject;
  std::string reason;
};
struct AlertsReply {
  std::vector<AlertView> alerts;
  uint64_t alerts_total = 0;
  std::vector<ResponseView> responses;
  bool frozen = false;
  std::string freeze_reason;
};
struct AlertsRequest {
  using Reply = AlertsReply;
  uint32_t limit = 50;
};

// --- top -------------------------------------------------------------------------
struct TopInterface {
  std::string interface;
  uint32_t ifindex = 0;
  double pps = 0;
  double bps = 0;
  uint32_t active_sources = 0;
};
struct TopSource {
  std::string source;
  std::string interface;
  double pps = 0;
  double bps = 0;
  double share = 0;
  double dropped_pps = 0;
  uint64_t dropped_quota = 0;
  uint64_t dropped_share = 0;
  std::string state;  // ok, flagged, quarantined
};
struct TopReply {
  double window_s = 0;
  uint64_t tracked_sources = 0;
  uint64_t quarantined = 0;
  bool frozen = false;
  std::vector<TopInterface> interfaces;
  std::vector<TopSource> sources;
};
struct TopRequest {
  using Reply = TopReply;
  uint32_t limit = 50;
};

// --- unfreeze --------------------------------------------------------------------
struct UnfreezeReply {
  bool was_frozen = false;
};
struct UnfreezeRequest {
  using Reply = UnfreezeReply;
};

// --- charter ---------------------------------------------------------------------
// One recorded violation and the escalation step it cost.
struct ViolationView {
  int64_t id = 0;
  int64_t at_unix_s = 0;
  std::string offender;
  std::string violation_type;  // forbidden_metric, gate_bypass, flow_rule
  std::string detail;
  std::string severity;  // low, medium, high, critical
  std::string step;      // warning, telemetry_blocked, quarantined, legal_escalation
};
// Where an offender stands now.
struct OffenderView {
  std::string offender;
  uint64_t in_window = 0;  // violations in the last 30 days
  uint64_t total = 0;
  int64_t last_unix_s = 0;
  int64_t blocked_until_unix_s = 0;  // 0: not blocked
  bool quarantined = false;
  bool flagged = false;  // for legal escalation
  // The violation holding the quarantine: what a restoring decision names (charter_restore).
  std::optional<int64_t> quarantined_by;
};
struct CharterViolationsReply {
  std::vector<ViolationView> violations;  // newest first
  std::vector<OffenderView> offenders;    // most recent offender first
  std::string gate;                       // ADDR:PORT of the telemetry gate, or "off"
  std::string ledger;                     // the ledger's file
};
struct CharterViolationsRequest {
  using Reply = CharterViolationsReply;
  uint32_t limit = 100;  // violations; 0: all
};

// --- charter overrides -----------------------------------------------------------
// An operator's Ed25519 signature over the override's canonical form, both in base64.
struct OverrideSignatureView {
  std::string signer;  // the operator's public key, as in the operators file
  std::string signature;
};
struct CharterOverrideReply {
  std::string id;                    // the override's digest (hex)
  std::vector<std::string> lifted;   // rules this node's guard no longer enforces
  std::vector<std::string> signers;  // the operators whose signatures counted
  std::string expires_at;            // RFC 3339 UTC: the rules return at this second
  std::optional<uint64_t> audit_index;
};
// Also the override file operators pass around to sign (wwctl charter override -o).
struct CharterOverrideRequest {
  using Reply = CharterOverrideReply;
  std::vector<std::string> rules;
  std::string reason;
  std::vector<std::string> affected_nodes;
  std::string issued_at;   // RFC 3339 UTC
  std::string expires_at;  // RFC 3339 UTC, at most 2 h after issued_at
  std::string nonce;       // 32 hex characters
  std::vector<OverrideSignatureView> signatures;
  // Instead of operators' signatures: a passed emergency proposal (id, hex) whose subject is
  // this override's digest (wwctl gov propose --override FILE --kind emergency).
  std::string decision;
};
struct OverrideView {
  std::string id;
  std::vector<std::string> rules;
  std::string reason;
  std::vector<std::string> affected_nodes;
  std::vector<std::string> signers;
  std::string issued_at;
  std::string expires_at;
  std::string accepted_at;
  std::optional<std::string> ended_at;
  bool active = false;
};
struct CharterOverridesReply {
  std::vector<OverrideView> overrides;  // newest first
  std::vector<std::string> lifted;      // what the guard does not enforce now
  uint64_t operators = 0;               // in this node's operators file
  uint64_t quorum = 0;                  // signatures an override needs here; 0: none allowed
};
struct CharterOverridesRequest {
  using Reply = CharterOverridesReply;
  uint32_t limit = 50;  // 0: all
};

// --- lifting a charter quarantine -------------------------------------------------
struct CharterRestoreReply {
  std::string offender;
  int64_t violation = 0;            // whose quarantine was lifted
  std::string decision;             // the proposal that allowed it
  std::vector<std::string> voters;  // the members whose yes counted
  bool released = false;            // a source's quarantine in the guard was lifted too
  std::optional<uint64_t> audit_index;
};
struct CharterRestoreRequest {
  using Reply = CharterRestoreReply;
  std::string offender;  // as `wwctl charter violations` names it, e.g. "source 10.0.0.5"
  std::string decision;  // a passed charter_restore proposal (id, hex)
};

// --- settling the quest ledger ----------------------------------------------------
// The agent closes the unsettled grants of DATA_DIR/quests.db into a batch and commits its
// digest to the audit log, so anyone holding the log can check the ledger's totals.
struct QuestSettleReply {
  bool settled = false;  // false: nothing was unsettled, no batch was made
  int64_t batch = 0;
  int64_t first_transaction = 0;
  int64_t last_transaction = 0;
  int64_t entries = 0;
  int64_t minted = 0;  // points credited to members in the batch
  std::string digest;  // hex SHA-256 over the batch's entries
  std::optional<uint64_t> audit_index;
};
struct QuestSettleRequest {
  using Reply = QuestSettleReply;
};

// The command table: wire name and request type. Append; never reorder.
#define WW_CONTROL_COMMANDS(X)                      \
  X("ping", PingRequest)                            \
  X("status", StatusRequest)                        \
  X("apply", ApplyRequest)                          \
  X("reload", ReloadRequest)                        \
  X("detach", DetachRequest)                        \
  X("quarantine.add", QuarantineAddRequest)         \
  X("quarantine.del", QuarantineDelRequest)         \
  X("quarantine.list", QuarantineListRequest)       \
  X("alerts", AlertsRequest)                        \
  X("top", TopRequest)                              \
  X("unfreeze", UnfreezeRequest)                    \
  X("charter.violations", CharterViolationsRequest) \
  X("charter.override", CharterOverrideRequest)     \
  X("charter.overrides", CharterOverridesRequest)   \
  X("charter.restore", CharterRestoreRequest)       \
  X("quest.settle", QuestSettleRequest)

// Every distinct reply type, for the codec.
#define WW_CONTROL_REPLIES(X) \
  X(PingReply)                \
  X(StatusReply)              \
  X(ApplyReply)               \
  X(DetachReply)              \
  X(QuarantineChangeReply)    \
  X(QuarantineListReply)      \
  X(AlertsReply)              \
  X(TopReply)                 \
  X(UnfreezeReply)            \
  X(CharterViolationsReply)   \
  X(CharterOverrideReply)     \
  X(CharterOverridesReply)    \
  X(CharterRestoreReply)      \
  X(QuestSettleReply)

#define WW_X(name, type) type,
// Any request; std::monostate (last, never on the wire) only closes the list.
using AnyRequest = std::variant<WW_CONTROL_COMMANDS(WW_X) std::monostate>;
#undef WW_X

// The wire name of a request type.
template <typename Request>
constexpr std::string_view command_name();
#define WW_X(name, type)                            \
  template <>                                       \
  constexpr std::string_view command_name<type>() { \
    return name;                                    \
  }
WW_CONTROL_COMMANDS(WW_X)
#undef WW_X

}  // namespace westworld::control

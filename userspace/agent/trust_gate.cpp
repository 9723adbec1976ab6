#include "westworld/agent/trust_gate.h"

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "westworld/capability/macaroon_v2.h"
#include "westworld/capability/macaroon_verifier.h"
#include "westworld/capability/token_verifier.h"

namespace westworld::agent {
namespace {

using namespace westworld::capability;

// Bounds the signature checks a hostile request can cause; real changes carry a handful.
constexpr std::size_t kMaxSignatures = 64;
// Identifiers longer than this, or not printable, go into the audit log as their digest.
constexpr std::size_t kMaxPlainTokenId = 256;

// A request that cannot be checked: refused with this message, never thrown to the agent.
class BadRequest : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::string trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

// A writable peers file is a way to add approvers without any key.
void require_not_writable_by_others(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    throw std::runtime_error(path.string() +
                             ": cannot read the peers file: " + std::strerror(errno));
  if ((st.st_mode & 022) != 0)
    throw std::runtime_error(path.string() +
                             ": peers file is writable by group or others (chmod go-w)");
}

std::string token_label(const Bytes& identifier) {
  const bool plain = !identifier.empty() && identifier.size() <= kMaxPlainTokenId &&
                     std::all_of(identifier.begin(), identifier.end(),
                                 [](std::uint8_t c) { return c >= 0x20 && c < 0x7f; });
  return plain ? to_string(identifier) : "sha256:" + to_hex(sha256(identifier));
}

std::string required_text(const std::optional<std::string>& value, const char* name,
                          const char* what) {
  if (!value) throw BadRequest(std::string("the request has no ") + name + " (" + what + ")");
  return trimmed(*value);
}

Macaroon parse_token(const std::string& text, const std::string& name) {
  try {
    return parse_v2_text(text);
  } catch (const std::exception& e) {
    throw BadRequest(name + " is not a V2 macaroon: " + e.what());
  }
}

std::vector<Macaroon> parse_discharges(const control::ApplyCredentials& credentials) {
  if (credentials.discharges.size() > kMaxDischarges)
    throw BadRequest("more than " + std::to_string(kMaxDischarges) + " discharges");
  std::vector<Macaroon> out;
  for (std::size_t i = 0; i < credentials.discharges.size(); ++i) {
    const std::string name = "discharge " + std::to_string(i + 1);
    out.push_back(parse_token(trimmed(credentials.discharges[i]), name));
  }
  return out;
}

std::vector<PeerSignature> parse_signatures(const control::ApplyCredentials& credentials) {
  if (credentials.signatures.size() > kMaxSignatures)
    throw BadRequest("more than " + std::to_string(kMaxSignatures) + " signatures");
  std::vector<PeerSignature> out;
  for (std::size_t i = 0; i < credentials.signatures.size(); ++i) {
    const control::PeerApproval& item = credentials.signatures[i];
    const std::string name = "signature " + std::to_string(i + 1);
    const auto key = parse_ed25519_public_key(trimmed(item.peer));
    if (!key) throw BadRequest(name + ": peer is not a base64 Ed25519 public key");
    const auto signature = fixed_bytes<64>(from_base64(trimmed(item.signature)));
    if (!signature) throw BadRequest(name + ": signature is not 64 bytes of base64");
    out.push_back({*key, *signature});
  }
  return out;
}

// The change without its policy digest, which the agent knows only once it has compiled the policy.
ChangeRequest parse_change(const control::ApplyCredentials& credentials, const std::string& node) {
  ChangeRequest change;
  change.action = kPolicyApplyAction;
  change.targets = {node};
  const auto nonce = fixed_bytes<32>(
      from_hex(required_text(credentials.nonce, "nonce", "64 hex characters, used once")));
  if (!nonce) throw BadRequest("nonce must be 64 hex characters");
  change.nonce = *nonce;
  if (!credentials.time)
    throw BadRequest("the request has no time (Unix seconds the change was made at)");
  change.unix_time = *credentials.time;
  return change;
}

std::unique_ptr<NonceStore> open_nonce_store(const std::filesystem::path& path) {
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  return std::make_unique<FileNonceStore>(path);
}

void require_consistent(const TrustOptions& o) {
  if (o.audit_log_path.empty() != o.audit_key_path.empty())
    throw std::runtime_error("--audit-log and --audit-key go together");
  if (o.root_key_path.empty()) return;
  if (o.node_id.empty()) throw std::runtime_error("--trust-root-key needs --node-id");
  if (o.mesh_size == 0)
    throw std::runtime_error("--trust-root-key needs --mesh-size (the nodes in the mesh, >= 1)");
  if (o.nonce_store_path.empty())
    throw std::runtime_error("--trust-root-key needs --nonce-store (spent change nonces)");
}

}  // namespace

CallerCheck CallerCheck::refuse(std::string reason) {
  CallerCheck check;
  check.refusal = std::move(reason);
  return check;
}

ApplyDecision ApplyDecision::allow(std::string token_id) {
  ApplyDecision decision;
  decision.allowed = true;
  decision.token_id = std::move(token_id);
  return decision;
}

ApplyDecision ApplyDecision::refuse(std::string reason, std::string token_id) {
  ApplyDecision decision;
  decision.reason = std::move(reason);
  decision.token_id = std::move(token_id);
  return decision;
}

std::vector<Peer> load_peers_file(const std::filesystem::path& path) {
  require_not_writable_by_others(path);
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path.string() + ": cannot read the peers file");
  std::vector<Peer> peers;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    const std::string where = path.string() + ":" + std::to_string(number) + ": ";
    std::istringstream fields(line.substr(0, line.find('#')));
    std::string id, key_text, extra;
    if (!(fields >> id)) continue;  // blank or comment only
    if (!(fields >> key_text) || (fields >> extra))
      throw std::runtime_error(where + "expected 'ID BASE64-ED25519-PUBLIC-KEY'");
    const auto key = parse_ed25519_public_key(key_text);
    if (!key)
      throw std::runtime_error(where + "'" + key_text + "' is not a base64 Ed25519 public key");
    for (const Peer& p : peers) {
      if (p.id == id) throw std::runtime_error(where + "peer '" + id + "' is listed twice");
      if (p.key == *key)
        throw std::runtime_error(where + "the key of '" + id + "' is already peer '" + p.id + "'s");
    }
    peers.push_back({id, *key});
  }
  return peers;
}

TrustGate::TrustGate(const TrustOptions& options, const Clock& clock)
    : options_(options), clock_(clock) {
  require_consistent(options_);
  if (!options_.root_key_path.empty()) {
    root_key_ = read_root_key_file(options_.root_key_path);
    if (!options_.peers_path.empty()) {
      for (const Peer& peer : load_peers_file(options_.peers_path)) {
        peer_keys_.insert(peer.key);
        peer_id_by_key_.emplace(peer.key, peer.id);
      }
    }
    nonces_ = open_nonce_store(options_.nonce_store_path);
  }
  if (!options_.audit_log_path.empty())
    audit_log_ = audit::AuditLog::open(options_.audit_log_path,
                                       audit::read_signer_file(options_.audit_key_path), clock_);
}

TrustGate::~TrustGate() = default;

std::string TrustGate::open_mode_warning() const {
  if (!open_mode()) return {};
  return std::string(
             "OPEN MODE: no --trust-root-key, so ANY caller of the control socket can "
             "apply ANY policy: no token, no peer signatures, no replay protection") +
         (audits() ? "; applies are still audited" : "; and no --audit-log either");
}

CallerCheck TrustGate::check_credentials(const control::ApplyCredentials& credentials,
                                         std::string_view target) const {
  if (open_mode()) {
    CallerCheck open;
    open.token_id = kOpenModeTokenId;
    return open;
  }
  try {
    return check_caller(credentials, target);
  } catch (const BadRequest& e) {
    return CallerCheck::refuse(e.what());
  }
}

CallerCheck TrustGate::check_caller(const control::ApplyCredentials& credentials,
                                    std::string_view target) const {
  const Macaroon token = parse_token(
      required_text(credentials.token, "token", "this agent requires a capability token"), "token");
  const std::vector<Macaroon> discharges = parse_discharges(credentials);
  CallerCheck caller;
  caller.signatures = parse_signatures(credentials);
  if (!target.empty() && target != kAllNodes && target != options_.node_id)
    return CallerCheck::refuse("the change is for '" + std::string(target) + "', not this node");
  caller.change =
      parse_change(credentials, target.empty() ? options_.node_id : std::string(target));
  // A change to every node counts the whole mesh against the token's caveats.
  const uint64_t targeted = target == kAllNodes ? mesh_size() : caller.change.targets.size();

  // The token first: an unauthorised caller must not be able to spend nonces.
  const RequestContext context{std::string(kPolicyApplyAction), options_.node_id, targeted,
                               mesh_size()};
  const TokenVerdict token_verdict =
      TokenVerifier(clock_).verify(token, root_key_->view(), discharges, context);
  if (!token_verdict.ok) return CallerCheck::refuse("token rejected: " + token_verdict.describe());

  caller.token_id = token_label(token.identifier());
  for (const auto& [key, id] : peer_id_by_key_)
    if (id == to_string(token.identifier())) caller.requester = key;
  return caller;
}

ApplyDecision TrustGate::check_change(const CallerCheck& caller, const std::string& policy_digest) {
  if (!caller.ok()) return ApplyDecision::refuse(*caller.refusal, caller.token_id);
  if (open_mode()) return ApplyDecision::allow(caller.token_id);
  ChangeRequest change = caller.change;
  const auto digest = fixed_bytes<32>(from_hex(policy_digest));
  if (!digest)
    return ApplyDecision::refuse("the policy digest is not 64 hex characters", caller.token_id);
  change.policy_digest = *digest;

  const MassChangeVerdict verdict = check_mass_change(change, caller.signatures, peer_keys_,
                                                      caller.requester, mesh_size(), *nonces_);
  if (!verdict.ok())
    return ApplyDecision::refuse("peer signatures refused (" +
                                     std::string(refusal_name(verdict.refusal)) +
                                     "): " + verdict.detail,
                                 caller.token_id);

  ApplyDecision decision = ApplyDecision::allow(caller.token_id);
  for (const PeerSignature& s : caller.signatures)
    decision.signers.push_back(peer_id_by_key_.at(s.signer));
  return decision;
}

ApplyDecision TrustGate::check_apply(const control::ApplyCredentials& credentials,
                                     const std::string& policy_digest) {
  return check_change(check_credentials(credentials), policy_digest);
}

std::optional<std::uint64_t> TrustGate::record_apply(const ApplyDecision& decision,
                                                     const std::string& policy_digest) {
  if (!audit_log_) return std::nullopt;
  if (!decision.allowed) throw std::logic_error("record_apply: the apply was not allowed");
  return record({"policy_apply",
                 {{"digest", policy_digest},
                  {"token_id", decision.token_id},
                  {"signers", decision.signers}}});
}

ApplyDecision TrustGate::authorize_change(const CallerCheck& caller,
                                          const std::string& policy_digest) {
  ApplyDecision decision = check_change(caller, policy_digest);
  if (!decision.allowed) return decision;
  try {
    decision.audit_index = record_apply(decision, policy_digest);
  } catch (const std::exception& e) {
    decision.allowed = false;
    decision.reason = e.what();
  }
  return decision;
}

ApplyDecision TrustGate::authorize_apply(const control::ApplyCredentials& credentials,
                                         const std::string& policy_digest) {
  return authorize_change(check_credentials(credentials), policy_digest);
}

void TrustGate::record_start(const std::string& enforced_digest, const std::string& file_digest,
                             const std::string& decision) {
  record({"agent_start",
          {{"enforced_digest", enforced_digest},
           {"file_digest", file_digest},
           {"decision", decision}}});
}

std::optional<std::uint64_t> TrustGate::record(const audit::AuditRecord& record) {
  if (!audit_log_) return std::nullopt;
  try {
    return audit_log_->append(record);
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot append to the audit log " + options_.audit_log_path + ": " +
                             e.what());
  }
}

}  // namespace westworld::agent

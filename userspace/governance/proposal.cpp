#include "westworld/governance/proposal.h"

#include <algorithm>
#include <array>

#include "westworld/capability/bytes.h"

namespace westworld::governance {
namespace {

using capability::as_bytes;
using capability::Sha256;

constexpr std::string_view kProposalDomain = "westworld.governance.proposal.v1";

// Indexed by ProposalAction's values.
constexpr std::array<const char*, 4> kActionNames = {"deploy_policy", "change_members",
                                                     "charter_override", "charter_restore"};

// A list's count, then each item framed: no two lists hash alike.
void hash_list(Sha256& hash, const std::vector<std::string>& items) {
  hash.update_u64_be(items.size());
  for (const std::string& item : items) hash.update_framed(as_bytes(item));
}

std::uint64_t seconds_since_epoch(common::UnixSeconds time) {
  return static_cast<std::uint64_t>(time.time_since_epoch().count());
}

}  // namespace

const char* to_string(ProposalKind kind) {
  switch (kind) {
    case ProposalKind::standard:
      return "standard";
    case ProposalKind::emergency:
      return "emergency";
  }
  return "unknown";
}

std::optional<ProposalKind> parse_proposal_kind(std::string_view text) {
  if (text == "standard") return ProposalKind::standard;
  if (text == "emergency") return ProposalKind::emergency;
  return std::nullopt;
}

const char* to_string(ProposalAction action) {
  const auto index = static_cast<std::size_t>(action);
  return index < kActionNames.size() ? kActionNames[index] : "unknown";
}

std::optional<ProposalAction> parse_proposal_action(std::string_view text) {
  for (std::size_t i = 0; i < kActionNames.size(); ++i)
    if (text == kActionNames[i]) return static_cast<ProposalAction>(i);
  return std::nullopt;
}

capability::Digest proposal_id(const Proposal& p) {
  Sha256 hash;
  hash.update_framed(as_bytes(kProposalDomain));
  hash.update_framed(as_bytes(p.mesh));
  hash.update_u32_be(static_cast<std::uint32_t>(p.kind));
  hash.update(p.policy_digest);
  std::vector<std::string> targets = p.targets;
  std::sort(targets.begin(), targets.end());  // a set: the order it was typed in is not signed
  hash_list(hash, targets);
  hash_list(hash, p.waves);  // a sequence: the order of the waves is the rollout
  // A presence byte first, so "no report" never hashes like some report.
  hash.update_u32_be(p.experiment_report ? 1 : 0);
  if (p.experiment_report) hash.update(*p.experiment_report);
  hash.update_framed(as_bytes(p.proposer));
  hash.update_u64_be(seconds_since_epoch(p.created));
  hash.update_u64_be(static_cast<std::uint64_t>(p.window.count()));
  hash.update(p.members_digest);
  hash.update_framed(as_bytes(p.title));
  hash.update_u64_be(static_cast<std::uint64_t>(p.bake.count()));
  hash_list(hash, p.gates);
  if (p.action != ProposalAction::deploy_policy) {
    hash.update_u32_be(static_cast<std::uint32_t>(p.action));
    hash.update(p.subject);
  }
  return hash.finish();
}

SignedProposal sign_proposal(Proposal proposal, const capability::Ed25519KeyPair& proposer) {
  const capability::Digest id = proposal_id(proposal);
  return {std::move(proposal), proposer.sign(id)};
}

bool verify_proposal(const SignedProposal& s, const capability::PublicKey& key) {
  return capability::ed25519_verify(proposal_id(s.proposal), s.signature, key);
}

std::optional<std::string> proposal_error(const SignedProposal& s, const MemberSet& snapshot) {
  const Proposal& p = s.proposal;
  if (p.members_digest != members_digest(snapshot))
    return "the proposal names another member set than this snapshot";
  const Member* proposer = snapshot.find(p.proposer);
  if (!proposer) return "the proposer '" + p.proposer + "' is not a member";
  if (!verify_proposal(s, proposer->key))
    return "the proposer's signature does not verify over the proposal's id";
  if (p.window <= std::chrono::seconds(0)) return "the proposal has no voting window";
  if (p.targets.empty()) return "the proposal names no target node";
  if (p.bake < std::chrono::seconds(0)) return "the proposal's bake time is negative";
  if (p.action == ProposalAction::deploy_policy) {
    if (p.waves.empty()) return "the proposal has no rollout wave";
    if (p.subject != capability::Digest{}) return "a policy deployment carries no subject";
    return std::nullopt;
  }
  if (!p.waves.empty() || !p.gates.empty() || p.bake.count() != 0)
    return std::string("a ") + to_string(p.action) +
           " proposal is not rolled out: it has no waves, gates or bake";
  if (p.policy_digest != capability::Digest{})
    return std::string("a ") + to_string(p.action) + " proposal deploys no policy";
  return std::nullopt;
}

}  // namespace westworld::governance

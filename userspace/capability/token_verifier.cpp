#include "westworld/capability/token_verifier.h"

#include "westworld/capability/macaroon_verifier.h"
#include "westworld/common/printable.h"

namespace westworld::capability {
namespace {

TokenVerdict rejected(std::string caveat, std::string reason) {
  return {false, std::move(caveat), std::move(reason)};
}

bool has_governance_caveat(const Macaroon& token) {
  for (const Caveat& caveat : token.caveats())
    if (caveat.is_third_party() && is_dao_vote_caveat(to_string(caveat.identifier))) return true;
  return false;
}

// Checks one macaroon's caveats in order; the first that does not hold decides.
std::optional<TokenVerdict> first_failing_caveat(const Macaroon& macaroon,
                                                 const RequestContext& request, UnixSeconds now,
                                                 bool governance) {
  for (const Caveat& caveat : macaroon.caveats()) {
    const std::string text = to_string(caveat.identifier);
    if (caveat.is_third_party()) {
      if (!is_dao_vote_caveat(text)) return rejected(text, "unknown third-party caveat");
      continue;  // its discharge was verified with the signature chain
    }
    const ConditionParse parsed = parse_condition(text);
    if (!parsed.condition) return rejected(text, parsed.error);
    if (auto why = check_condition(*parsed.condition, request, now, governance))
      return rejected(text, *why);
  }
  return std::nullopt;
}

}  // namespace

std::string TokenVerdict::describe() const {
  using common::printable;
  // Caveats are the token holder's bytes, and reasons may quote them or the request.
  if (ok) return "token valid: every caveat holds";
  if (caveat.empty()) return "token invalid: " + printable(reason);
  return "caveat '" + printable(caveat) + "' failed: " + printable(reason);
}

TokenVerdict TokenVerifier::verify(const Macaroon& token, ByteView root_key,
                                   std::span<const Macaroon> discharges,
                                   const RequestContext& request) const {
  const ChainCheck chain = check_signature_chain(token, root_key, discharges);
  if (!chain.ok) return rejected(chain.caveat, chain.error);

  const UnixSeconds now = clock_.now();
  // Network scope leans on governance: the root itself must demand the DAO vote, and the
  // chain check above has already established that the vote's discharge is genuine.
  const bool governance = has_governance_caveat(token);
  if (auto failure = first_failing_caveat(token, request, now, governance)) return *failure;
  for (const Macaroon* discharge : chain.discharges)
    if (auto failure = first_failing_caveat(*discharge, request, now, governance)) return *failure;
  return {true, {}, {}};
}

}  // namespace westworld::capability

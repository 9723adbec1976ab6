#include "westworld/capability/macaroon_verifier.h"

#include <optional>

#include "macaroon_crypto.h"

namespace westworld::capability {
namespace {

constexpr size_t kMaxSignatureChecks = 256;

struct Failure {
  std::string caveat;
  std::string error;
};

class ChainChecker {
 public:
  ChainChecker(const Macaroon& root, std::span<const Macaroon> discharges)
      : root_(root), discharges_(discharges), in_use_(discharges.size(), false) {}

  std::optional<Failure> check(const Macaroon& macaroon, const Digest& derived_key, bool is_root) {
    if (++signature_checks_ > kMaxSignatureChecks)
      return Failure{{}, "too many discharge combinations to try"};
    // The whole chain first: a forged or mis-keyed token reports that, not a caveat.
    std::vector<MacaroonSignature> before;  // the signature before each caveat
    MacaroonSignature sig = macaroon_chain::start(derived_key, macaroon.identifier());
    for (const Caveat& caveat : macaroon.caveats()) {
      before.push_back(sig);
      sig = caveat.is_third_party()
                ? macaroon_chain::add_third_party(sig, caveat.verification_id, caveat.identifier)
                : macaroon_chain::add_first_party(sig, caveat.identifier);
    }
    if (!is_root) sig = macaroon_chain::bind(root_.signature(), sig);
    if (!constant_time_equal(sig, macaroon.signature())) {
      if (is_root) return Failure{{}, "the signature does not match the root key"};
      return Failure{{},
                     "the discharge's signature is invalid (forged, or not bound to this token)"};
    }
    for (size_t i = 0; i < macaroon.caveats().size(); ++i) {
      const Caveat& caveat = macaroon.caveats()[i];
      if (!caveat.is_third_party()) continue;
      if (auto failure = discharge(caveat, before[i])) return failure;
    }
    return std::nullopt;
  }

  std::vector<const Macaroon*> used() && { return std::move(used_); }

 private:
  std::optional<Failure> discharge(const Caveat& caveat, const MacaroonSignature& sig_before) {
    const std::string name = to_string(caveat.identifier);
    auto caveat_key = macaroon_chain::open_caveat_key(sig_before, caveat.verification_id);
    if (!caveat_key) return Failure{name, "the third-party caveat's key cannot be decrypted"};
    Failure last{name, "no discharge was presented for the third-party caveat"};
    bool discharged = false;
    for (size_t j = 0; j < discharges_.size() && !discharged; ++j) {
      const Macaroon& candidate = discharges_[j];
      if (in_use_[j] || candidate.identifier() != caveat.identifier) continue;
      const size_t used_before = used_.size();
      in_use_[j] = true;
      used_.push_back(&candidate);
      const auto failure = check(candidate, *caveat_key, false);
      in_use_[j] = false;
      if (!failure) {
        discharged = true;
      } else {
        used_.resize(used_before);
        last = Failure{name, "discharge rejected: " + failure->error};
      }
    }
    sodium_memzero(caveat_key->data(), caveat_key->size());
    if (discharged) return std::nullopt;
    return last;
  }

  const Macaroon& root_;
  std::span<const Macaroon> discharges_;
  std::vector<bool> in_use_;
  std::vector<const Macaroon*> used_;
  size_t signature_checks_ = 0;
};

}  // namespace

ChainCheck check_signature_chain(const Macaroon& root, ByteView root_key,
                                 std::span<const Macaroon> discharges) {
  ChainCheck result;
  if (discharges.size() > kMaxDischarges) {
    result.error = "too many discharges (at most " + std::to_string(kMaxDischarges) + ")";
    return result;
  }
  ChainChecker checker(root, discharges);
  Digest derived = macaroon_chain::derive_key(root_key);
  const auto failure = checker.check(root, derived, true);
  sodium_memzero(derived.data(), derived.size());
  if (failure) {
    result.caveat = failure->caveat;
    result.error = failure->error;
    return result;
  }
  result.ok = true;
  // A discharge used for two caveats is listed once; its caveats apply once.
  for (const Macaroon* used : std::move(checker).used()) {
    bool seen = false;
    for (const Macaroon* listed : result.discharges) seen = seen || listed == used;
    if (!seen) result.discharges.push_back(used);
  }
  return result;
}

}  // namespace westworld::capability

// Cryptographic verification of a macaroon and its discharges. This proves who minted and
// attenuated the tokens; whether the caveats hold for a request is token_verifier's job.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "westworld/capability/macaroon.h"

namespace westworld::capability {

// Bounds the discharge search a hostile request can cause.
inline constexpr std::size_t kMaxDischarges = 32;

struct ChainCheck {
  bool ok = false;
  std::string caveat;  // the third-party caveat concerned, if any
  std::string error;
  // Every discharge the root relies on (transitively), each once, in the order used.
  std::vector<const Macaroon*> discharges;
};

// The root's signature must follow from `root_key`; each third-party caveat needs a
// discharge with the caveat's id whose signature follows from the caveat key (decrypted
// from the caveat) and is bound to the root's signature. Discharges may carry their own
// third-party caveats; a discharge never discharges itself, directly or through a cycle.
ChainCheck check_signature_chain(const Macaroon& root, ByteView root_key,
                                 std::span<const Macaroon> discharges);

}  // namespace westworld::capability

// The macaroon signature chain, step by step, exactly as libmacaroons and pymacaroons
// compute it. Shared by minting and verification so the two cannot drift apart.
#pragma once

#include <optional>

#include "westworld/capability/crypto.h"
#include "westworld/capability/macaroon.h"

namespace westworld::capability::macaroon_chain {

// HMAC("macaroons-key-generator", key): root and caveat keys are never used raw.
Digest derive_key(ByteView key);

MacaroonSignature start(const Digest& derived_key, ByteView identifier);
MacaroonSignature add_first_party(const MacaroonSignature& sig, ByteView predicate);
// HMAC(sig, HMAC(sig, vid) || HMAC(sig, cid)).
MacaroonSignature add_third_party(const MacaroonSignature& sig, ByteView vid, ByteView cid);
// HMAC(0^32, HMAC(0^32, root_sig) || HMAC(0^32, discharge_sig)).
MacaroonSignature bind(const MacaroonSignature& root_sig, const MacaroonSignature& discharge_sig);

// vid = nonce || secretbox(derived caveat key, nonce, key = current signature).
Bytes seal_caveat_key(const MacaroonSignature& sig, const Digest& derived_caveat_key,
                      const CaveatNonce& nonce);
std::optional<Digest> open_caveat_key(const MacaroonSignature& sig, ByteView vid);

}  // namespace westworld::capability::macaroon_chain

#include "westworld/capability/macaroon.h"

#include "macaroon_crypto.h"

namespace westworld::capability {

Macaroon Macaroon::mint(ByteView root_key, ByteView identifier, std::string location) {
  Digest derived = macaroon_chain::derive_key(root_key);
  MacaroonSignature sig = macaroon_chain::start(derived, identifier);
  sodium_memzero(derived.data(), derived.size());
  return Macaroon(std::move(location), Bytes(identifier.begin(), identifier.end()), {}, sig);
}

Macaroon::Macaroon(std::string location, Bytes identifier, std::vector<Caveat> caveats,
                   MacaroonSignature signature)
    : location_(std::move(location)),
      identifier_(std::move(identifier)),
      caveats_(std::move(caveats)),
      signature_(signature) {}

void Macaroon::add_first_party_caveat(std::string_view predicate) {
  caveats_.push_back(Caveat{to_bytes(predicate), {}, {}});
  signature_ = macaroon_chain::add_first_party(signature_, as_bytes(predicate));
}

void Macaroon::add_third_party_caveat(std::string location, ByteView caveat_key,
                                      ByteView caveat_id) {
  CaveatNonce nonce;
  random_bytes(nonce);
  add_third_party_caveat(std::move(location), caveat_key, caveat_id, nonce);
}

void Macaroon::add_third_party_caveat(std::string location, ByteView caveat_key, ByteView caveat_id,
                                      const CaveatNonce& nonce) {
  Digest derived = macaroon_chain::derive_key(caveat_key);
  Bytes vid = macaroon_chain::seal_caveat_key(signature_, derived, nonce);
  sodium_memzero(derived.data(), derived.size());
  signature_ = macaroon_chain::add_third_party(signature_, vid, caveat_id);
  caveats_.push_back(
      Caveat{Bytes(caveat_id.begin(), caveat_id.end()), std::move(vid), std::move(location)});
}

Macaroon Macaroon::bound_to(const Macaroon& root) const {
  Macaroon bound = *this;
  bound.signature_ = macaroon_chain::bind(root.signature_, signature_);
  return bound;
}

}  // namespace westworld::capability

// Macaroons (Birgisson et al., NDSS 2014) with the key derivation, third-party caveat
// encryption and discharge binding of libmacaroons/pymacaroons, so tokens interoperate.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "westworld/capability/bytes.h"

namespace westworld::capability {

using MacaroonSignature = std::array<std::uint8_t, 32>;
using CaveatNonce = std::array<std::uint8_t, 24>;  // XSalsa20-Poly1305 nonce

struct Caveat {
  // First party: the predicate text. Third party: the id the third party discharges.
  Bytes identifier;
  // Third party only: nonce || secretbox(derived caveat key) under the chain signature.
  Bytes verification_id;
  // Third party only: where the holder obtains the discharge.
  std::string location;

  bool is_third_party() const { return !verification_id.empty(); }
  bool operator==(const Caveat&) const = default;
};

class Macaroon {
 public:
  static Macaroon mint(ByteView root_key, ByteView identifier, std::string location = {});

  // Assembles a macaroon from parts (the parser does); nothing is verified here.
  Macaroon(std::string location, Bytes identifier, std::vector<Caveat> caveats,
           MacaroonSignature signature);

  // Attenuation only ever appends, so every caveat already present keeps applying.
  void add_first_party_caveat(std::string_view predicate);
  // `caveat_key` is the secret shared with the third party; it mints the discharge with it.
  void add_third_party_caveat(std::string location, ByteView caveat_key, ByteView caveat_id);
  // As above with a caller-chosen nonce: only for reproducing reference vectors.
  void add_third_party_caveat(std::string location, ByteView caveat_key, ByteView caveat_id,
                              const CaveatNonce& nonce);

  // The discharge as it must travel with `root`: its signature bound to root's, so it
  // cannot be lifted and replayed with another token.
  Macaroon bound_to(const Macaroon& root) const;

  const std::string& location() const { return location_; }
  const Bytes& identifier() const { return identifier_; }
  const std::vector<Caveat>& caveats() const { return caveats_; }
  const MacaroonSignature& signature() const { return signature_; }

  bool operator==(const Macaroon&) const = default;

 private:
  std::string location_;
  Bytes identifier_;
  std::vector<Caveat> caveats_;
  MacaroonSignature signature_{};
};

}  // namespace westworld::capability

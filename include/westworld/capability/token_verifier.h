// Decides whether a capability token authorises a request: the signature chain holds and
// every caveat of the token and of the discharges it relies on holds for the request.
#pragma once

#include <span>
#include <string>

#include "westworld/capability/bytes.h"
#include "westworld/capability/caveat.h"
#include "westworld/capability/clock.h"
#include "westworld/capability/macaroon.h"

namespace westworld::capability {

struct TokenVerdict {
  bool ok = false;
  std::string caveat;  // the caveat that failed, verbatim; empty if the token itself is bad
  std::string reason;

  // One line for operators: "caveat 'node = n1' failed: the request is for node n2", with
  // control characters and bytes that are not UTF-8 escaped (common::printable).
  std::string describe() const;
};

class TokenVerifier {
 public:
  explicit TokenVerifier(const Clock& clock = system_clock()) : clock_(clock) {}

  TokenVerdict verify(const Macaroon& token, ByteView root_key,
                      std::span<const Macaroon> discharges, const RequestContext& request) const;

 private:
  const Clock& clock_;
};

}  // namespace westworld::capability

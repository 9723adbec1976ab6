// An emergency override as a control message (and as the file operators pass around to
// sign) and back: times in RFC 3339 UTC, the nonce in hex, keys and signatures in base64.
#pragma once

#include <span>
#include <vector>

#include "westworld/charter/emergency_override.h"
#include "westworld/control/messages.h"

namespace westworld::control {

CharterOverrideRequest to_message(const charter::EmergencyOverride& override_,
                                  std::span<const charter::OperatorSignature> signatures);

struct OverrideMessage {
  charter::EmergencyOverride override_;
  std::vector<charter::OperatorSignature> signatures;
};

// Throws std::invalid_argument naming the field that does not parse.
OverrideMessage from_message(const CharterOverrideRequest& message);

}  // namespace westworld::control

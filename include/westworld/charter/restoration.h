// Lifting a charter quarantine. The escalation ladder's third step holds an offender "until a
// governance decision restores it" (escalation.h). The decision is a passed charter_restore
// proposal whose subject is restore_digest() of this node, the offender and the violation that
// put the offender in quarantine: it lifts exactly that quarantine, so a decision that
// restored an offender once cannot be replayed to lift a later one, nor on another node.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "westworld/capability/crypto.h"
#include "westworld/common/clock.h"

namespace westworld::charter {

// SHA-256 over a domain tag, the node id, the offender and the violation id, framed.
capability::Digest restore_digest(std::string_view node, std::string_view offender,
                                  std::int64_t violation);

// One lifted quarantine, as the violation ledger keeps it.
struct Restoration {
  std::string offender;
  std::int64_t violation = 0;  // the violation whose quarantine was lifted
  std::string decision;        // the proposal id (hex) that allowed it
  common::UnixSeconds at;
};

}  // namespace westworld::charter

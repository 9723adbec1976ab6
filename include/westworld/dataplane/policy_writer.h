// Atomic policy swap: the compiled policy is written into the inactive half
// of every double-buffered table, then one store flips ww_active.gen. A
// failure before the flip leaves the running policy untouched.
#pragma once

#include <cstdint>
#include <string>

#include "westworld/dataplane/guard_maps.h"
#include "westworld/policy/compiled_policy.h"

namespace westworld::dataplane {

struct ActivePolicy {
  bool valid = false;
  uint32_t gen = 0;
  ww_policy_config config{};

  // The running policy's digest as the compiler prints it (lowercase hex).
  std::string digest_hex() const;
};

ActivePolicy read_active_policy(const GuardMaps& maps);

// Returns the configuration now live (with its new generation number).
ww_policy_config apply_policy(const GuardMaps& maps, const policy::CompiledPolicy& compiled);

}  // namespace westworld::dataplane

// What the guard enforces: the approved policy, minus the flow rules that emergency
// overrides lifted for now. Lifting takes a rule out (the packets it matched fall through
// to the rules after it and the default), it never rewrites what a rule says.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "westworld/policy/compiled_policy.h"
#include "westworld/policy/model.h"

namespace westworld::agent {

struct EnforcedPolicy {
  policy::CompiledPolicy compiled;  // what the guard runs
  std::string approved_digest;      // the digest of the policy as approved
  std::vector<std::string> lifted;  // the names lifted that the policy has, in rule order
};

// `compiled` is `approved` compiled, when the caller has it already.
EnforcedPolicy enforce(const policy::Policy& approved, const std::set<std::string>& lifted,
                       const policy::CompiledPolicy* compiled = nullptr);

}  // namespace westworld::agent

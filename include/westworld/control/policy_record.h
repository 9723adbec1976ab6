// What the agent remembers about the running policy beyond the maps: the text
// that was approved, where it came from and its rule names (the kernel only
// knows indices). Kept in the state directory so wwctl and a restarted agent
// can read it; a restarted agent keeps enforcing this policy rather than
// whatever its --policy file says (replacing it takes an apply, with credentials).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "westworld/dataplane/status.h"
#include "westworld/policy/compiled_policy.h"

namespace westworld::control {

struct RuleLabel {
  std::string name;
  std::string action;
};

struct PolicyRecord {
  std::string digest;       // the compiled policy's digest (hex): must match the guard's
  std::string source;       // the file or caller it came from
  std::string policy_text;  // the YAML that was applied
  std::vector<RuleLabel> rules;
  // Flow rules of policy_text an emergency override lifted: the guard enforces the policy
  // without them, so `digest` is then not the approved text's (approved_digest is).
  std::vector<std::string> lifted;
  std::string approved_digest;  // empty when nothing is lifted

  dataplane::PolicyLabels labels() const;
};

PolicyRecord make_policy_record(const policy::CompiledPolicy& compiled, std::string source,
                                std::string policy_text);

// Atomic replace (write, fsync, rename). Throws on failure.
void save_policy_record(const std::string& state_dir, const PolicyRecord& record);
// Nothing when there is no record or it does not parse (the caller says what that means).
std::optional<PolicyRecord> load_policy_record(const std::string& state_dir);

}  // namespace westworld::control

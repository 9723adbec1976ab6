#include "westworld/agent/enforced_policy.h"

namespace westworld::agent {

EnforcedPolicy enforce(const policy::Policy& approved, const std::set<std::string>& lifted,
                       const policy::CompiledPolicy* compiled) {
  EnforcedPolicy out;
  policy::CompiledPolicy as_approved = compiled ? *compiled : policy::compile(approved);
  out.approved_digest = as_approved.digest_hex;
  if (lifted.empty()) {
    out.compiled = std::move(as_approved);
    return out;
  }
  policy::Policy remaining = approved;
  remaining.flows.clear();
  for (const policy::FlowRule& rule : approved.flows) {
    if (lifted.contains(rule.name))
      out.lifted.push_back(rule.name);
    else
      remaining.flows.push_back(rule);
  }
  out.compiled = out.lifted.empty() ? std::move(as_approved) : policy::compile(remaining);
  return out;
}

}  // namespace westworld::agent

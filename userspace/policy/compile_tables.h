// Builders of the per-field tables of a compiled policy. Each table maps a
// packet field value to the set of rules that can match on that field alone.
#pragma once

#include <array>
#include <vector>

#include "westworld/abi.h"
#include "westworld/policy/compiled_policy.h"
#include "westworld/policy/model.h"

namespace westworld::policy {

using ProtocolTable = std::array<std::array<RuleSet, 256>, WW_DIR_MAX>;

std::vector<PrefixEntry> build_prefix_table(const std::vector<FlowRule>& rules,
                                            std::vector<Cidr> FlowRule::*field);
PortTable build_port_table(const std::vector<FlowRule>& rules,
                           std::vector<PortRange> FlowRule::*field);
ProtocolTable build_protocol_table(const std::vector<FlowRule>& rules);

}  // namespace westworld::policy

#include "compile_tables.h"

namespace westworld::policy {
namespace {

bool applies(const FlowRule& rule, int direction) {
  return direction == WW_DIR_INGRESS ? rule.directions.ingress : rule.directions.egress;
}

}  // namespace

ProtocolTable build_protocol_table(const std::vector<FlowRule>& rules) {
  ProtocolTable table;
  for (int direction = 0; direction < WW_DIR_MAX; ++direction) {
    RuleSet any_protocol(rules.size());
    for (uint32_t i = 0; i < rules.size(); ++i) {
      if (applies(rules[i], direction) && rules[i].protocol == Protocol::any) any_protocol.set(i);
    }
    table[direction].fill(any_protocol);
    for (uint32_t i = 0; i < rules.size(); ++i) {
      if (applies(rules[i], direction) && rules[i].protocol != Protocol::any) {
        table[direction][ip_protocol(rules[i].protocol)].set(i);
      }
    }
  }
  return table;
}

}  // namespace westworld::policy

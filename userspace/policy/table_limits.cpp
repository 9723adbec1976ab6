#include "table_limits.h"

#include <set>

#include "westworld/abi.h"

namespace westworld::policy {
namespace {

size_t prefix_entries(const std::vector<FlowRule>& rules, std::vector<Cidr> FlowRule::*field) {
  std::set<Cidr> prefixes = {*parse_cidr("0.0.0.0/0"), *parse_cidr("::/0")};
  for (const FlowRule& rule : rules) prefixes.insert((rule.*field).begin(), (rule.*field).end());
  return prefixes.size();
}

// Elementary intervals before adjacent ones with equal rule sets are merged:
// an upper bound of what the compiler emits.
size_t port_intervals(const std::vector<FlowRule>& rules, std::vector<PortRange> FlowRule::*field) {
  std::set<uint32_t> starts = {0};
  for (const FlowRule& rule : rules) {
    for (const PortRange& range : rule.*field) {
      starts.insert(range.first);
      if (range.last < 65535) starts.insert(range.last + 1u);
    }
  }
  return starts.size();
}

}  // namespace

void check_table_limits(const std::vector<FlowRule>& rules, SourceLocation flows_at,
                        DiagnosticSink& sink) {
  for (auto [name, field] : {std::pair("src", &FlowRule::src), std::pair("dst", &FlowRule::dst)}) {
    size_t entries = prefix_entries(rules, field);
    if (entries > WW_MAX_PREFIXES) {
      sink.error(flows_at, std::string("the rules use ") + std::to_string(entries) + " " + name +
                               " prefixes; the data plane holds at most " +
                               std::to_string(WW_MAX_PREFIXES));
    }
  }
  for (auto [name, field] : {std::pair("src_ports", &FlowRule::src_ports),
                             std::pair("dst_ports", &FlowRule::dst_ports)}) {
    // One more vector, for packets without ports, shares the table.
    size_t vectors = port_intervals(rules, field) + 1;
    if (vectors > WW_MAX_INTERVALS) {
      sink.error(flows_at, std::string("the rules split ") + name + " into " +
                               std::to_string(vectors - 1) +
                               " port intervals; the data plane holds at most " +
                               std::to_string(WW_MAX_INTERVALS - 1));
    }
  }
}

}  // namespace westworld::policy

#include <algorithm>

#include "compile_tables.h"

namespace westworld::policy {
namespace {

// A port range of one rule opens at `port` or closes just before it.
struct Edge {
  uint32_t port;
  uint32_t rule;
  bool opens;
};

}  // namespace

uint32_t PortTable::interval_of(uint16_t port) const {
  auto after = std::upper_bound(starts.begin(), starts.end(), port);
  return static_cast<uint32_t>(after - starts.begin()) - 1;
}

// A sweep over the range edges in port order: the set of open rules changes
// only at edges, so each elementary interval costs one set copy. A rule's own
// ranges may overlap, hence a count of open ranges per rule.
PortTable build_port_table(const std::vector<FlowRule>& rules,
                           std::vector<PortRange> FlowRule::*field) {
  RuleSet any_port(rules.size());
  std::vector<Edge> edges;
  for (uint32_t i = 0; i < rules.size(); ++i) {
    const std::vector<PortRange>& ranges = rules[i].*field;
    if (ranges.empty()) any_port.set(i);
    for (const PortRange& range : ranges) {
      edges.push_back({range.first, i, true});
      if (range.last < 65535) edges.push_back({range.last + 1u, i, false});
    }
  }
  std::sort(edges.begin(), edges.end(),
            [](const Edge& a, const Edge& b) { return a.port < b.port; });

  PortTable table;
  table.no_ports = any_port;
  RuleSet open = any_port;
  std::vector<uint32_t> open_ranges(rules.size(), 0);
  size_t next = 0;
  uint32_t boundary = 0;
  while (true) {
    for (; next < edges.size() && edges[next].port == boundary; ++next) {
      const Edge& edge = edges[next];
      if (edge.opens && open_ranges[edge.rule]++ == 0) open.set(edge.rule);
      if (!edge.opens && --open_ranges[edge.rule] == 0) open.reset(edge.rule);
    }
    // Neighbours with the same rules are one interval to the data plane.
    if (table.rules.empty() || !(table.rules.back() == open)) {
      table.starts.push_back(static_cast<uint16_t>(boundary));
      table.rules.push_back(open);
    }
    if (next == edges.size()) break;
    boundary = edges[next].port;
  }
  return table;
}

}  // namespace westworld::policy

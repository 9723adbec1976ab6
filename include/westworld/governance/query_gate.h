// One prometheus(QUERY) gate judged for one sample of a wave: the query asked once (not once
// per router), its answer compared with the threshold. Argo Rollouts and Flagger, fixed where
// they fail open: an empty result, NaN, an error or no Prometheus at all is no data (the
// sample is inconclusive, and the genesis' nodata_limit of those in a row abort), never a
// pass; several series are a failed gate, not a guess at which one was meant.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "westworld/governance/gates.h"
#include "westworld/governance/metric_query.h"

namespace westworld::governance {

inline constexpr std::string_view kNodesPlaceholder = "$nodes";

// `query` with every "$nodes" replaced by the wave's node ids as one regular expression, an
// alternation of the ids with each one's metacharacters escaped, so {node=~"$nodes"} selects
// exactly the wave's routers. $nodes belongs inside a PromQL double-quoted string, so the
// expression is escaped for one as well: ids "r1" and "r.2" give r1|r\\.2 in the query text.
std::string expand_nodes(const std::string& query, const std::vector<std::string>& nodes);

struct QueryGateVerdict {
  enum class Kind : std::uint8_t { pass, fail, no_data } kind = Kind::no_data;
  std::string detail;     // for the wave's verdict: "gate '...' failed: value = 73.5"
  bool answered = false;  // whether Prometheus answered at all
};

// Asks `metrics` (null when the coordinator has no Prometheus) the gate's query for the wave
// of `nodes`, once, and compares the answer (Gate::holds_measured).
QueryGateVerdict judge_query_gate(const Gate& gate, MetricQuery* metrics,
                                  const std::vector<std::string>& nodes);

}  // namespace westworld::governance

// Where a prometheus(QUERY) gate gets its number: an instant query against a metrics store.
// An interface so the rollout state machine can be driven by a fake; the real one asks a
// Prometheus server's HTTP API (prometheus_query.h).
#pragma once

#include <cstdint>
#include <string>

namespace westworld::governance {

// What one instant query returned, as far as a gate cares. Only `value` is ever compared:
// the rest is no data (the sample is inconclusive) or a failed gate, never a pass.
struct QueryResult {
  enum class Kind : std::uint8_t {
    value,       // a scalar, or a vector of exactly one series: `value` (never NaN)
    no_data,     // an answer without a number: an empty vector, NaN, an error status
    unanswered,  // no answer at all: no Prometheus, unreachable, timed out. No data too
    ambiguous,   // more than one series, or not an instant value: which one would it be?
  };
  Kind kind = Kind::no_data;
  double value = 0;
  std::string detail;  // why it is not a value, for the wave's verdict and people
};

class MetricQuery {
 public:
  virtual ~MetricQuery() = default;
  // `promql` as it goes to the server ($nodes already expanded). Never throws: failures are
  // results.
  virtual QueryResult query(const std::string& promql) = 0;
};

}  // namespace westworld::governance

// A stand-in for the coordinator's Prometheus: answers every instant query with the HTTP
// reply a test set (read by the real read_prometheus_reply), or not at all, and remembers
// what it was asked.
#pragma once

#include <string>
#include <vector>

#include "westworld/governance/metric_query.h"
#include "westworld/governance/prometheus_query.h"

namespace westworld::governance::testing {

// The API's success envelope around `data`.
inline std::string success_body(const std::string& data) {
  return R"({"status":"success","data":)" + data + "}";
}

// An instant vector of series with these values ("12.5", "NaN"), one node label each.
inline std::string vector_body(const std::vector<std::string>& values) {
  std::string result;
  for (std::size_t i = 0; i < values.size(); ++i)
    result += std::string(i == 0 ? "" : ",") + R"({"metric":{"node":"r)" + std::to_string(i) +
              R"("},"value":[1790000000.5,")" + values[i] + R"("]})";
  return success_body(R"({"resultType":"vector","result":[)" + result + "]}");
}

class FakeMetrics final : public MetricQuery {
 public:
  unsigned status = 200;
  std::string body = vector_body({"0"});
  bool reachable = true;
  std::vector<std::string> asked;

  void answer(const std::vector<std::string>& values) { body = vector_body(values); }

  QueryResult query(const std::string& promql) override {
    asked.push_back(promql);
    if (!reachable) return {QueryResult::Kind::unanswered, 0, "connect: Connection refused"};
    return read_prometheus_reply(status, body);
  }
};

}  // namespace westworld::governance::testing

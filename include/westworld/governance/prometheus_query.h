// The coordinator's Prometheus: prometheus(QUERY) gates are asked of it as instant queries
// (GET PREFIX/api/v1/query?query=...). Its URL is the coordinator's configuration
// (westworld-agent --gov-prometheus), never the proposal's: members sign what is asked and
// the limit, the operator of the coordinator says where.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "westworld/governance/metric_query.h"

namespace westworld::governance {

struct PrometheusEndpoint {
  std::string url;   // as given, for messages
  std::string host;  // an IP literal (no DNS on the coordinator's thread)
  std::uint16_t port = 80;
  std::string prefix;  // the server's --web.route-prefix, without the trailing '/'
};

// "http://HOST[:PORT][/PREFIX]" with HOST an IPv4 literal, [IPv6] or localhost (127.0.0.1).
// Throws std::invalid_argument naming what is wrong (https, a host name, a query string...).
PrometheusEndpoint parse_prometheus_url(const std::string& url);

// Reads the API's answer to an instant query (HTTP status and body) into a gate's terms:
// success with a scalar or a one-series vector is a value; an empty vector, NaN, an error
// status, or a body that is not the API's JSON is no data; several series, a range vector
// or a string is ambiguous.
QueryResult read_prometheus_reply(unsigned http_status, const std::string& body);

class PrometheusQuery final : public MetricQuery {
 public:
  // `timeout` bounds each query: connecting, asking and reading the answer.
  explicit PrometheusQuery(PrometheusEndpoint endpoint,
                           std::chrono::milliseconds timeout = std::chrono::seconds(3));
  QueryResult query(const std::string& promql) override;
  const PrometheusEndpoint& endpoint() const { return endpoint_; }

 private:
  PrometheusEndpoint endpoint_;
  std::chrono::milliseconds timeout_;
};

}  // namespace westworld::governance

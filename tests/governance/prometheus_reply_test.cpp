// The coordinator's Prometheus: which URLs --gov-prometheus takes, and how each answer of the
// instant query API reads for a gate (https://prometheus.io/docs/prometheus/latest/querying/api/).
#include <gtest/gtest.h>

#include <limits>

#include "fake_metrics.h"
#include "westworld/governance/prometheus_query.h"

namespace westworld::governance {
namespace {

using testing::success_body;
using testing::vector_body;
using Kind = QueryResult::Kind;

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

TEST(PrometheusUrl, GoodUrls) {
  struct Case {
    std::string url;
    std::string host;
    std::uint16_t port;
    std::string prefix;
  };
  const std::vector<Case> cases = {
      {"http://127.0.0.1:9090", "127.0.0.1", 9090, ""},
      {"http://127.0.0.1:9090/", "127.0.0.1", 9090, ""},
      {"http://localhost:9090", "127.0.0.1", 9090, ""},
      {"http://[::1]:9090/prometheus/", "::1", 9090, "/prometheus"},
      {"http://192.0.2.7", "192.0.2.7", 80, ""},
      {"http://10.1.2.3:65535/a/b", "10.1.2.3", 65535, "/a/b"},
  };
  for (const Case& c : cases) {
    const PrometheusEndpoint e = parse_prometheus_url(c.url);
    EXPECT_EQ(e.url, c.url);
    EXPECT_EQ(e.host, c.host) << c.url;
    EXPECT_EQ(e.port, c.port) << c.url;
    EXPECT_EQ(e.prefix, c.prefix) << c.url;
  }
}

TEST(PrometheusUrl, BadUrlsAreRefused) {
  struct Case {
    std::string url;
    std::string says;
  };
  const std::vector<Case> cases = {
      {"https://127.0.0.1:9090", "https is not supported"},
      {"127.0.0.1:9090", "must be http://HOST[:PORT][/PREFIX]"},
      {"", "must be http://"},
      {"http://prometheus.example:9090",
       "must be an IP address or localhost, not "
       "'prometheus.example'"},
      {"http://:9090", "must be an IP address"},
      {"http://127.0.0.1:0", "the port '0' is not 1 to 65535"},
      {"http://127.0.0.1:65536", "the port '65536'"},
      {"http://127.0.0.1:x", "the port 'x'"},
      {"http://127.0.0.1:", "the port ''"},
      {"http://[::1", "closing ']'"},
      {"http://[nope]:9090", "'nope' is not an IPv6 address"},
      {"http://127.0.0.1:9090/?x=1", "no user, query string or fragment"},
      {"http://user@127.0.0.1:9090", "no user"},
  };
  for (const Case& c : cases) {
    try {
      parse_prometheus_url(c.url);
      ADD_FAILURE() << c.url << " was accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_TRUE(contains(e.what(), c.says)) << c.url << " -> " << e.what();
      EXPECT_TRUE(contains(e.what(), "'" + c.url + "'")) << e.what();
    }
  }
}

TEST(PrometheusReply, ValuesAreRead) {
  QueryResult r = read_prometheus_reply(200, vector_body({"42.25"}));
  EXPECT_EQ(r.kind, Kind::value) << r.detail;
  EXPECT_DOUBLE_EQ(r.value, 42.25);

  r = read_prometheus_reply(
      200, success_body(R"({"resultType":"scalar","result":[1790000000.123,"7"]})"));
  EXPECT_EQ(r.kind, Kind::value) << r.detail;
  EXPECT_DOUBLE_EQ(r.value, 7);

  struct Case {
    std::string text;
    double value;
  };
  const double inf = std::numeric_limits<double>::infinity();
  for (const Case& c :
       std::vector<Case>{{"-3", -3}, {"1e3", 1000}, {"+Inf", inf}, {"-Inf", -inf}}) {
    r = read_prometheus_reply(200, vector_body({c.text}));
    EXPECT_EQ(r.kind, Kind::value) << c.text << ": " << r.detail;
    EXPECT_EQ(r.value, c.value) << c.text;
  }
}

TEST(PrometheusReply, WhatIsNoData) {
  struct Case {
    std::string name;
    unsigned status;
    std::string body;
    std::string says;
  };
  const std::vector<Case> cases = {
      {"an empty vector", 200, vector_body({}), "the query selected nothing"},
      {"NaN", 200, vector_body({"NaN"}), "the value is NaN"},
      {"a scalar NaN", 200, success_body(R"({"resultType":"scalar","result":[1,"NaN"]})"),
       "the value is NaN"},
      {"a value that is no number", 200, vector_body({"lots"}), "'lots' is not a number"},
      {"a bad query", 400,
       R"({"status":"error","errorType":"bad_data","error":"1:5: parse error"})",
       "HTTP 400, Prometheus says bad_data: 1:5: parse error"},
      {"an error status with 200", 200, R"({"status":"error","errorType":"internal"})",
       "Prometheus says internal"},
      {"a proxy's error page", 502, "<html>Bad Gateway</html>", "HTTP 502, and the body is not"},
      {"success, but not 200", 204, vector_body({"1"}), "HTTP 204"},
      {"no data field", 200, R"({"status":"success"})", "no data"},
      {"no result field", 200, success_body(R"({"resultType":"vector"})"), "no result"},
      {"a series without a float", 200,
       success_body(R"({"resultType":"vector","result":[{"metric":{},"histogram":[1,{}]}]})"),
       "no float value"},
      {"an unknown result type", 200, success_body(R"({"resultType":"tensor","result":[]})"),
       "unknown result type 'tensor'"},
      {"not JSON", 200, "{", "not the query API's JSON"},
  };
  for (const Case& c : cases) {
    const QueryResult r = read_prometheus_reply(c.status, c.body);
    EXPECT_EQ(r.kind, Kind::no_data) << c.name << ": " << r.detail;
    EXPECT_TRUE(contains(r.detail, c.says)) << c.name << ": " << r.detail;
  }
}

// Several series, a range vector or a string: no one number to compare, and no transient
// condition will change that. A failed gate, at once.
TEST(PrometheusReply, WhatIsAmbiguous) {
  QueryResult r = read_prometheus_reply(200, vector_body({"1", "2", "3"}));
  EXPECT_EQ(r.kind, Kind::ambiguous);
  EXPECT_TRUE(contains(r.detail, "returned 3 series")) << r.detail;
  r = read_prometheus_reply(
      200, success_body(R"({"resultType":"matrix","result":[{"metric":{},"values":[[1,"1"]]}]})"));
  EXPECT_EQ(r.kind, Kind::ambiguous);
  EXPECT_TRUE(contains(r.detail, "returns a matrix, not one number")) << r.detail;
  r = read_prometheus_reply(200, success_body(R"({"resultType":"string","result":[1,"x"]})"));
  EXPECT_EQ(r.kind, Kind::ambiguous);
}

}  // namespace
}  // namespace westworld::governance

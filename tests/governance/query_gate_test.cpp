// A prometheus(QUERY) gate judged for one sample: $nodes becomes the wave's routers as an
// escaped regex alternation, the query is asked once, and only a number within the threshold
// passes; nothing, NaN, an error or no Prometheus is no data, several series a failure.
#include "westworld/governance/query_gate.h"

#include <gtest/gtest.h>

#include "fake_metrics.h"

namespace westworld::governance {
namespace {

using testing::FakeMetrics;
using Kind = QueryGateVerdict::Kind;

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

TEST(QueryGate, NodesBecomeAnEscapedAlternation) {
  EXPECT_EQ(expand_nodes(R"(up{node=~"$nodes"})", {"r1", "r2"}), R"(up{node=~"r1|r2"})");
  EXPECT_EQ(expand_nodes(R"(up{node=~"$nodes"})", {"r1"}), R"(up{node=~"r1"})");
  // Regex metacharacters are escaped (r.2 must not select r-2), and then the backslashes and
  // quotes for the PromQL double-quoted string $nodes stands in.
  EXPECT_EQ(expand_nodes(R"(up{node=~"$nodes"})", {"r.2", "a|b", "x+(y)", R"(q"t)"}),
            R"(up{node=~"r\\.2|a\\|b|x\\+\\(y\\)|q\"t"})");
  EXPECT_EQ(expand_nodes("$nodes", {R"(*?[]{}^$\)"}), R"(\\*\\?\\[\\]\\{\\}\\^\\$\\\\)");
  // Every occurrence, and nothing else.
  EXPECT_EQ(expand_nodes(R"(a{node=~"$nodes"} / b{node=~"$nodes"})", {"r1", "r2"}),
            R"(a{node=~"r1|r2"} / b{node=~"r1|r2"})");
  EXPECT_EQ(expand_nodes("sum(up)", {"r1"}), "sum(up)");
  EXPECT_EQ(expand_nodes("$node $nodesX", {"r1"}), "$node r1X");
}

TEST(QueryGate, TheQueryIsAskedOnceWithTheWaveExpanded) {
  FakeMetrics prometheus;
  prometheus.answer({"12.5"});
  const Gate gate = parse_gate(R"(prometheus(sum(drops{node=~"$nodes"})) <= 50)");
  const QueryGateVerdict verdict = judge_query_gate(gate, &prometheus, {"r1", "r2", "r3"});
  EXPECT_EQ(verdict.kind, Kind::pass) << verdict.detail;
  EXPECT_TRUE(verdict.answered);
  EXPECT_EQ(verdict.detail, "gate '" + gate.text() + "' holds: value = 12.5");
  EXPECT_EQ(prometheus.asked, (std::vector<std::string>{R"(sum(drops{node=~"r1|r2|r3"}))"}));
}

TEST(QueryGate, Verdicts) {
  const Gate gate = parse_gate("prometheus(sum(drops)) <= 50");
  struct Case {
    std::string name;
    std::vector<std::string> values;  // the series in the answer
    Kind kind;
    std::string says;
  };
  const std::vector<Case> cases = {
      {"within", {"49.75"}, Kind::pass, "holds: value = 49.75"},
      {"at the threshold", {"50"}, Kind::pass, "holds: value = 50"},
      {"over", {"50.5"}, Kind::fail, "failed: value = 50.5"},
      {"far over", {"+Inf"}, Kind::fail, "failed: value = inf"},
      {"nothing selected", {}, Kind::no_data, "no data: the query selected nothing"},
      {"NaN", {"NaN"}, Kind::no_data, "no data: the value is NaN"},
      {"two series", {"1", "2"}, Kind::fail, "failed: the query returned 2 series"},
  };
  for (const Case& c : cases) {
    FakeMetrics prometheus;
    prometheus.answer(c.values);
    const QueryGateVerdict verdict = judge_query_gate(gate, &prometheus, {"r1"});
    EXPECT_EQ(verdict.kind, c.kind) << c.name << ": " << verdict.detail;
    EXPECT_TRUE(contains(verdict.detail, "gate 'prometheus(sum(drops)) <= 50'")) << verdict.detail;
    EXPECT_TRUE(contains(verdict.detail, c.says)) << c.name << ": " << verdict.detail;
    EXPECT_TRUE(verdict.answered) << c.name;
  }
}

TEST(QueryGate, NoAnswerIsNoData) {
  const Gate gate = parse_gate("prometheus(sum(drops)) <= 50");
  FakeMetrics prometheus;
  prometheus.reachable = false;
  QueryGateVerdict verdict = judge_query_gate(gate, &prometheus, {"r1"});
  EXPECT_EQ(verdict.kind, Kind::no_data);
  EXPECT_FALSE(verdict.answered);
  EXPECT_TRUE(contains(verdict.detail, "no data: connect: Connection refused")) << verdict.detail;

  prometheus.reachable = true;
  prometheus.status = 503;
  prometheus.body = R"({"status":"error","errorType":"timeout","error":"query timed out"})";
  verdict = judge_query_gate(gate, &prometheus, {"r1"});
  EXPECT_EQ(verdict.kind, Kind::no_data);
  EXPECT_TRUE(verdict.answered);
  EXPECT_TRUE(contains(verdict.detail, "HTTP 503, Prometheus says timeout: query timed out"))
      << verdict.detail;

  verdict = judge_query_gate(gate, nullptr, {"r1"});  // no --gov-prometheus
  EXPECT_EQ(verdict.kind, Kind::no_data);
  EXPECT_FALSE(verdict.answered);
  EXPECT_TRUE(contains(verdict.detail, "no Prometheus to ask (--gov-prometheus)"))
      << verdict.detail;
}

// An empty alternation would match series without a node label: never the wave's.
TEST(QueryGate, AnEmptyWaveIsNoData) {
  FakeMetrics prometheus;
  const QueryGateVerdict verdict =
      judge_query_gate(parse_gate(R"(prometheus(sum(up{node=~"$nodes"})) >= 1)"), &prometheus, {});
  EXPECT_EQ(verdict.kind, Kind::no_data);
  EXPECT_TRUE(prometheus.asked.empty());
}

}  // namespace
}  // namespace westworld::governance

// Health gates: what parses (and what never may, since an unknown gate must not pass), each
// operator at its boundary, and the signals computed from two status reports; the
// prometheus(QUERY) form, its parentheses, and its float value against the threshold.
#include "westworld/governance/gates.h"

#include <gtest/gtest.h>

#include <limits>
#include <stdexcept>

namespace westworld::governance {
namespace {

// The message of parse_gate's error, or "" when the gate parses.
std::string gate_error(const std::string& text) {
  try {
    parse_gate(text);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(Gates, ValidGatesParse) {
  struct Case {
    std::string text;
    std::string signal;
    GateOp op;
    std::uint64_t threshold;
  };
  const std::vector<Case> cases = {
      {"drop_rate.rule <= 50", "drop_rate.rule", GateOp::le, 50},
      {"restarts == 0", "restarts", GateOp::eq, 0},
      {"quarantines < 1", "quarantines", GateOp::lt, 1},
      {"alerts >= 0", "alerts", GateOp::ge, 0},
      {"drop_rate.default > 3", "drop_rate.default", GateOp::gt, 3},
      {"drop_rate.quota <= 18446744073709551615", "drop_rate.quota", GateOp::le,
       std::numeric_limits<std::uint64_t>::max()},
  };
  for (const Case& c : cases) {
    const Gate gate = parse_gate(c.text);
    EXPECT_EQ(gate.signal, c.signal) << c.text;
    EXPECT_EQ(gate.op, c.op) << c.text;
    EXPECT_EQ(gate.threshold, c.threshold) << c.text;
    EXPECT_EQ(gate.text(), c.text);  // already normalised
  }
  EXPECT_EQ(gates_error(kDefaultGates), std::nullopt);
}

TEST(Gates, TextIsNormalised) {
  EXPECT_EQ(parse_gate("  restarts\t==   0 ").text(), "restarts == 0");
  EXPECT_EQ(parse_gate("alerts < 007").text(), "alerts < 7");
}

TEST(Gates, InvalidGatesAreRefused) {
  struct Case {
    std::string text;
    std::string says;
  };
  const std::vector<Case> cases = {
      {"drop_rate.nonsense <= 1", "unknown signal 'drop_rate.nonsense'"},
      {"cpu <= 1", "unknown signal 'cpu'"},
      {"drop_rate. <= 1", "unknown signal 'drop_rate.'"},
      {"drop_rate <= 1", "unknown signal 'drop_rate'"},
      {"Restarts == 0", "unknown signal 'Restarts'"},
      {"restarts != 0", "unknown operator '!='"},
      {"restarts = 0", "unknown operator '='"},
      {"restarts =< 0", "unknown operator '=<'"},
      {"restarts <= x", "threshold 'x' is not a whole number"},
      {"restarts <= -1", "threshold '-1' is not a whole number"},
      {"restarts <= +1", "threshold '+1' is not a whole number"},
      {"restarts <= 1.5", "threshold '1.5' is not a whole number"},
      {"restarts <= 5x", "threshold '5x' is not a whole number"},
      {"restarts <= 18446744073709551616", "is not a whole number"},  // 2^64
      {"restarts == 0 0", "is not 'SIGNAL OP THRESHOLD'"},
      {"restarts == 0 and alerts == 0", "is not 'SIGNAL OP THRESHOLD'"},
      {"restarts==0", "is not 'SIGNAL OP THRESHOLD'"},
      {"restarts ==", "is not 'SIGNAL OP THRESHOLD'"},
      {"", "is not 'SIGNAL OP THRESHOLD'"},
  };
  for (const Case& c : cases) {
    const std::string error = gate_error(c.text);
    EXPECT_NE(error, "") << c.text << " was accepted";
    EXPECT_NE(error.find(c.says), std::string::npos) << c.text << " -> " << error;
  }
}

TEST(Gates, GatesErrorNamesTheFirstBadGate) {
  const auto error = gates_error({"restarts == 0", "cpu <= 1", "restarts != 0"});
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(error->find("cpu"), std::string::npos) << *error;
  EXPECT_EQ(gates_error({}), std::nullopt);
}

TEST(Gates, EachOperatorAtItsBoundary) {
  auto holds = [](const std::string& text, std::uint64_t value) {
    return parse_gate(text).holds(value);
  };
  EXPECT_TRUE(holds("alerts < 5", 4));
  EXPECT_FALSE(holds("alerts < 5", 5));
  EXPECT_FALSE(holds("alerts < 0", 0));  // nothing is below zero

  EXPECT_TRUE(holds("alerts <= 5", 5));
  EXPECT_FALSE(holds("alerts <= 5", 6));
  EXPECT_TRUE(holds("alerts <= 0", 0));

  EXPECT_TRUE(holds("alerts == 5", 5));
  EXPECT_FALSE(holds("alerts == 5", 4));
  EXPECT_FALSE(holds("alerts == 5", 6));

  EXPECT_TRUE(holds("alerts >= 5", 5));
  EXPECT_FALSE(holds("alerts >= 5", 4));
  EXPECT_TRUE(holds("alerts >= 0", 0));

  EXPECT_TRUE(holds("alerts > 5", 6));
  EXPECT_FALSE(holds("alerts > 5", 5));
  EXPECT_TRUE(holds("alerts > 0", std::numeric_limits<std::uint64_t>::max()));
}

HealthSample report(std::int64_t heartbeat, std::uint64_t rule_drops) {
  HealthSample s;
  s.heartbeat = heartbeat;
  s.started = 1'000;
  s.drops = {{"rule", rule_drops}, {"default", 7}};
  return s;
}

TEST(Gates, DropRateIsTheIncreasePerSecond) {
  const Gate rule = parse_gate("drop_rate.rule <= 50");
  EXPECT_EQ(signal_value(rule, report(2'000, 100), report(2'002, 300)), 100u);
  EXPECT_EQ(signal_value(rule, report(2'000, 100), report(2'010, 100)), 0u);
  // Whole packets per second, rounded down.
  EXPECT_EQ(signal_value(rule, report(2'000, 0), report(2'002, 41)), 20u);
  EXPECT_EQ(signal_value(rule, report(2'000, 0), report(2'010, 9)), 0u);
  // Each reason has its own counter.
  const Gate by_default = parse_gate("drop_rate.default <= 50");
  EXPECT_EQ(signal_value(by_default, report(2'000, 0), report(2'001, 500)), 0u);
  HealthSample after = report(2'001, 0);
  after.drops["default"] = 57;
  EXPECT_EQ(signal_value(by_default, report(2'000, 0), after), 50u);
}

TEST(Gates, AMissingCounterIsZero) {
  const Gate quota = parse_gate("drop_rate.quota <= 0");
  HealthSample before = report(2'000, 0);
  HealthSample after = report(2'005, 0);
  EXPECT_EQ(signal_value(quota, before, after), 0u);  // in neither report
  after.drops["quota"] = 50;
  EXPECT_EQ(signal_value(quota, before, after), 10u);  // counted from zero
}

// An agent that restarted starts its counters over: what it reports after is all new.
TEST(Gates, ACounterThatWentBackwardsCountsFromZero) {
  const Gate rule = parse_gate("drop_rate.rule <= 50");
  EXPECT_EQ(signal_value(rule, report(2'000, 10'000), report(2'002, 60)), 30u);
  EXPECT_EQ(signal_value(rule, report(2'000, 10'000), report(2'002, 0)), 0u);

  HealthSample before = report(2'000, 0), after = report(2'002, 0);
  before.quarantines = 9;
  after.quarantines = 2;
  before.alerts = 4;
  after.alerts = 1;
  EXPECT_EQ(signal_value(parse_gate("quarantines == 0"), before, after), 2u);
  EXPECT_EQ(signal_value(parse_gate("alerts == 0"), before, after), 1u);
}

// Quarantines and alerts are counts, not rates: the seconds between reports do not divide.
TEST(Gates, QuarantinesAndAlertsAreNewOnes) {
  HealthSample before = report(2'000, 0), after = report(2'100, 0);
  before.quarantines = 3;
  after.quarantines = 5;
  before.alerts = 10;
  after.alerts = 17;
  EXPECT_EQ(signal_value(parse_gate("quarantines == 0"), before, after), 2u);
  EXPECT_EQ(signal_value(parse_gate("alerts == 0"), before, after), 7u);
  EXPECT_EQ(signal_value(parse_gate("alerts == 0"), before, before), 0u);
}

TEST(Gates, RestartsIsOneWhenTheAgentStartedAgain) {
  const Gate restarts = parse_gate("restarts == 0");
  HealthSample before = report(2'000, 0), after = report(2'010, 500);
  EXPECT_EQ(signal_value(restarts, before, after), 0u);  // counters do not matter
  after.started = 2'005;
  EXPECT_EQ(signal_value(restarts, before, after), 1u);
  EXPECT_FALSE(restarts.holds(signal_value(restarts, before, after)));
  after.started = before.started - 1;  // any difference, even backwards
  EXPECT_EQ(signal_value(restarts, before, after), 1u);
}

TEST(QueryGates, ValidQueryGatesParse) {
  struct Case {
    std::string text;
    std::string query;
    GateOp op;
    std::uint64_t threshold;
  };
  const std::vector<Case> cases = {
      {R"(prometheus(sum(rate(westworld_drops_total{reason="rule"}[30s]))) <= 50)",
       R"(sum(rate(westworld_drops_total{reason="rule"}[30s])))", GateOp::le, 50},
      {R"(prometheus(up{node=~"$nodes"}) == 1)", R"(up{node=~"$nodes"})", GateOp::eq, 1},
      {"prometheus(scalar(vector(1))) > 0", "scalar(vector(1))", GateOp::gt, 0},
      // Parentheses inside string literals are a label's, not PromQL's: not counted.
      {R"(prometheus(count(http{path="/a(b"})) < 3)", R"(count(http{path="/a(b"}))", GateOp::lt, 3},
      {R"(prometheus(count(http{path='x)\')'})) >= 2)", R"(count(http{path='x)\')'}))", GateOp::ge,
       2},
      {"prometheus(count(http{path=`C:\\)`})) >= 2", "count(http{path=`C:\\)`})", GateOp::ge, 2},
  };
  for (const Case& c : cases) {
    const Gate gate = parse_gate(c.text);
    EXPECT_TRUE(gate.is_query()) << c.text;
    EXPECT_EQ(gate.signal, "prometheus") << c.text;
    EXPECT_EQ(gate.query, c.query) << c.text;
    EXPECT_EQ(gate.op, c.op) << c.text;
    EXPECT_EQ(gate.threshold, c.threshold) << c.text;
    EXPECT_EQ(gate.text(), c.text);  // already normalised
  }
  EXPECT_FALSE(parse_gate("restarts == 0").is_query());
  EXPECT_EQ(gates_error({"restarts == 0", "prometheus(sum(up)) >= 1"}), std::nullopt);
}

// The query is kept as written (it is what the members signed); the rest is normalised.
TEST(QueryGates, TextKeepsTheQueryVerbatim) {
  const Gate gate = parse_gate("  prometheus( sum(up) )\t<=   007 ");
  EXPECT_EQ(gate.query, " sum(up) ");
  EXPECT_EQ(gate.text(), "prometheus( sum(up) ) <= 7");
}

TEST(QueryGates, InvalidQueryGatesAreRefused) {
  struct Case {
    std::string text;
    std::string says;
  };
  const std::vector<Case> cases = {
      {"prometheus(sum(rate(x[1m])) <= 5",
       "unbalanced parentheses: a '(' of the query is never "
       "closed"},
      {"prometheus(up <= 5", "unbalanced parentheses"},
      {"prometheus(up)) <= 5", "unbalanced parentheses: a ')' after the query closes nothing"},
      {R"(prometheus(up{job="a)) <= 5)", "a string in the query is not closed"},
      {"prometheus(up) 5", "after the query comes 'OP THRESHOLD', not ' 5'"},
      {"prometheus(up)", "after the query comes 'OP THRESHOLD'"},
      {"prometheus(up)<=5", "after the query comes 'OP THRESHOLD', not '<=5'"},
      {"prometheus(up) <= 5 extra", "after the query comes 'OP THRESHOLD'"},
      {"prometheus(up) != 5", "unknown operator '!='"},
      {"prometheus(up) <= 0.5", "threshold '0.5' is not a whole number"},
      {"prometheus(up) <= -1", "threshold '-1' is not a whole number"},
      {"prometheus() <= 5", "the query is empty"},
      {"prometheus(  ) <= 5", "the query is empty"},
      {"prometheus (up) <= 5", "is not 'SIGNAL OP THRESHOLD'"},
      {"Prometheus(up) <= 5", "unknown signal 'Prometheus(up)'"},
      {"prometheus <= 5", "unknown signal 'prometheus'"},
  };
  for (const Case& c : cases) {
    const std::string error = gate_error(c.text);
    EXPECT_NE(error, "") << c.text << " was accepted";
    EXPECT_NE(error.find(c.says), std::string::npos) << c.text << " -> " << error;
  }
  const auto error = gates_error({"restarts == 0", "prometheus(sum(up) <= 1"});
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(error->find("unbalanced parentheses"), std::string::npos) << *error;
}

// A query's value is a double, compared as is with the whole-number threshold.
TEST(QueryGates, TheValueIsComparedAsADouble) {
  auto holds = [](const std::string& op, double value) {
    return parse_gate("prometheus(up) " + op + " 50").holds_measured(value);
  };
  EXPECT_TRUE(holds("<=", 50.0));
  EXPECT_FALSE(holds("<=", 50.0001));  // not rounded down to 50
  EXPECT_TRUE(holds("<=", -3.5));
  EXPECT_TRUE(holds("<", 49.999));
  EXPECT_FALSE(holds("<", 50.0));
  EXPECT_TRUE(holds("==", 50.0));
  EXPECT_FALSE(holds("==", 50.5));
  EXPECT_TRUE(holds(">=", 50.0));
  EXPECT_FALSE(holds(">=", 49.9));
  EXPECT_TRUE(holds(">", 50.25));
  EXPECT_FALSE(holds(">", 50.0));
  EXPECT_FALSE(holds("<=", std::numeric_limits<double>::infinity()));
  EXPECT_TRUE(holds("<=", -std::numeric_limits<double>::infinity()));
}

}  // namespace
}  // namespace westworld::governance

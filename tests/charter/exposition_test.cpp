#include "westworld/charter/exposition.h"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

namespace westworld::charter {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;
using Labels = std::vector<ClientMetric::Label>;

// Every field prometheus-cpp has, doubles in hex so nothing is rounded away and NaN equals
// NaN: two parses are the same exactly when these texts are.
std::string fields(const std::vector<MetricFamily>& families) {
  std::ostringstream out;
  out << std::hexfloat;
  for (const auto& family : families) {
    out << family.name << " help=" << family.help << " type=" << static_cast<int>(family.type)
        << "\n";
    for (const auto& m : family.metric) {
      for (const auto& label : m.label) out << label.name << "=" << label.value << ";";
      out << " c=" << m.counter.value << " g=" << m.gauge.value << " u=" << m.untyped.value
          << " t=" << m.timestamp_ms << " s=" << m.summary.sample_count << "/"
          << m.summary.sample_sum << " h=" << m.histogram.sample_count << "/"
          << m.histogram.sample_sum;
      for (const auto& q : m.summary.quantile) out << " q" << q.quantile << "=" << q.value;
      for (const auto& b : m.histogram.bucket)
        out << " le" << b.upper_bound << "=" << b.cumulative_count;
      out << "\n";
    }
  }
  return out.str();
}

ExpositionError error_of(std::string_view text, const ExpositionLimits& limits = {}) {
  try {
    parse_exposition(text, limits);
  } catch (const ExpositionError& error) {
    return error;
  }
  ADD_FAILURE() << "accepted: " << text;
  return ExpositionError(0, "accepted");
}

TEST(CharterExposition, ReadsCountersGaugesAndUntypedWithHelpAndType) {
  auto families = parse_exposition(
      "# HELP http_requests_total Requests served.\n"
      "# TYPE http_requests_total counter\n"
      "http_requests_total{method=\"get\",code=\"200\"} 1027\n"
      "http_requests_total{ code = \"400\" , method=\"post\", } 3\n"
      "\n"
      "# A plain comment, ignored.\n"
      "# HELP temperature_celsius Room temperature.\n"
      "# TYPE temperature_celsius gauge\n"
      "temperature_celsius\t-3.5e1\n"
      "# TYPE queue_depth untyped\n"
      "queue_depth 7\n"
      "bare_metric 1.5\n");
  ASSERT_EQ(families.size(), 4u);

  EXPECT_EQ(families[0].name, "http_requests_total");
  EXPECT_EQ(families[0].help, "Requests served.");
  EXPECT_EQ(families[0].type, MetricType::Counter);
  ASSERT_EQ(families[0].metric.size(), 2u);
  EXPECT_EQ(families[0].metric[0].label, (Labels{{"method", "get"}, {"code", "200"}}));
  EXPECT_EQ(families[0].metric[0].counter.value, 1027);
  EXPECT_EQ(families[0].metric[1].label, (Labels{{"code", "400"}, {"method", "post"}}));
  EXPECT_EQ(families[0].metric[1].counter.value, 3);

  EXPECT_EQ(families[1].name, "temperature_celsius");
  EXPECT_EQ(families[1].type, MetricType::Gauge);
  ASSERT_EQ(families[1].metric.size(), 1u);
  EXPECT_EQ(families[1].metric[0].gauge.value, -35);

  EXPECT_EQ(families[2].name, "queue_depth");
  EXPECT_EQ(families[2].type, MetricType::Untyped);
  EXPECT_EQ(families[2].metric[0].untyped.value, 7);

  EXPECT_EQ(families[3].name, "bare_metric");
  EXPECT_EQ(families[3].type, MetricType::Untyped);
  EXPECT_EQ(families[3].help, "");
  EXPECT_EQ(families[3].metric[0].untyped.value, 1.5);
}

TEST(CharterExposition, LabelEscapesRoundTripThroughSerialization) {
  auto families = parse_exposition(
      "# TYPE paths gauge\n"
      "paths{path=\"C:\\\\dir\\\\file\",quote=\"say \\\"hi\\\"\",multi=\"a\\nb\",utf=\"grüße\"} 1\n"
      "# TYPE rpc histogram\n"
      "rpc_bucket{le=\"0.1\"} 1 1700000000000\n"
      "rpc_bucket{le=\"+Inf\"} 3 1700000000000\n"
      "rpc_sum 0.3333333333333333 1700000000000\n"
      "# TYPE q summary\n"
      "q{quantile=\"0.5\"} NaN\n"
      "q_count 0\n");
  ASSERT_EQ(families.size(), 3u);
  EXPECT_EQ(families[0].metric[0].label, (Labels{{"path", "C:\\dir\\file"},
                                                 {"quote", "say \"hi\""},
                                                 {"multi", "a\nb"},
                                                 {"utf", "grüße"}}));

  std::string text = serialize_exposition(families);
  EXPECT_NE(text.find(R"(path="C:\\dir\\file")"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(multi="a\nb")"), std::string::npos) << text;
  auto again = parse_exposition(text);
  EXPECT_EQ(fields(again), fields(families));
  EXPECT_EQ(again[1].metric[0].histogram.sample_sum, 1.0 / 3);
}

// prometheus-cpp 1.0.1 prints 16 significant digits, so a value that needs 17 comes back
// one unit in the last place off: the gate's output is that close to the exporter's, no
// closer.
TEST(CharterExposition, SerializationKeepsSixteenDigits) {
  auto again = parse_exposition(serialize_exposition(parse_exposition("a 0.30000000000000004\n")));
  EXPECT_EQ(again[0].metric[0].untyped.value, 0.3);
}

TEST(CharterExposition, HelpEscapesAreReadAndWrittenWithoutForgingLines) {
  auto families = parse_exposition(
      "# HELP a one\\ntwo \\\\ back \\t kept\n"
      "a 1\n"
      "# HELP b x\\n# TYPE forged counter\n"
      "b 1\n");
  ASSERT_EQ(families.size(), 2u);
  EXPECT_EQ(families[0].help, "one\ntwo \\ back \\t kept");
  EXPECT_EQ(families[1].help, "x\n# TYPE forged counter");

  std::string text = serialize_exposition(families);
  EXPECT_NE(text.find("# HELP a one\\ntwo \\\\ back \\\\t kept\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("\n# TYPE forged"), std::string::npos) << text;
  EXPECT_EQ(fields(parse_exposition(text)), fields(families));
}

TEST(CharterExposition, GroupsHistogramSeriesByLabelSet) {
  auto families = parse_exposition(
      "# HELP rpc_seconds RPC latency.\n"
      "# TYPE rpc_seconds histogram\n"
      "rpc_seconds_bucket{service=\"a\",le=\"0.1\"} 1\n"
      "rpc_seconds_bucket{service=\"b\",le=\"0.1\"} 0\n"
      "rpc_seconds_bucket{service=\"a\",le=\"1\"} 4\n"
      "rpc_seconds_bucket{le=\"1\",service=\"b\"} 2\n"
      "rpc_seconds_bucket{service=\"a\",le=\"+Inf\"} 5\n"
      "rpc_seconds_bucket{service=\"b\",le=\"+Inf\"} 2\n"
      "rpc_seconds_sum{service=\"a\"} 2.5\n"
      "rpc_seconds_count{service=\"a\"} 5\n"
      "rpc_seconds_sum{service=\"b\"} 0.75\n");
  ASSERT_EQ(families.size(), 1u);
  const auto& family = families[0];
  EXPECT_EQ(family.type, MetricType::Histogram);
  ASSERT_EQ(family.metric.size(), 2u);

  const auto& a = family.metric[0];
  EXPECT_EQ(a.label, (Labels{{"service", "a"}}));
  ASSERT_EQ(a.histogram.bucket.size(), 3u);
  EXPECT_EQ(a.histogram.bucket[0].upper_bound, 0.1);
  EXPECT_EQ(a.histogram.bucket[0].cumulative_count, 1u);
  EXPECT_EQ(a.histogram.bucket[1].upper_bound, 1);
  EXPECT_EQ(a.histogram.bucket[1].cumulative_count, 4u);
  EXPECT_TRUE(std::isinf(a.histogram.bucket[2].upper_bound));
  EXPECT_EQ(a.histogram.bucket[2].cumulative_count, 5u);
  EXPECT_EQ(a.histogram.sample_count, 5u);
  EXPECT_EQ(a.histogram.sample_sum, 2.5);

  const auto& b = family.metric[1];
  EXPECT_EQ(b.label, (Labels{{"service", "b"}}));
  ASSERT_EQ(b.histogram.bucket.size(), 3u);
  EXPECT_EQ(b.histogram.sample_count, 2u) << "without _count, the +Inf bucket's count";
  EXPECT_EQ(b.histogram.sample_sum, 0.75);
}

TEST(CharterExposition, GroupsSummarySeriesByLabelSet) {
  auto families = parse_exposition(
      "# TYPE rpc_quantiles summary\n"
      "rpc_quantiles{path=\"/x\",quantile=\"0.5\"} 0.2\n"
      "rpc_quantiles{path=\"/y\",quantile=\"0.5\"} NaN\n"
      "rpc_quantiles{path=\"/x\",quantile=\"0.99\"} 1.5\n"
      "rpc_quantiles_sum{path=\"/x\"} 30\n"
      "rpc_quantiles_count{path=\"/x\"} 100\n"
      "rpc_quantiles_count{path=\"/y\"} 0\n"
      "rpc_quantiles_sum{path=\"/y\"} 0\n");
  ASSERT_EQ(families.size(), 1u);
  EXPECT_EQ(families[0].type, MetricType::Summary);
  ASSERT_EQ(families[0].metric.size(), 2u);

  const auto& x = families[0].metric[0];
  EXPECT_EQ(x.label, (Labels{{"path", "/x"}}));
  ASSERT_EQ(x.summary.quantile.size(), 2u);
  EXPECT_EQ(x.summary.quantile[0].quantile, 0.5);
  EXPECT_EQ(x.summary.quantile[0].value, 0.2);
  EXPECT_EQ(x.summary.quantile[1].quantile, 0.99);
  EXPECT_EQ(x.summary.quantile[1].value, 1.5);
  EXPECT_EQ(x.summary.sample_sum, 30);
  EXPECT_EQ(x.summary.sample_count, 100u);

  const auto& y = families[0].metric[1];
  EXPECT_EQ(y.label, (Labels{{"path", "/y"}}));
  ASSERT_EQ(y.summary.quantile.size(), 1u);
  EXPECT_TRUE(std::isnan(y.summary.quantile[0].value));
  EXPECT_EQ(y.summary.sample_count, 0u);
}

TEST(CharterExposition, OpenMetricsCounterTakesTotalAndEndsAtEof) {
  auto families = parse_exposition(
      "# TYPE jobs counter\n"
      "# UNIT jobs jobs\n"
      "# HELP jobs Jobs run.\n"
      "jobs_total{kind=\"batch\"} 17\n"
      "jobs_created{kind=\"batch\"} 1.7e9\n"
      "# TYPE legacy unknown\n"
      "legacy 3\n"
      "# EOF\n"
      "\n");
  ASSERT_EQ(families.size(), 2u);
  EXPECT_EQ(families[0].name, "jobs");
  EXPECT_EQ(families[0].type, MetricType::Counter);
  EXPECT_EQ(families[0].help, "Jobs run.");
  ASSERT_EQ(families[0].metric.size(), 1u) << "the _created sample is dropped";
  EXPECT_EQ(families[0].metric[0].counter.value, 17);
  EXPECT_EQ(families[0].metric[0].label, (Labels{{"kind", "batch"}}));
  EXPECT_EQ(families[1].type, MetricType::Untyped);
  EXPECT_EQ(families[1].metric[0].untyped.value, 3);

  std::string text = serialize_exposition(families);
  EXPECT_NE(text.find("jobs{kind=\"batch\"} 17\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("created"), std::string::npos) << text;
}

TEST(CharterExposition, ReadsNanAndInfinitiesAsGoDoes) {
  auto families = parse_exposition(
      "a NaN\nb +Inf\nc -Inf\nd Inf\ne nan\nf -infinity\ng 1e3\nh .5\ni -0.25E-2\nj +7\n");
  ASSERT_EQ(families.size(), 10u);
  auto value = [&](size_t i) { return families[i].metric[0].untyped.value; };
  EXPECT_TRUE(std::isnan(value(0)));
  EXPECT_EQ(value(1), INFINITY);
  EXPECT_EQ(value(2), -INFINITY);
  EXPECT_EQ(value(3), INFINITY);
  EXPECT_TRUE(std::isnan(value(4)));
  EXPECT_EQ(value(5), -INFINITY);
  EXPECT_EQ(value(6), 1000);
  EXPECT_EQ(value(7), 0.5);
  EXPECT_EQ(value(8), -0.0025);
  EXPECT_EQ(value(9), 7);
}

TEST(CharterExposition, ReadsTimestamps) {
  auto families = parse_exposition("a 1 1700000000000\nb{x=\"y\"} 2 -5\nc 3\nd 4 +9\n");
  ASSERT_EQ(families.size(), 4u);
  EXPECT_EQ(families[0].metric[0].timestamp_ms, 1700000000000);
  EXPECT_EQ(families[1].metric[0].timestamp_ms, -5);
  EXPECT_EQ(families[2].metric[0].timestamp_ms, 0);
  EXPECT_EQ(families[3].metric[0].timestamp_ms, 9);
}

TEST(CharterExposition, AcceptsCrlfLineEndsAndIndentation) {
  auto families = parse_exposition("# TYPE a gauge\r\n  a{x=\"1\"} 2 \r\n\r\n\t# EOF\r\n");
  ASSERT_EQ(families.size(), 1u);
  EXPECT_EQ(families[0].type, MetricType::Gauge);
  EXPECT_EQ(families[0].metric[0].gauge.value, 2);
  EXPECT_EQ(families[0].metric[0].label, (Labels{{"x", "1"}}));
}

// A gate filtering by family name must see an unrelated sample as a family of its own, not
// as part of the family declared before it.
TEST(CharterExposition, UnrelatedSampleNameStartsItsOwnFamily) {
  auto families = parse_exposition(
      "# HELP latency_p50 Median latency.\n"
      "# TYPE latency_p50 gauge\n"
      "latency_p50 0.2\n"
      "user_location{city=\"Sweetwater\"} 1\n"
      "# TYPE latency histogram\n"
      "latency_p99 1\n");
  ASSERT_EQ(families.size(), 4u);
  EXPECT_EQ(families[0].name, "latency_p50");
  ASSERT_EQ(families[0].metric.size(), 1u);
  EXPECT_EQ(families[1].name, "user_location");
  EXPECT_EQ(families[1].type, MetricType::Untyped);
  EXPECT_EQ(families[1].help, "");
  EXPECT_EQ(families[1].metric[0].label, (Labels{{"city", "Sweetwater"}}));
  EXPECT_EQ(families[2].name, "latency");
  EXPECT_TRUE(families[2].metric.empty());
  EXPECT_EQ(families[3].name, "latency_p99");
}

struct Malformed {
  std::string text;
  size_t line;
  std::string word;  // expected in the message
};

void expect_rejected(const std::vector<Malformed>& cases) {
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    ExpositionError error = error_of(c.text);
    EXPECT_EQ(error.line(), c.line) << error.what();
    EXPECT_NE(std::string(error.what()).find(c.word), std::string::npos) << error.what();
  }
}

TEST(CharterExposition, RejectsMalformedSampleLines) {
  expect_rejected({
      {"ok 1\n0bad 1\n", 2, "bad metric name '0bad'"},
      {"foo-bar 1\n", 1, "bad metric name 'foo-bar'"},
      {"{x=\"1\"} 1\n", 1, "expected a metric name"},
      {"a{x=\"open} 1\n", 1, "unterminated"},
      {"a{x=\"ends\\", 1, "unterminated"},
      {"a{x=\"\\t\"} 1\n", 1, "bad escape '\\t'"},
      {"a{x=\"1\",x=\"2\"} 1\n", 1, "duplicate label 'x'"},
      {"a{__name__=\"b\"} 1\n", 1, "reserved"},
      {"a{1x=\"b\"} 1\n", 1, "label name"},
      {"a{x=\"1\" y=\"2\"} 1\n", 1, "expected ','"},
      {"a{x=1} 1\n", 1, "open a label value"},
      {"# TYPE a gauge\na{x=\"1\"}\n", 2, "no value"},
      {"a\n", 1, "no value"},
      {"a{x=\"1\"}1\n", 1, "blank before the value"},
      {"a 1 1000 extra\n", 1, "trailing"},
      {"a one\n", 1, "bad value 'one'"},
      {"a +NaN\n", 1, "bad value"},
      {"a 0x10\n", 1, "bad value"},
      {"a 1_000\n", 1, "bad value"},
      {"a 1e400\n", 1, "bad value"},
      {"a 1 1.5\n", 1, "bad timestamp"},
      {"a 1 +-5\n", 1, "bad timestamp"},
      {"a{x=\"\x01\"} 1\n", 1, "control character"},
      {"a{x=\"\xc3\"} 1\n", 1, "UTF-8"},
      {"a{x=\"\xed\xa0\x80\"} 1\n", 1, "UTF-8"},
  });
}

TEST(CharterExposition, RejectsMalformedCommentsAndFamilies) {
  expect_rejected({
      {"# TYPE a gauge\n# TYPE a counter\n", 2, "second TYPE"},
      {"# HELP a x\n# HELP a y\n", 2, "second HELP"},
      {"a 1\n# TYPE a gauge\n", 2, "after its samples"},
      {"# TYPE a gauge\na 1\nb 2\na 3\n", 4, "contiguous"},
      {"# TYPE a gauge\na 1\n# TYPE b gauge\n# TYPE a gauge\n", 4, "contiguous"},
      {"a_total 1\n# TYPE a counter\na_total 2\n", 3, "contiguous"},
      {"a{x=\"1\",y=\"2\"} 1\na{y=\"2\",x=\"1\"} 2\n", 2, "duplicate series"},
      {"# TYPE a counter\na 1\na_total 2\n", 3, "duplicate series"},
      {"# TYPE a gauge extra\n", 1, "trailing"},
      {"# TYPE a\n", 1, "no type"},
      {"# TYPE a widget\n", 1, "unknown metric type 'widget'"},
      {"# TYPE a Counter\n", 1, "unknown metric type"},
      {"# TYPE build info\n", 1, "unsupported OpenMetrics type 'info'"},
      {"# TYPE s stateset\n", 1, "unsupported"},
      {"# TYPE g gaugehistogram\n", 1, "unsupported"},
      {"# HELP\n", 1, "no metric name"},
      {"# HELP a{ x\n", 1, "expected a blank"},
      {"# HELP a bell\x07\n", 1, "control character"},
      {"a 1\n# EOF\n\na 2\n", 4, "after # EOF"},
      {"a 1\n# EOF\n# TYPE b gauge\n", 3, "after # EOF"},
      {"# EOF now\n", 1, "after # EOF"},
  });
}

TEST(CharterExposition, RejectsMisshapenHistogramsAndSummaries) {
  const std::string h = "# TYPE h histogram\n";
  expect_rejected({
      {h + "h_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n", 2, "no +Inf bucket"},
      {h + "h_sum 1\nh_count 1\n", 2, "no +Inf bucket"},
      {h + "h_bucket{le=\"-Inf\"} 0\n", 2, "no +Inf bucket"},
      {h + "h_bucket{le=\"1\"} 5\nh_bucket{le=\"2\"} 3\nh_bucket{le=\"+Inf\"} 5\n", 3,
       "counts decrease"},
      {h + "h_bucket{le=\"2\"} 1\nh_bucket{le=\"1\"} 1\n", 3, "below the previous bucket"},
      {h + "h_bucket{le=\"1\"} 1\nh_bucket{le=\"1.0\"} 1\n", 3, "duplicate series"},
      {h + "h_count 4\nh_bucket{le=\"+Inf\"} 5\n", 2, "+Inf bucket's count"},
      {h + "h_bucket 1\n", 2, "needs a 'le' label"},
      {h + "h_bucket{le=\"NaN\"} 1\n", 2, "bad 'le'"},
      {h + "h_sum{le=\"1\"} 1\n", 2, "must not have a 'le' label"},
      {h + "h_bucket{le=\"+Inf\"} 1.5\n", 2, "non-negative integer"},
      {h + "h_bucket{le=\"+Inf\"} -1\n", 2, "non-negative integer"},
      {h + "h_bucket{le=\"+Inf\"} 1 100\nh_count 1 200\n", 3, "different timestamps"},
      {h + "h_bucket{le=\"+Inf\"} 1\nh_count 1\nh_count 1\n", 4, "duplicate series"},
      {"# TYPE s summary\ns 1\n", 2, "needs a 'quantile' label"},
      {"# TYPE s summary\ns{quantile=\"0.5\"} 1\ns{quantile=\"0.5\"} 2\n", 3, "duplicate series"},
      {"# TYPE s summary\ns_count 0.5\n", 2, "non-negative integer"},
  });
}

TEST(CharterExposition, EnforcesLimits) {
  ExpositionError bytes = error_of("a 1\n", {.max_bytes = 3});
  EXPECT_EQ(bytes.line(), 0u);
  EXPECT_NE(std::string(bytes.what()).find("4 bytes, more than the limit of 3"), std::string::npos)
      << bytes.what();

  ExpositionError families = error_of("a 1\nb 1\n# HELP c x\n", {.max_families = 2});
  EXPECT_EQ(families.line(), 3u);
  EXPECT_NE(std::string(families.what()).find("more than 2 metric families"), std::string::npos)
      << families.what();

  ExpositionError samples =
      error_of("# TYPE c counter\nc_total 1\nc_created 1\n", {.max_samples = 1});
  EXPECT_EQ(samples.line(), 3u);
  EXPECT_NE(std::string(samples.what()).find("more than 1 samples"), std::string::npos)
      << samples.what();

  ExpositionError labels =
      error_of("a{x=\"1\"} 1\nb{x=\"1\",y=\"2\"} 1\n", {.max_labels_per_sample = 1});
  EXPECT_EQ(labels.line(), 2u);
  EXPECT_NE(std::string(labels.what()).find("more than 1 labels"), std::string::npos)
      << labels.what();

  EXPECT_EQ(parse_exposition("a 1\nb 1\n", {.max_bytes = 8, .max_families = 2}).size(), 2u)
      << "exactly at the limits is allowed";
}

TEST(CharterExposition, ErrorMessageNamesTheLineAndQuotesSafely) {
  ExpositionError error = error_of("a 1\nb{x=\"\x1b[31m\"} 1\n");
  EXPECT_EQ(error.line(), 2u);
  EXPECT_EQ(std::string(error.what()).rfind("exposition line 2: ", 0), 0u) << error.what();
  ExpositionError name = error_of("bad\x1b[2Jname 1\n");
  EXPECT_EQ(std::string(name.what()).find('\x1b'), std::string::npos);
  EXPECT_NE(std::string(name.what()).find("\\x1b"), std::string::npos) << name.what();
}

TEST(CharterExposition, SerializeRefusesNamesTheGrammarForbids) {
  MetricFamily family;
  family.name = "bad name";
  EXPECT_THROW(serialize_exposition({family}), std::invalid_argument);
  family.name = "good";
  family.metric.push_back({});
  family.metric[0].label.push_back({"bad-label", "v"});
  EXPECT_THROW(serialize_exposition({family}), std::invalid_argument);
}

}  // namespace
}  // namespace westworld::charter

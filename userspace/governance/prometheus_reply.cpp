// The Prometheus HTTP API's answer to an instant query, read into a gate's terms.
// https://prometheus.io/docs/prometheus/latest/querying/api/#instant-queries
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "westworld/governance/prometheus_query.h"

namespace westworld::governance {
namespace {

using nlohmann::json;
using Kind = QueryResult::Kind;

QueryResult no_data(std::string why) { return {Kind::no_data, 0, std::move(why)}; }
QueryResult ambiguous(std::string why) { return {Kind::ambiguous, 0, std::move(why)}; }

std::string text_of(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// A sample pair [unix time, "value"]; Prometheus writes the value as a string so that NaN and
// the infinities survive JSON.
QueryResult sample_value(const json& pair) {
  if (!pair.is_array() || pair.size() != 2 || !pair[1].is_string())
    return no_data("the answer holds no [time, \"value\"] pair");
  std::string text = pair[1].get<std::string>();
  if (text.starts_with('+')) text.erase(0, 1);  // "+Inf": from_chars takes no plus sign
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size())
    return no_data("the value '" + pair[1].get<std::string>() + "' is not a number");
  // NaN compares false with everything, so any verdict on it would be about nothing: it means
  // nothing was measured (0/0, a ratio over an idle router), which is no data.
  if (std::isnan(value)) return no_data("the value is NaN");
  return {Kind::value, value, {}};
}

}  // namespace

QueryResult read_prometheus_reply(unsigned http_status, const std::string& body) {
  const std::string http = "HTTP " + std::to_string(http_status);
  const json doc = json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    return no_data(http + ", and the body is not the query API's JSON");
  if (text_of(doc, "status") != "success")
    return no_data(http + ", Prometheus says " + text_of(doc, "errorType") + ": " +
                   text_of(doc, "error"));
  if (http_status != 200) return no_data(http);
  const auto data = doc.find("data");
  if (data == doc.end() || !data->is_object()) return no_data("the answer has no data");
  const std::string type = text_of(*data, "resultType");
  const auto result = data->find("result");
  if (result == data->end()) return no_data("the answer has no result");
  if (type == "scalar") return sample_value(*result);
  if (type == "vector") {
    if (!result->is_array()) return no_data("the vector is not a list");
    if (result->empty()) return no_data("the query selected nothing (an empty vector)");
    // Several series and one threshold: comparing any one of them, or each, would be a guess
    // at what the members meant. A failed gate says so at once; as no data it would only
    // abort later, with a vaguer reason.
    if (result->size() > 1)
      return ambiguous("the query returned " + std::to_string(result->size()) +
                       " series, and a gate compares one value (aggregate them, e.g. sum(...))");
    const json& series = result->front();
    if (!series.is_object() || !series.contains("value"))
      return no_data("the series has no float value");
    return sample_value(series["value"]);
  }
  if (type == "matrix" || type == "string")
    return ambiguous("the query returns a " + type + ", not one number");
  return no_data("unknown result type '" + type + "'");
}

}  // namespace westworld::governance

#include "westworld/governance/query_gate.h"

#include <charconv>

namespace westworld::governance {
namespace {

using Kind = QueryGateVerdict::Kind;

// RE2's metacharacters (Prometheus matches labels with RE2, fully anchored).
constexpr std::string_view kRegexSpecial = "\\.+*?()|[]{}^$";

std::string regex_escaped(const std::string& id) {
  std::string out;
  for (const char c : id) {
    if (kRegexSpecial.find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

// For the inside of a PromQL double-quoted string, which takes Go's escapes.
std::string string_escaped(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

// The shortest text that reads back as the same double: 42, 73.5, 1e+300, inf.
std::string number_text(double value) {
  char buffer[64];
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return error == std::errc() ? std::string(buffer, end) : std::to_string(value);
}

}  // namespace

std::string expand_nodes(const std::string& query, const std::vector<std::string>& nodes) {
  std::string alternation;
  for (const std::string& node : nodes)
    alternation += (alternation.empty() ? "" : "|") + regex_escaped(node);
  alternation = string_escaped(alternation);
  std::string out;
  std::size_t from = 0;
  for (std::size_t at; (at = query.find(kNodesPlaceholder, from)) != std::string::npos;
       from = at + kNodesPlaceholder.size())
    out += query.substr(from, at - from) + alternation;
  return out + query.substr(from);
}

QueryGateVerdict judge_query_gate(const Gate& gate, MetricQuery* metrics,
                                  const std::vector<std::string>& nodes) {
  const std::string name = "gate '" + gate.text() + "'";
  if (!metrics)
    return {Kind::no_data,
            name + ": no data: this coordinator has no Prometheus to ask (--gov-prometheus)",
            false};
  // An empty alternation would select the series without a node label: not the wave's.
  if (nodes.empty() && gate.query.find(kNodesPlaceholder) != std::string::npos)
    return {Kind::no_data, name + ": no data: the wave has no routers for $nodes", true};
  const QueryResult result = metrics->query(expand_nodes(gate.query, nodes));
  switch (result.kind) {
    case QueryResult::Kind::value:
      if (gate.holds_measured(result.value))
        return {Kind::pass, name + " holds: value = " + number_text(result.value), true};
      return {Kind::fail, name + " failed: value = " + number_text(result.value), true};
    case QueryResult::Kind::ambiguous:
      return {Kind::fail, name + " failed: " + result.detail, true};
    case QueryResult::Kind::no_data:
      return {Kind::no_data, name + ": no data: " + result.detail, true};
    case QueryResult::Kind::unanswered:
      return {Kind::no_data, name + ": no data: " + result.detail, false};
  }
  return {Kind::no_data, name + ": no data", false};
}

}  // namespace westworld::governance

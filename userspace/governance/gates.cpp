#include "westworld/governance/gates.h"

#include <charconv>
#include <sstream>
#include <stdexcept>

#include "westworld/abi_names.h"

namespace westworld::governance {
namespace {

constexpr std::string_view kDropRate = "drop_rate.";
constexpr std::string_view kQueryOpen = "prometheus(";

bool known_signal(std::string_view signal) {
  if (signal == "restarts" || signal == "quarantines" || signal == "alerts") return true;
  if (!signal.starts_with(kDropRate)) return false;
  const std::string_view reason = signal.substr(kDropRate.size());
  for (uint32_t r = 0; r < WW_DROP_MAX; ++r)
    if (reason == abi::drop_reason_name(r)) return true;
  return false;
}

std::uint64_t increase(std::uint64_t before, std::uint64_t after) {
  return after >= before ? after - before : after;
}

std::uint64_t count(const std::map<std::string, std::uint64_t>& drops, const std::string& name) {
  auto it = drops.find(name);
  return it == drops.end() ? 0 : it->second;
}

GateOp parse_op(const std::string& text, const std::string& op) {
  const auto comparison = common::parse_comparison(op);
  if (!comparison)
    throw std::invalid_argument("gate '" + text + "': unknown operator '" + op +
                                "' (<, <=, ==, >=, >)");
  return *comparison;
}

std::uint64_t parse_threshold(const std::string& text, const std::string& threshold) {
  std::uint64_t value = 0;
  const auto [end, error] =
      std::from_chars(threshold.data(), threshold.data() + threshold.size(), value);
  if (error != std::errc() || end != threshold.data() + threshold.size())
    throw std::invalid_argument("gate '" + text + "': threshold '" + threshold +
                                "' is not a whole number");
  return value;
}

// Where PromQL's string literal opening at `quote` ends: "..." and '...' take backslash
// escapes, `...` does not. npos when it never ends.
std::size_t string_end(std::string_view text, std::size_t quote) {
  const char delimiter = text[quote];
  for (std::size_t i = quote + 1; i < text.size(); ++i) {
    if (text[i] == '\\' && delimiter != '`')
      ++i;
    else if (text[i] == delimiter)
      return i;
  }
  return std::string_view::npos;
}

// "prometheus(QUERY) OP THRESHOLD", `open` at the '(' after "prometheus". The query ends at
// the parenthesis that closes it; parentheses in its string literals (a label value such as
// "GET /a(b)") are not PromQL's and are not counted.
Gate parse_query_gate(const std::string& text, std::size_t open) {
  std::size_t close = std::string::npos;
  int depth = 0;
  for (std::size_t i = open; i < text.size() && close == std::string::npos; ++i) {
    const char c = text[i];
    if (c == '"' || c == '\'' || c == '`') {
      i = string_end(text, i);
      if (i == std::string_view::npos)
        throw std::invalid_argument("gate '" + text + "': a string in the query is not closed");
    } else if (c == '(') {
      ++depth;
    } else if (c == ')' && --depth == 0) {
      close = i;
    }
  }
  if (close == std::string::npos)
    throw std::invalid_argument("gate '" + text +
                                "': unbalanced parentheses: a '(' of the query is never closed");
  Gate gate;
  gate.signal = kPrometheusSignal;
  gate.query = text.substr(open + 1, close - open - 1);
  if (gate.query.find_first_not_of(" \t\n") == std::string::npos)
    throw std::invalid_argument("gate '" + text + "': the query is empty");
  const std::string rest = text.substr(close + 1);
  std::istringstream in(rest);
  std::string op, threshold, extra;
  if (!(in >> op >> threshold) || (in >> extra)) {
    const std::size_t next = rest.find_first_not_of(" \t");
    if (next != std::string::npos && rest[next] == ')')
      throw std::invalid_argument("gate '" + text +
                                  "': unbalanced parentheses: a ')' after the query closes "
                                  "nothing");
    throw std::invalid_argument("gate '" + text + "': after the query comes 'OP THRESHOLD', not '" +
                                rest + "'");
  }
  gate.op = parse_op(text, op);
  gate.threshold = parse_threshold(text, threshold);
  return gate;
}

}  // namespace

bool Gate::holds(std::uint64_t value) const { return common::compare(op, value, threshold); }

bool Gate::holds_measured(double value) const {
  return common::compare(op, value, static_cast<double>(threshold));
}

std::string Gate::text() const {
  if (is_query())
    return std::string(kPrometheusSignal) + "(" + query + ") " +
           std::string(common::comparison_text(op)) + " " + std::to_string(threshold);
  return signal + " " + std::string(common::comparison_text(op)) + " " + std::to_string(threshold);
}

Gate parse_gate(const std::string& text) {
  const std::size_t start = text.find_first_not_of(" \t");
  if (start != std::string::npos && text.compare(start, kQueryOpen.size(), kQueryOpen) == 0)
    return parse_query_gate(text, start + kQueryOpen.size() - 1);
  std::istringstream in(text);
  std::string signal, op, threshold, extra;
  if (!(in >> signal >> op >> threshold) || (in >> extra))
    throw std::invalid_argument("gate '" + text + "' is not 'SIGNAL OP THRESHOLD'");
  Gate gate;
  if (!known_signal(signal))
    throw std::invalid_argument("gate '" + text + "': unknown signal '" + signal +
                                "' (drop_rate.<reason>, restarts, quarantines, alerts, "
                                "prometheus(QUERY))");
  gate.signal = signal;
  gate.op = parse_op(text, op);
  gate.threshold = parse_threshold(text, threshold);
  return gate;
}

std::optional<std::string> gates_error(const std::vector<std::string>& gates) {
  for (const std::string& gate : gates) {
    try {
      parse_gate(gate);
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
  }
  return std::nullopt;
}

std::uint64_t signal_value(const Gate& gate, const HealthSample& before,
                           const HealthSample& after) {
  if (gate.signal == "restarts") return after.started != before.started ? 1 : 0;
  if (gate.signal == "quarantines") return increase(before.quarantines, after.quarantines);
  if (gate.signal == "alerts") return increase(before.alerts, after.alerts);
  const std::string reason = gate.signal.substr(kDropRate.size());
  const std::uint64_t dropped = increase(count(before.drops, reason), count(after.drops, reason));
  const auto seconds =
      static_cast<std::uint64_t>(std::max<std::int64_t>(1, after.heartbeat - before.heartbeat));
  return dropped / seconds;
}

}  // namespace westworld::governance

#include "westworld/governance/gates.h"

#include <charconv>
#include <sstream>
#include <stdexcept>

#include "westworld/abi_names.h"

namespace westworld::governance {
namespace {

constexpr std::string_view kDropRate = "drop_rate.";

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

}  // namespace

bool Gate::holds(std::uint64_t value) const { return common::compare(op, value, threshold); }

std::string Gate::text() const {
  return signal + " " + std::string(common::comparison_text(op)) + " " + std::to_string(threshold);
}

Gate parse_gate(const std::string& text) {
  std::istringstream in(text);
  std::string signal, op, threshold, extra;
  if (!(in >> signal >> op >> threshold) || (in >> extra))
    throw std::invalid_argument("gate '" + text + "' is not 'SIGNAL OP THRESHOLD'");
  Gate gate;
  if (!known_signal(signal))
    throw std::invalid_argument("gate '" + text + "': unknown signal '" + signal +
                                "' (drop_rate.<reason>, restarts, quarantines, alerts)");
  gate.signal = signal;
  const auto comparison = common::parse_comparison(op);
  if (!comparison)
    throw std::invalid_argument("gate '" + text + "': unknown operator '" + op +
                                "' (<, <=, ==, >=, >)");
  gate.op = *comparison;
  const auto [end, error] =
      std::from_chars(threshold.data(), threshold.data() + threshold.size(), gate.threshold);
  if (error != std::errc() || end != threshold.data() + threshold.size())
    throw std::invalid_argument("gate '" + text + "': threshold '" + threshold +
                                "' is not a whole number");
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

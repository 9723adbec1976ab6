#include "westworld/cradle/signals.h"

#include <algorithm>

#include "westworld/abi.h"
#include "westworld/abi_names.h"

namespace westworld::cradle {
namespace {

enum class Qualifier : uint8_t { none, optional_flow, optional_attack, drop_reason };

struct SignalEntry {
  SignalKind kind;
  std::string_view name;
  Unit unit;
  Qualifier qualifier;
};

// The one table of signals: names, units and what may follow the dot.
constexpr SignalEntry kSignals[] = {
    {SignalKind::delivery_ratio, "delivery_ratio", Unit::ppm, Qualifier::optional_flow},
    {SignalKind::latency_p50, "latency_p50", Unit::microseconds, Qualifier::optional_flow},
    {SignalKind::latency_p99, "latency_p99", Unit::microseconds, Qualifier::optional_flow},
    {SignalKind::attacker_share, "attacker_share", Unit::ppm, Qualifier::none},
    {SignalKind::time_to_quarantine, "time_to_quarantine", Unit::milliseconds,
     Qualifier::optional_attack},
    {SignalKind::legit_quarantined, "legit_quarantined", Unit::count, Qualifier::none},
    {SignalKind::drops, "drops", Unit::count, Qualifier::drop_reason},
    {SignalKind::restarts_survived, "restarts_survived", Unit::count, Qualifier::none},
};

const SignalEntry& entry(SignalKind kind) {
  for (const SignalEntry& e : kSignals)
    if (e.kind == kind) return e;
  return kSignals[0];  // unreachable: every kind has an entry
}

bool known_drop_reason(std::string_view reason) {
  for (uint32_t r = 0; r < WW_DROP_MAX; ++r)
    if (reason == abi::drop_reason_name(r)) return true;
  return false;
}

std::string known_names() {
  std::string names;
  for (const SignalEntry& e : kSignals) {
    if (!names.empty()) names += ", ";
    names += e.name;
    if (e.qualifier == Qualifier::optional_flow) names += "[.FLOW]";
    if (e.qualifier == Qualifier::optional_attack) names += "[.ATTACK]";
    if (e.qualifier == Qualifier::drop_reason) names += ".REASON";
  }
  return names;
}

}  // namespace

std::string SignalName::text() const {
  std::string name(entry(kind).name);
  return qualifier.empty() ? name : name + "." + qualifier;
}

std::optional<SignalName> parse_signal_name(std::string_view text, std::string& why) {
  const size_t dot = text.find('.');
  const std::string_view base = text.substr(0, dot);
  const std::string_view qualifier = dot == std::string_view::npos ? "" : text.substr(dot + 1);
  for (const SignalEntry& e : kSignals) {
    if (base != e.name) continue;
    if (dot != std::string_view::npos && qualifier.empty()) {
      why = "'" + std::string(text) + "' ends in a dot";
      return std::nullopt;
    }
    if (e.qualifier == Qualifier::none && !qualifier.empty()) {
      why = std::string(e.name) + " takes no qualifier";
      return std::nullopt;
    }
    if (e.qualifier == Qualifier::drop_reason) {
      if (qualifier.empty()) {
        why = "drops needs a reason, e.g. drops.quota";
        return std::nullopt;
      }
      if (!known_drop_reason(qualifier)) {
        std::string reasons;
        for (uint32_t r = 0; r < WW_DROP_MAX; ++r)
          reasons += (r ? ", " : "") + std::string(abi::drop_reason_name(r));
        why = "unknown drop reason '" + std::string(qualifier) + "'; the guard's are " + reasons;
        return std::nullopt;
      }
    }
    return SignalName{e.kind, std::string(qualifier)};
  }
  why = "unknown signal '" + std::string(text) + "'; known: " + known_names();
  return std::nullopt;
}

Unit unit_of(SignalKind kind) { return entry(kind).unit; }

bool qualified_by_flow(SignalKind kind) {
  return entry(kind).qualifier == Qualifier::optional_flow;
}

bool qualified_by_attack(SignalKind kind) {
  return entry(kind).qualifier == Qualifier::optional_attack;
}

std::string_view unit_name(Unit unit) {
  switch (unit) {
    case Unit::ppm:
      return "ppm";
    case Unit::microseconds:
      return "us";
    case Unit::milliseconds:
      return "ms";
    case Unit::count:
      return "count";
  }
  return "?";
}

namespace {

// `value / scale` with `decimals` digits after the point, trailing zeros kept off.
std::string scaled(int64_t value, int64_t scale, int decimals) {
  std::string sign = value < 0 ? "-" : "";
  const uint64_t magnitude = value < 0 ? 0 - static_cast<uint64_t>(value) : value;
  const uint64_t whole = magnitude / scale;
  uint64_t fraction = magnitude % scale;
  int64_t step = scale;
  for (int d = 0; d < decimals; ++d) step /= 10;
  std::string digits = std::to_string(fraction / std::max<int64_t>(step, 1));
  digits.insert(0, decimals - digits.size(), '0');
  while (!digits.empty() && digits.back() == '0') digits.pop_back();
  return sign + std::to_string(whole) + (digits.empty() ? "" : "." + digits);
}

}  // namespace

std::string format_quantity(int64_t value, Unit unit) {
  switch (unit) {
    case Unit::ppm:
      return scaled(value, 10'000, 2) + "%";
    case Unit::microseconds:
      return value < 1000 && value > -1000 ? std::to_string(value) + " us"
                                           : scaled(value, 1000, 1) + " ms";
    case Unit::milliseconds:
      return value < 1000 && value > -1000 ? std::to_string(value) + " ms"
                                           : scaled(value, 1000, 2) + " s";
    case Unit::count:
      return std::to_string(value);
  }
  return std::to_string(value);
}

}  // namespace westworld::cradle

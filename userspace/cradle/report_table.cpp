// The report as aligned text. Every string the run captured goes through common::printable:
// a tool's error message must not move the cursor or forge a line of the table.
#include "westworld/cradle/report_table.h"

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "westworld/common/printable.h"

namespace westworld::cradle {
namespace {

using Row = std::vector<std::string>;

// Columns two spaces apart, padded to the widest cell; no trailing blanks.
std::string aligned(const std::vector<Row>& rows, const std::string& indent = "") {
  std::vector<size_t> widths;
  for (const Row& row : rows) {
    widths.resize(std::max(widths.size(), row.size()), 0);
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  std::string out;
  for (const Row& row : rows) {
    std::string line = indent;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - row[i].size() + 2, ' ');
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out += line + "\n";
  }
  return out;
}

std::string shown(const std::string& text) { return common::printable(text); }

std::optional<Unit> unit_of_signal(const std::string& signal) {
  std::string why;
  const auto name = parse_signal_name(signal, why);
  if (!name) return std::nullopt;
  return unit_of(name->kind);
}

// A value in its unit, for people ("99.5%", "1.2 ms"); the raw integer when the unit is
// unknown.
std::string quantity(int64_t value, const std::string& signal) {
  const auto unit = unit_of_signal(signal);
  return unit ? format_quantity(value, *unit) : std::to_string(value);
}

std::string cell(const SignalValue& v, const std::string& signal) {
  if (v.value) return quantity(*v.value, signal) + " (n=" + std::to_string(v.samples) + ")";
  return "none: " + shown(v.missing.empty() ? "not measured" : v.missing);
}

std::string arm_line(const ArmResult& arm) {
  const std::string policy =
      "policy " + (arm.policy_sha256.empty() ? "?" : shown(arm.policy_sha256));
  if (arm.twin_up) return policy + ", twin up";
  return policy +
         ", twin DOWN: " + shown(arm.twin_error.empty() ? "no reason given" : arm.twin_error);
}

std::string signals_section(const Report& report) {
  std::set<std::string> names;  // every signal either arm has, in name order
  for (const auto& [name, value] : report.baseline.signals) names.insert(name);
  for (const auto& [name, value] : report.candidate.signals) names.insert(name);
  if (names.empty()) return "signals: none measured\n";
  const SignalValue absent{std::nullopt, 0, "not measured"};
  std::vector<Row> rows{{"signal", "unit", "baseline", "candidate"}};
  for (const std::string& name : names) {
    const auto b = report.baseline.signals.find(name);
    const auto c = report.candidate.signals.find(name);
    const auto unit = unit_of_signal(name);
    rows.push_back({shown(name), unit ? std::string(unit_name(*unit)) : "?",
                    cell(b == report.baseline.signals.end() ? absent : b->second, name),
                    cell(c == report.candidate.signals.end() ? absent : c->second, name)});
  }
  return aligned(rows);
}

std::string gates_section(const Report& report) {
  if (report.gates.empty()) return "gates: none\n";
  std::vector<Row> rows{
      {"gate", "signal", "test", "action", "baseline", "candidate", "verdict", "reason"}};
  for (const GateResult& g : report.gates)
    rows.push_back(
        {shown(g.name), shown(g.signal),
         std::string(common::comparison_text(g.op)) + " " + quantity(g.threshold, g.signal),
         g.action == GateAction::fail ? "fail" : "warn", cell(g.baseline, g.signal),
         cell(g.candidate, g.signal), std::string(gate_verdict_name(g.verdict)), shown(g.reason)});
  return aligned(rows);
}

std::string unmodelled_section(const Report& report) {
  if (report.unmodelled.empty()) return "unmodelled: nothing\n";
  std::string out = "unmodelled (asked for, not done by the twin):\n";
  for (const std::string& item : report.unmodelled) out += "  - " + shown(item) + "\n";
  return out;
}

}  // namespace

std::string render_table(const Report& report) {
  std::string out = aligned({{"experiment", shown(report.experiment)},
                             {"baseline", arm_line(report.baseline)},
                             {"candidate", arm_line(report.candidate)}});
  if (!report.build.capped.empty()) out += "topology capped: " + shown(report.build.capped) + "\n";
  out += "\n" + signals_section(report) + "\n" + gates_section(report) + "\n" +
         unmodelled_section(report) + "\n";
  out += "verdict: " + std::string(verdict_name(report.verdict)) + "\n";
  return out;
}

}  // namespace westworld::cradle

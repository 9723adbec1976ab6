// The gates' judgement: every gate on the candidate arm, then the run as a whole. Fail-closed
// throughout: nothing the run did not measure, or measured too rarely, can make it pass.
#include <algorithm>
#include <string>
#include <utility>

#include "westworld/cradle/report.h"

namespace westworld::cradle {
namespace {

SignalValue lookup(const ArmResult& arm, const std::string& signal) {
  const auto it = arm.signals.find(signal);
  if (it != arm.signals.end()) return it->second;
  // Never a made-up zero: a signal the arm lacks is one nobody measured.
  return SignalValue{std::nullopt, 0, "not measured"};
}

void judge_gate(GateResult& gate) {
  const SignalValue& c = gate.candidate;
  if (!c.value) {
    gate.verdict = GateVerdict::inconclusive;
    gate.reason = "no candidate value: " + (c.missing.empty() ? "not measured" : c.missing);
    return;
  }
  // A value resting on no sample at all is no measurement, whatever min_samples says.
  const uint32_t needed = std::max<uint32_t>(gate.min_samples, 1);
  if (c.samples < needed) {
    gate.verdict = GateVerdict::inconclusive;
    gate.reason =
        "rests on " + std::to_string(c.samples) + " of " + std::to_string(needed) + " samples";
    return;
  }
  // In the signal's unit for people ("99.5% >= 99%"); the integers are in the report beside it.
  std::string why;
  const auto name = parse_signal_name(gate.signal, why);
  auto shown = [&](int64_t v) {
    return name ? format_quantity(v, unit_of(name->kind)) : std::to_string(v);
  };
  const std::string test = shown(*c.value) + " " + std::string(common::comparison_text(gate.op)) +
                           " " + shown(gate.threshold);
  if (common::compare(gate.op, *c.value, gate.threshold)) {
    gate.verdict = GateVerdict::pass;
    gate.reason = test;
    return;
  }
  gate.verdict = gate.action == GateAction::fail ? GateVerdict::fail : GateVerdict::warn;
  gate.reason = "not " + test;
}

Verdict overall(const Report& report) {
  bool any_fail_gate = false;
  bool any_inconclusive = false;
  for (const GateResult& gate : report.gates) {
    if (gate.action != GateAction::fail) continue;  // warn gates never decide the run
    any_fail_gate = true;
    if (gate.verdict == GateVerdict::fail) return Verdict::fail;
    if (gate.verdict != GateVerdict::pass) any_inconclusive = true;
  }
  // A gate that failed is a finding even on a half-built twin; nothing else is.
  if (!report.baseline.twin_up || !report.candidate.twin_up) return Verdict::inconclusive;
  if (any_inconclusive) return Verdict::inconclusive;
  // An experiment that checks nothing proves nothing.
  if (!any_fail_gate) return Verdict::inconclusive;
  return Verdict::pass;
}

}  // namespace

std::string_view verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::pass:
      return "pass";
    case Verdict::fail:
      return "fail";
    case Verdict::inconclusive:
      return "inconclusive";
  }
  return "inconclusive";
}

std::string_view gate_verdict_name(GateVerdict verdict) {
  switch (verdict) {
    case GateVerdict::pass:
      return "pass";
    case GateVerdict::fail:
      return "fail";
    case GateVerdict::warn:
      return "warn";
    case GateVerdict::inconclusive:
      return "inconclusive";
  }
  return "inconclusive";
}

void judge(const Experiment& experiment, Report& report) {
  report.gates.clear();
  for (const GateSpec& spec : experiment.gates) {
    GateResult gate;
    gate.name = spec.name;
    gate.signal = spec.signal.text();
    gate.op = spec.op;
    gate.threshold = spec.threshold;
    gate.action = spec.action;
    gate.min_samples = spec.min_samples;
    gate.baseline = lookup(report.baseline, gate.signal);
    gate.candidate = lookup(report.candidate, gate.signal);
    judge_gate(gate);
    report.gates.push_back(std::move(gate));
  }
  report.verdict = overall(report);
}

int exit_code_for(Verdict verdict) {
  switch (verdict) {
    case Verdict::pass:
      return 0;
    case Verdict::fail:
      return 1;
    case Verdict::inconclusive:
      return 3;
  }
  return 3;
}

}  // namespace westworld::cradle

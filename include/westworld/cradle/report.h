// What a twin run found, and the signed record of it. A proposal names a report by its
// digest; anyone checks it with `wwctl cradle verify`. The canonical bytes are the report's
// JSON without `digest` and `signature`, keys sorted, integers only (report_codec.h), so a
// flipped byte anywhere changes the digest and a float can never round differently.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "westworld/cradle/experiment.h"
#include "westworld/cradle/signals.h"

namespace westworld::cradle {

// One signal of one arm: its value, or why there is none (never a made-up zero).
struct SignalValue {
  std::optional<int64_t> value;
  uint32_t samples = 0;  // sample windows the value rests on
  std::string missing;   // why there is no value; empty when there is one
};

// Legitimate traffic in one sample window of one arm (the plot's data).
struct SeriesPoint {
  uint32_t t_ms = 0;  // window start, from the arm's start
  uint64_t sent = 0;
  uint64_t delivered = 0;
  int64_t p50_us = 0;  // 0 when nothing arrived in the window
  int64_t p99_us = 0;
};

struct ArmResult {
  std::string policy_sha256;  // of the policy file's bytes
  // The compiled policy's digest (hex), as `wwctl policy compile` and proposals name it: a
  // proposal that cites this report must deploy the candidate's digest.
  std::string policy_digest;
  bool twin_up = false;    // every router's agent answered with the guard attached
  std::string twin_error;  // why not
  std::map<std::string, SignalValue> signals;  // by SignalName::text()
  std::vector<SeriesPoint> series;
  std::vector<std::string> events;  // "T_MS what happened", faults and attacks as applied
};

enum class GateVerdict : uint8_t { pass = 0, fail = 1, warn = 2, inconclusive = 3 };
enum class Verdict : uint8_t { pass = 0, fail = 1, inconclusive = 2 };

struct GateResult {
  std::string name;
  std::string signal;  // SignalName::text()
  GateOp op = GateOp::le;
  int64_t threshold = 0;
  GateAction action = GateAction::fail;
  uint32_t min_samples = 1;
  GateVerdict verdict = GateVerdict::inconclusive;
  SignalValue baseline;
  SignalValue candidate;  // the arm the gate judges
  std::string reason;     // in words, for the table
};

// What the twin was built from: the same bytes a router runs.
struct TwinBuild {
  std::string agent_sha256;  // the westworld-agent binary
  std::string guard_sha256;  // the guard's BPF object as embedded in the agent
  uint32_t routers = 0;
  uint32_t links = 0;
  std::string capped;  // how the topology was cut down to fit this machine; empty if not
  // `from: mesh`: the policy digest each router of the twin runs in the mesh.
  std::map<std::string, std::string> running_digests;
};

struct MachineFacts {
  std::string kernel;  // uname -r
  uint32_t cpus = 0;
  uint64_t memory_kib = 0;
  std::string load_average;  // /proc/loadavg's first three fields when the run started
};

struct Report {
  uint32_t format = 1;
  std::string experiment;         // its name
  std::string experiment_sha256;  // of the experiment file's bytes
  int64_t started_unix_s = 0;
  int64_t finished_unix_s = 0;
  MachineFacts machine;
  TwinBuild build;
  ArmResult baseline;
  ArmResult candidate;
  std::vector<GateResult> gates;
  std::vector<std::string> unmodelled;  // what the experiment asked for and the twin cannot do
  Verdict verdict = Verdict::inconclusive;
  std::string signer;     // base64 Ed25519 public key
  std::string digest;     // hex SHA-256 of the canonical bytes
  std::string signature;  // base64 Ed25519 signature over the canonical bytes
};

std::string_view verdict_name(Verdict verdict);           // "pass", "fail", "inconclusive"
std::string_view gate_verdict_name(GateVerdict verdict);  // "pass", "fail", "warn", ...

// Judges every gate on the candidate arm (the baseline is quoted beside it) and the run as a
// whole, fail-closed: a gate whose signal is missing or rests on fewer than min_samples windows
// is inconclusive; the run passes only when every `fail` gate passed, both arms' twins came
// up, and there was at least one `fail` gate. Sets report.gates and report.verdict.
void judge(const Experiment& experiment, Report& report);

// `wwctl cradle run`'s exit code for a verdict: 0 pass, 1 fail, 3 inconclusive.
int exit_code_for(Verdict verdict);

}  // namespace westworld::cradle

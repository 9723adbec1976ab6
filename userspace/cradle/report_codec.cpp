// The report as JSON, its canonical bytes, and its Ed25519 signature. Signing and checking go
// through one function (canonical_of) over a JSON value, so the bytes signed from the struct
// and the bytes checked from a file's text cannot drift apart.
#include "westworld/cradle/report_codec.h"

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "westworld/capability/bytes.h"
#include "westworld/capability/crypto.h"

namespace westworld::cradle {
namespace {

using nlohmann::json;
using namespace westworld::capability;

// Fields outside the canonical bytes: the digest is of them, the signature over them.
constexpr const char* kUnsigned[] = {"digest", "signature"};

std::string_view action_name(GateAction action) {
  return action == GateAction::fail ? "fail" : "warn";
}

json to_json(const SignalValue& v) {
  return {{"value", v.value ? json(*v.value) : json(nullptr)},
          {"samples", v.samples},
          {"missing", v.missing}};
}

json to_json(const ArmResult& arm) {
  json signals = json::object();
  for (const auto& [name, value] : arm.signals) signals[name] = to_json(value);
  json series = json::array();
  for (const SeriesPoint& p : arm.series)
    series.push_back({{"t_ms", p.t_ms},
                      {"sent", p.sent},
                      {"delivered", p.delivered},
                      {"p50_us", p.p50_us},
                      {"p99_us", p.p99_us}});
  return {{"policy_sha256", arm.policy_sha256},
          {"policy_digest", arm.policy_digest},
          {"twin_up", arm.twin_up},
          {"twin_error", arm.twin_error},
          {"signals", std::move(signals)},
          {"series", std::move(series)},
          {"events", arm.events}};
}

json to_json(const GateResult& g) {
  return {{"name", g.name},
          {"signal", g.signal},
          {"op", common::comparison_text(g.op)},
          {"threshold", g.threshold},
          {"action", action_name(g.action)},
          {"min_samples", g.min_samples},
          {"verdict", gate_verdict_name(g.verdict)},
          {"baseline", to_json(g.baseline)},
          {"candidate", to_json(g.candidate)},
          {"reason", g.reason}};
}

json to_json(const Report& r) {
  json gates = json::array();
  for (const GateResult& g : r.gates) gates.push_back(to_json(g));
  return {{"format", r.format},
          {"experiment", r.experiment},
          {"experiment_sha256", r.experiment_sha256},
          {"started_unix_s", r.started_unix_s},
          {"finished_unix_s", r.finished_unix_s},
          {"machine",
           {{"kernel", r.machine.kernel},
            {"cpus", r.machine.cpus},
            {"memory_kib", r.machine.memory_kib},
            {"load_average", r.machine.load_average}}},
          {"build",
           {{"agent_sha256", r.build.agent_sha256},
            {"guard_sha256", r.build.guard_sha256},
            {"routers", r.build.routers},
            {"links", r.build.links},
            {"capped", r.build.capped},
            {"running_digests", r.build.running_digests}}},
          {"baseline", to_json(r.baseline)},
          {"candidate", to_json(r.candidate)},
          {"gates", std::move(gates)},
          {"unmodelled", r.unmodelled},
          {"verdict", verdict_name(r.verdict)},
          {"signer", r.signer},
          // An unsigned report still has both, empty, so every report has one shape.
          {"digest", r.digest},
          {"signature", r.signature}};
}

// Compact, keys sorted (nlohmann's object is a std::map), UTF-8. A string the run captured
// may hold any bytes (an error from a tool): they become U+FFFD here rather than throw, and
// the text written is then valid UTF-8 that parses and re-dumps to the same bytes.
std::string canonical_of(json report) {
  for (const char* field : kUnsigned) report.erase(field);
  return report.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string digest_hex(const std::string& canonical) { return to_hex(sha256(as_bytes(canonical))); }

// The first non-integer number in `value`, as a path like gates[0].baseline.value.
std::optional<std::string> non_integer_at(const json& value, const std::string& path) {
  if (value.is_number_float()) return path.empty() ? "the top level" : path;
  if (value.is_object()) {
    for (const auto& [key, item] : value.items())
      if (auto at = non_integer_at(item, path.empty() ? key : path + "." + key)) return at;
  } else if (value.is_array()) {
    for (size_t i = 0; i < value.size(); ++i)
      if (auto at = non_integer_at(value[i], path + "[" + std::to_string(i) + "]")) return at;
  }
  return std::nullopt;
}

// Parses, noting a key that appears twice in one object: parsers disagree on which copy wins,
// so a reader could see a value other than the one that was signed.
json parse_strict(const std::string& text, std::string& repeated_key) {
  std::vector<std::set<std::string>> open_objects;
  const json::parser_callback_t note = [&](int, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::object_start) open_objects.emplace_back();
    if (event == json::parse_event_t::object_end && !open_objects.empty()) open_objects.pop_back();
    if (event == json::parse_event_t::key && !open_objects.empty() && repeated_key.empty() &&
        !open_objects.back().insert(parsed.get<std::string>()).second)
      repeated_key = parsed.get<std::string>();
    return true;
  };
  return json::parse(text, note);
}

// nlohmann's messages start "[json.exception.parse_error.101] ": the rest is the useful part.
std::string without_exception_tag(const std::string& what) {
  const size_t end = what.rfind("] ", what.find(' '));
  return what.rfind("[json.exception.", 0) == 0 && end != std::string::npos ? what.substr(end + 2)
                                                                            : what;
}

const json* string_field(const json& report, const char* field, std::string& problem) {
  const auto it = report.find(field);
  if (it == report.end())
    problem = std::string("the report has no ") + field;
  else if (!it->is_string())
    problem = std::string("the report's ") + field + " is not a string";
  else
    return &*it;
  return nullptr;
}

bool known_verdict(const std::string& name) {
  for (Verdict v : {Verdict::pass, Verdict::fail, Verdict::inconclusive})
    if (name == verdict_name(v)) return true;
  return false;
}

// Every check after parsing; returns the problem, empty when the report is intact.
std::string check_report(const json& report, const std::optional<PublicKey>& expected,
                         ReportCheck& check) {
  if (auto at = non_integer_at(report, ""))
    return "the report holds a non-integer number at " + *at + ": reports are integers only";
  std::string problem;
  const json* digest = string_field(report, "digest", problem);
  const json* signature = digest ? string_field(report, "signature", problem) : nullptr;
  const json* signer = signature ? string_field(report, "signer", problem) : nullptr;
  if (!signer) return problem;

  const std::string canonical = canonical_of(report);
  if (digest_hex(canonical) != digest->get<std::string>())
    return "digest mismatch: the report was changed after signing";
  const auto key = parse_ed25519_public_key(signer->get<std::string>());
  if (!key) return "the report's signer is not a base64 Ed25519 public key";
  if (expected && *expected != *key)
    return "signed by " + to_base64(*key) + ", not the expected key " + to_base64(*expected);
  const auto sig = fixed_bytes<64>(from_base64(signature->get<std::string>()));
  if (!sig) return "the report's signature is not base64 of 64 bytes";
  if (!ed25519_verify(as_bytes(canonical), *sig, *key))
    return "bad signature: it does not verify under the signer's key";
  // Signed, but a report that says no verdict says nothing anyone can act on.
  if (!known_verdict(check.verdict))
    return "the report's verdict is not one of pass, fail, inconclusive";
  return {};
}

std::string string_or_empty(const json& report, const char* field) {
  const auto it = report.find(field);
  return it != report.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::string encode_report(const Report& report) {
  return to_json(report).dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string canonical_bytes(const Report& report) { return canonical_of(to_json(report)); }

void sign_report(Report& report, const Ed25519KeyPair& key) {
  report.signer = to_base64(key.public_key());  // inside the canonical bytes, so signed too
  const std::string canonical = canonical_bytes(report);
  report.digest = digest_hex(canonical);
  report.signature = to_base64(key.sign(as_bytes(canonical)));
}

ReportCheck verify_report_text(const std::string& json_text,
                               const std::optional<PublicKey>& expected) {
  ReportCheck check;
  json report;
  std::string repeated_key;
  try {
    report = parse_strict(json_text, repeated_key);
  } catch (const json::exception& e) {
    check.problem = "not JSON: " + without_exception_tag(e.what());
    return check;
  }
  if (!report.is_object()) {
    check.problem = "not a report: the JSON is not an object";
    return check;
  }
  check.verdict = string_or_empty(report, "verdict");
  check.digest = string_or_empty(report, "digest");
  check.signer = string_or_empty(report, "signer");
  if (const auto candidate = report.find("candidate");
      candidate != report.end() && candidate->is_object())
    check.candidate_policy_digest = string_or_empty(*candidate, "policy_digest");
  if (!repeated_key.empty()) {
    check.problem = "the report holds the key \"" + repeated_key +
                    "\" twice in one object: readers could disagree on its value";
    return check;
  }
  check.problem = check_report(report, expected, check);
  check.ok = check.problem.empty();
  return check;
}

}  // namespace westworld::cradle

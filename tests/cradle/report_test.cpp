// The gates' fail-closed judgement, the report's canonical encoding and signature, and the
// text table. Reports are built by hand: no twin runs here.
#include "westworld/cradle/report.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "westworld/capability/bytes.h"
#include "westworld/capability/ed25519.h"
#include "westworld/cradle/report_codec.h"
#include "westworld/cradle/report_table.h"

namespace westworld::cradle {
namespace {

using capability::Ed25519KeyPair;
using nlohmann::json;

SignalName signal(const std::string& text) {
  std::string why;
  auto name = parse_signal_name(text, why);
  EXPECT_TRUE(name) << why;
  return name.value_or(SignalName{});
}

GateSpec gate(const std::string& name, const std::string& sig, GateOp op, int64_t threshold,
              GateAction action = GateAction::fail, uint32_t min_samples = 1) {
  return GateSpec{name, signal(sig), op, threshold, action, min_samples};
}

SignalValue measured(int64_t value, uint32_t samples = 10) { return {value, samples, ""}; }

// Both twins up; delivery near perfect, no legitimate source quarantined, p99 at 800us.
Report healthy_run() {
  Report r;
  r.experiment = "small-mesh";
  r.experiment_sha256 = std::string(64, 'a');
  r.started_unix_s = 1'780'000'000;
  r.finished_unix_s = 1'780'000'090;
  r.machine = {"6.8.0-test", 2, 4'000'000, "0.10 0.20 0.30"};
  r.build = {std::string(64, 'b'), std::string(64, 'c'), 3, 2, "", {}};
  for (ArmResult* arm : {&r.baseline, &r.candidate}) {
    arm->twin_up = true;
    arm->policy_sha256 = std::string(64, arm == &r.baseline ? 'd' : 'e');
    arm->signals["delivery_ratio"] = measured(999'500);
    arm->signals["legit_quarantined"] = measured(0);
    arm->signals["latency_p99"] = measured(800);
    arm->series = {{0, 100, 100, 300, 800}, {1000, 100, 99, 310, 790}};
    arm->events = {"2000 loss r1-r2 10000ppm"};
  }
  r.candidate.signals["time_to_quarantine"] = {std::nullopt, 0, "no source was quarantined"};
  return r;
}

Experiment experiment_with(std::vector<GateSpec> gates) {
  Experiment e;
  e.name = "small-mesh";
  e.gates = std::move(gates);
  return e;
}

// ------------------------------------------------------------------------------ judge

TEST(Judge, GatePassesWhenTheCandidateHoldsAndQuotesTheBaseline) {
  Report r = healthy_run();
  r.baseline.signals["delivery_ratio"] = measured(1'000'000);
  judge(experiment_with({gate("delivery", "delivery_ratio", GateOp::ge, 990'000)}), r);
  ASSERT_EQ(r.gates.size(), 1u);
  const GateResult& g = r.gates[0];
  EXPECT_EQ(g.verdict, GateVerdict::pass);
  EXPECT_EQ(g.name, "delivery");
  EXPECT_EQ(g.signal, "delivery_ratio");
  EXPECT_EQ(g.op, GateOp::ge);
  EXPECT_EQ(g.threshold, 990'000);
  EXPECT_EQ(g.candidate.value, 999'500);
  EXPECT_EQ(g.baseline.value, 1'000'000);
  EXPECT_EQ(r.verdict, Verdict::pass);
  EXPECT_EQ(exit_code_for(r.verdict), 0);
}

TEST(Judge, FailGateThatDoesNotHoldFails) {
  Report r = healthy_run();
  r.candidate.signals["delivery_ratio"] = measured(400'000);
  judge(experiment_with({gate("delivery", "delivery_ratio", GateOp::ge, 990'000)}), r);
  EXPECT_EQ(r.gates[0].verdict, GateVerdict::fail);
  EXPECT_EQ(r.gates[0].reason, "not 40% >= 99%");
  EXPECT_EQ(r.verdict, Verdict::fail);
  EXPECT_EQ(exit_code_for(r.verdict), 1);
}

TEST(Judge, WarnGateThatDoesNotHoldWarnsAndDoesNotFailTheRun) {
  Report r = healthy_run();
  judge(experiment_with({gate("delivery", "delivery_ratio", GateOp::ge, 990'000),
                         gate("p99", "latency_p99", GateOp::le, 500, GateAction::warn)}),
        r);
  EXPECT_EQ(r.gates[1].verdict, GateVerdict::warn);
  EXPECT_EQ(r.verdict, Verdict::pass);
}

TEST(Judge, MissingSignalIsInconclusiveAndQuotesWhy) {
  Report r = healthy_run();
  judge(experiment_with({gate("delivery", "delivery_ratio", GateOp::ge, 990'000),
                         gate("quick", "time_to_quarantine", GateOp::le, 2000)}),
        r);
  EXPECT_EQ(r.gates[1].verdict, GateVerdict::inconclusive);
  EXPECT_NE(r.gates[1].reason.find("no source was quarantined"), std::string::npos);
  EXPECT_EQ(r.verdict, Verdict::inconclusive);
  EXPECT_EQ(exit_code_for(r.verdict), 3);
}

TEST(Judge, SignalNoArmHasIsNotMeasuredNeverZero) {
  Report r = healthy_run();
  judge(experiment_with({gate("drops", "drops.quota", GateOp::le, 0)}), r);
  const GateResult& g = r.gates[0];
  EXPECT_EQ(g.verdict, GateVerdict::inconclusive);
  EXPECT_FALSE(g.candidate.value);
  EXPECT_FALSE(g.baseline.value);
  EXPECT_EQ(g.candidate.missing, "not measured");
  EXPECT_NE(g.reason.find("not measured"), std::string::npos);
  EXPECT_EQ(r.verdict, Verdict::inconclusive);
}

TEST(Judge, TooFewSamplesIsInconclusive) {
  Report r = healthy_run();
  r.candidate.signals["delivery_ratio"] = measured(1'000'000, 2);
  judge(experiment_with(
            {gate("delivery", "delivery_ratio", GateOp::ge, 990'000, GateAction::fail, 5)}),
        r);
  EXPECT_EQ(r.gates[0].verdict, GateVerdict::inconclusive);
  EXPECT_NE(r.gates[0].reason.find("rests on 2 of 5 samples"), std::string::npos);
  EXPECT_EQ(r.verdict, Verdict::inconclusive);
}

TEST(Judge, ValueOnNoSampleIsInconclusiveEvenWithMinSamplesZero) {
  Report r = healthy_run();
  r.candidate.signals["delivery_ratio"] = measured(1'000'000, 0);
  judge(experiment_with(
            {gate("delivery", "delivery_ratio", GateOp::ge, 990'000, GateAction::fail, 0)}),
        r);
  EXPECT_EQ(r.gates[0].verdict, GateVerdict::inconclusive);
}

TEST(Judge, OneFailWinsOverInconclusiveAndWarn) {
  Report r = healthy_run();
  r.candidate.signals["legit_quarantined"] = measured(3);
  judge(experiment_with({gate("delivery", "delivery_ratio", GateOp::ge, 990'000),
                         gate("quick", "time_to_quarantine", GateOp::le, 2000),
                         gate("p99", "latency_p99", GateOp::le, 500, GateAction::warn),
                         gate("no-legit", "legit_quarantined", GateOp::eq, 0)}),
        r);
  EXPECT_EQ(r.gates[0].verdict, GateVerdict::pass);
  EXPECT_EQ(r.gates[1].verdict, GateVerdict::inconclusive);
  EXPECT_EQ(r.gates[2].verdict, GateVerdict::warn);
  EXPECT_EQ(r.gates[3].verdict, GateVerdict::fail);
  EXPECT_EQ(r.verdict, Verdict::fail);
}

TEST(Judge, TwinDownIsInconclusiveNeverPass) {
  for (bool candidate_down : {false, true}) {
    Report r = healthy_run();
    ArmResult& arm = candidate_down ? r.candidate : r.baseline;
    arm.twin_up = false;
    arm.twin_error = "r2: agent did not answer";
    judge(experiment_with({gate("delivery", "delivery_ratio", GateOp::ge, 990'000)}), r);
    EXPECT_EQ(r.gates[0].verdict, GateVerdict::pass);  // the values alone would pass
    EXPECT_EQ(r.verdict, Verdict::inconclusive) << "candidate down: " << candidate_down;
  }
}

TEST(Judge, FailedGateOnAHalfUpTwinStillFails) {
  Report r = healthy_run();
  r.baseline.twin_up = false;
  r.candidate.signals["delivery_ratio"] = measured(0);
  judge(experiment_with({gate("delivery", "delivery_ratio", GateOp::ge, 990'000)}), r);
  EXPECT_EQ(r.verdict, Verdict::fail);
}

TEST(Judge, NoFailGatesIsInconclusive) {
  Report r = healthy_run();
  judge(experiment_with({}), r);
  EXPECT_EQ(r.verdict, Verdict::inconclusive);
  judge(experiment_with({gate("p99", "latency_p99", GateOp::le, 900, GateAction::warn)}), r);
  EXPECT_EQ(r.gates[0].verdict, GateVerdict::pass);
  EXPECT_EQ(r.verdict, Verdict::inconclusive);
}

TEST(Judge, QualifiedSignalsAreLookedUpByTheirFullName) {
  Report r = healthy_run();
  r.candidate.signals["delivery_ratio.r1-to-r3"] = measured(1'000'000);
  judge(experiment_with({gate("flow", "delivery_ratio.r1-to-r3", GateOp::eq, 1'000'000)}), r);
  EXPECT_EQ(r.gates[0].verdict, GateVerdict::pass);
  EXPECT_EQ(r.gates[0].signal, "delivery_ratio.r1-to-r3");
}

TEST(Judge, Names) {
  EXPECT_EQ(verdict_name(Verdict::inconclusive), "inconclusive");
  EXPECT_EQ(gate_verdict_name(GateVerdict::warn), "warn");
}

// ------------------------------------------------------------------------------ codec

struct Signed {
  Ed25519KeyPair key = Ed25519KeyPair::generate();
  Report report;
  std::string text;
};

Signed signed_run() {
  Signed s;
  s.report = healthy_run();
  s.report.unmodelled = {"delay on r1-r2: this kernel has no netem"};
  judge(experiment_with({gate("delivery", "delivery_ratio", GateOp::ge, 990'000),
                         gate("quick", "time_to_quarantine", GateOp::le, 2000, GateAction::warn)}),
        s.report);
  sign_report(s.report, s.key);
  s.text = encode_report(s.report);
  return s;
}

ReportCheck verify(const std::string& text) { return verify_report_text(text, std::nullopt); }

void expect_refused(const ReportCheck& check, const std::string& problem) {
  EXPECT_FALSE(check.ok);
  EXPECT_NE(check.problem.find(problem), std::string::npos) << check.problem;
}

TEST(ReportCodec, EncodesTheContractFields) {
  const Signed s = signed_run();
  const json j = json::parse(s.text);
  EXPECT_EQ(j["verdict"], "pass");
  EXPECT_EQ(j["unmodelled"][0], "delay on r1-r2: this kernel has no netem");
  const json& g = j["gates"][0];
  EXPECT_EQ(g["name"], "delivery");
  EXPECT_EQ(g["signal"], "delivery_ratio");
  EXPECT_EQ(g["verdict"], "pass");
  EXPECT_EQ(g["op"], ">=");
  EXPECT_EQ(g["action"], "fail");
  EXPECT_EQ(g["threshold"], 990'000);
  EXPECT_EQ(g["candidate"]["value"], 999'500);
  EXPECT_EQ(g["candidate"]["samples"], 10);
  EXPECT_TRUE(j["gates"][1]["candidate"]["value"].is_null());
  EXPECT_EQ(j["gates"][1]["candidate"]["missing"], "no source was quarantined");
  EXPECT_EQ(j["digest"], s.report.digest);
  EXPECT_EQ(j["signature"], s.report.signature);
  EXPECT_EQ(j["signer"], capability::to_base64(s.key.public_key()));
  EXPECT_EQ(s.report.digest.size(), 64u);
}

TEST(ReportCodec, CanonicalBytesAreCompactSortedAndLeaveOutDigestAndSignature) {
  const Signed s = signed_run();
  const std::string canonical = canonical_bytes(s.report);
  EXPECT_EQ(canonical.find('\n'), std::string::npos);
  EXPECT_EQ(canonical.find("\"digest\""), std::string::npos);
  EXPECT_EQ(canonical.find("\"signature\""), std::string::npos);
  EXPECT_NE(canonical.find("\"signer\""), std::string::npos);  // who signed is signed too
  EXPECT_LT(canonical.find("\"baseline\""), canonical.find("\"build\""));
  EXPECT_EQ(canonical, json::parse(canonical).dump());
}

TEST(ReportCodec, SignedReportVerifies) {
  const Signed s = signed_run();
  const ReportCheck check = verify(s.text);
  EXPECT_TRUE(check.ok) << check.problem;
  EXPECT_EQ(check.problem, "");
  EXPECT_EQ(check.verdict, "pass");
  EXPECT_EQ(check.digest, s.report.digest);
  EXPECT_EQ(check.signer, capability::to_base64(s.key.public_key()));
  EXPECT_TRUE(verify_report_text(s.text, s.key.public_key()).ok);
}

TEST(ReportCodec, FlippedDigitIsADigestMismatch) {
  const Signed s = signed_run();
  std::string text = s.text;
  const size_t at = text.find("999500");
  ASSERT_NE(at, std::string::npos);
  text[at] = '8';
  expect_refused(verify(text), "digest mismatch");
}

TEST(ReportCodec, ChangedVerdictIsADigestMismatch) {
  Signed s = signed_run();
  json j = json::parse(s.text);
  j["verdict"] = "fail";
  expect_refused(verify(j.dump(2)), "digest mismatch");
}

TEST(ReportCodec, AddedFieldIsADigestMismatch) {
  const Signed s = signed_run();
  json j = json::parse(s.text);
  j["gates"][0]["note"] = "harmless";
  expect_refused(verify(j.dump(2)), "digest mismatch");
  json top = json::parse(s.text);
  top["reviewed_by"] = "nobody";
  expect_refused(verify(top.dump(2)), "digest mismatch");
}

TEST(ReportCodec, RemovedGateIsADigestMismatch) {
  const Signed s = signed_run();
  json j = json::parse(s.text);
  j["gates"].erase(1);
  expect_refused(verify(j.dump(2)), "digest mismatch");
}

TEST(ReportCodec, SignatureFromAnotherReportIsBad) {
  const Signed s = signed_run();
  Report other = s.report;
  other.experiment = "another";
  sign_report(other, s.key);
  json j = json::parse(s.text);
  j["signature"] = other.signature;
  expect_refused(verify(j.dump(2)), "bad signature");
}

TEST(ReportCodec, ResignedByAnotherKeyIsRefusedUnderTheExpectedKey) {
  const Signed s = signed_run();
  const Ed25519KeyPair stranger = Ed25519KeyPair::generate();
  Report forged = s.report;
  sign_report(forged, stranger);
  const std::string text = encode_report(forged);
  EXPECT_TRUE(verify(text).ok);  // intact, but by whom: --vkey answers that
  const ReportCheck check = verify_report_text(text, s.key.public_key());
  expect_refused(check, "signed by " + capability::to_base64(stranger.public_key()) +
                            ", not the expected key " + capability::to_base64(s.key.public_key()));
}

TEST(ReportCodec, SignerSwappedWithoutResigningIsRefused) {
  const Signed s = signed_run();
  json j = json::parse(s.text);
  j["signer"] = capability::to_base64(Ed25519KeyPair::generate().public_key());
  expect_refused(verify(j.dump(2)), "digest mismatch");  // the signer is in the signed bytes
}

TEST(ReportCodec, FloatAnywhereIsRefusedNamingItsPath) {
  const Signed s = signed_run();
  std::string text = s.text;
  const size_t at = text.find("999500");
  ASSERT_NE(at, std::string::npos);
  text.insert(at + 6, ".0");
  const ReportCheck check = verify(text);
  expect_refused(check, "non-integer number at baseline.signals.delivery_ratio.value");
  expect_refused(check, "reports are integers only");
  json j = json::parse(s.text);
  j["gates"][0]["threshold"] = 990000.5;
  expect_refused(verify(j.dump()), "non-integer number at gates[0].threshold");
}

TEST(ReportCodec, KeyOrderAndWhitespaceDoNotMatter) {
  const Signed s = signed_run();
  const json j = json::parse(s.text);
  // Keys in reverse order and no indentation: the same report to anyone who parses it.
  std::string reversed = "{";
  std::vector<std::string> members;
  for (const auto& [key, value] : j.items())
    members.push_back(json(key).dump() + " : " + value.dump());
  for (auto it = members.rbegin(); it != members.rend(); ++it)
    reversed += (it == members.rbegin() ? "\n  " : ",\n\t") + *it;
  reversed += "\n}\n";
  ASSERT_NE(reversed, s.text);
  EXPECT_LT(reversed.find("\"verdict\""), reversed.find("\"baseline\""));
  const ReportCheck check = verify(reversed);
  EXPECT_TRUE(check.ok) << check.problem;
  EXPECT_TRUE(verify(j.dump()).ok);
}

TEST(ReportCodec, RepeatedKeyIsRefused) {
  const Signed s = signed_run();
  std::string text = s.text;
  text.insert(text.find('{') + 1, "\"verdict\": \"fail\",");
  expect_refused(verify(text), "holds the key \"verdict\" twice");
}

TEST(ReportCodec, MissingOrMistypedFieldsAreNamed) {
  const Signed s = signed_run();
  for (const char* field : {"digest", "signature", "signer"}) {
    json j = json::parse(s.text);
    j.erase(field);
    expect_refused(verify(j.dump()), std::string("the report has no ") + field);
    j[field] = 7;
    expect_refused(verify(j.dump()), std::string("the report's ") + field + " is not a string");
  }
}

TEST(ReportCodec, UnsignedReportIsRefused) {
  const Report unsigned_report = healthy_run();
  EXPECT_FALSE(verify(encode_report(unsigned_report)).ok);
}

TEST(ReportCodec, NotJsonOrNotAnObjectIsNamed) {
  expect_refused(verify("{\"verdict\": "), "not JSON");
  expect_refused(verify("[1, 2]"), "not an object");
  expect_refused(verify(""), "not JSON");
}

TEST(ReportCodec, CapturedBytesThatAreNotUtf8StillSignAndVerify) {
  Report r = healthy_run();
  r.baseline.twin_up = false;
  r.baseline.twin_error = std::string("ip: \xff\xfe bad output\x01");
  judge(experiment_with({gate("delivery", "delivery_ratio", GateOp::ge, 990'000)}), r);
  const Ed25519KeyPair key = Ed25519KeyPair::generate();
  sign_report(r, key);
  const std::string text = encode_report(r);
  const ReportCheck check = verify(text);
  EXPECT_TRUE(check.ok) << check.problem;
  EXPECT_EQ(check.verdict, "inconclusive");
}

// ------------------------------------------------------------------------------ table

TEST(ReportTable, ShowsSignalsGatesUnmodelledAndVerdict) {
  const Signed s = signed_run();
  const std::string table = render_table(s.report);
  for (const char* expected :
       {"small-mesh", "delivery_ratio", "ppm", "latency_p99", "us", "time_to_quarantine",
        "no source was quarantined", "delivery", "quick", ">= 99%", "99.95% (n=10)",
        "delay on r1-r2: this kernel has no netem", "verdict: pass"})
    EXPECT_NE(table.find(expected), std::string::npos) << expected << "\n" << table;
  EXPECT_EQ(table.find('\x1b'), std::string::npos);  // plain text, no colours
}

TEST(ReportTable, EscapesCapturedTextAndSaysTheTwinWasDown) {
  Report r = healthy_run();
  r.candidate.twin_up = false;
  r.candidate.twin_error = "boom\n\x1b[2Jverdict: pass";
  judge(experiment_with({gate("delivery", "delivery_ratio", GateOp::ge, 990'000)}), r);
  const std::string table = render_table(r);
  EXPECT_NE(table.find("twin DOWN: boom\\n\\x1b[2Jverdict: pass"), std::string::npos) << table;
  EXPECT_EQ(table.find('\x1b'), std::string::npos);
  EXPECT_NE(table.find("verdict: inconclusive"), std::string::npos);
}

TEST(ReportTable, QuantitiesAreShownInTheirUnits) {
  EXPECT_EQ(format_quantity(999500, Unit::ppm), "99.95%");
  EXPECT_EQ(format_quantity(1000000, Unit::ppm), "100%");
  EXPECT_EQ(format_quantity(7, Unit::ppm), "0%");  // below the shown precision
  EXPECT_EQ(format_quantity(120, Unit::microseconds), "120 us");
  EXPECT_EQ(format_quantity(1228, Unit::microseconds), "1.2 ms");
  EXPECT_EQ(format_quantity(3400, Unit::milliseconds), "3.4 s");
  EXPECT_EQ(format_quantity(-5, Unit::count), "-5");
}

}  // namespace
}  // namespace westworld::cradle

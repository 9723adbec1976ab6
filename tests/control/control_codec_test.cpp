// The control protocol's serializer: every command round-trips, and every way a
// request can be wrong is refused with the field named, never defaulted.
#include <gtest/gtest.h>

#include <string>

#include "westworld/control/codec.h"
#include "westworld/control/override_message.h"

namespace westworld::control {
namespace {

template <typename Request>
Request round_trip(const Request& request) {
  const AnyRequest decoded = decode_request(encode_request(request));
  EXPECT_TRUE(std::holds_alternative<Request>(decoded)) << encode_request(request);
  return std::get<Request>(decoded);
}

Error refusal(std::string_view line) {
  try {
    decode_request(line);
  } catch (const DecodeError& e) {
    return e.error();
  }
  ADD_FAILURE() << "accepted: " << line;
  return {};
}

bool mentions(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(ControlCodec, ApplyRequestRoundTripsWithItsCredentials) {
  ApplyRequest apply;
  apply.policy = "version: 1\n";
  apply.source = "/etc/westworld/policy.yaml";
  apply.credentials.token = "AgEE";
  apply.credentials.discharges = {"d1", "d2"};
  apply.credentials.signatures = {{"cGVlcg==", "c2ln"}};
  apply.credentials.nonce = std::string(64, 'a');
  apply.credentials.time = 1780000000;
  const ApplyRequest back = round_trip(apply);
  EXPECT_EQ(back.policy, apply.policy);
  EXPECT_EQ(back.source, apply.source);
  EXPECT_EQ(back.credentials.token, apply.credentials.token);
  EXPECT_EQ(back.credentials.discharges, apply.credentials.discharges);
  ASSERT_EQ(back.credentials.signatures.size(), 1u);
  EXPECT_EQ(back.credentials.signatures[0].peer, "cGVlcg==");
  EXPECT_EQ(back.credentials.signatures[0].signature, "c2ln");
  EXPECT_EQ(back.credentials.nonce, apply.credentials.nonce);
  EXPECT_EQ(back.credentials.time, 1780000000);
}

TEST(ControlCodec, EveryOtherRequestRoundTrips) {
  round_trip(PingRequest{});
  round_trip(StatusRequest{});
  round_trip(ReloadRequest{});
  round_trip(UnfreezeRequest{});
  round_trip(QuarantineListRequest{});
  EXPECT_EQ(round_trip(DetachRequest{"eth0"}).iface, "eth0");
  EXPECT_FALSE(round_trip(DetachRequest{}).iface.has_value());
  EXPECT_EQ(round_trip(QuarantineDelRequest{"10.0.0.9"}).source, "10.0.0.9");
  EXPECT_EQ(round_trip(AlertsRequest{7}).limit, 7u);
  EXPECT_EQ(round_trip(TopRequest{3}).limit, 3u);
  QuarantineAddRequest add{"10.0.0.9", "limit", 60, 100, 200};
  const QuarantineAddRequest back = round_trip(add);
  EXPECT_EQ(back.source, "10.0.0.9");
  EXPECT_EQ(back.action, "limit");
  EXPECT_EQ(back.ban_s, 60u);
  EXPECT_EQ(back.pps, 100u);
  EXPECT_EQ(back.burst, 200u);
}

// The override message is also the file operators pass around: every field survives, and
// it turns back into the same override, signatures included.
TEST(ControlCodec, AnEmergencyOverrideRoundTripsIntoTheSameSignedOverride) {
  charter::EmergencyOverride o;
  o.rules = {"deny-telnet", "deny-ssh"};
  o.reason = "relief team";
  o.affected_nodes = {"r1"};
  o.issued_at = common::UnixSeconds{std::chrono::seconds(1'790'000'000)};
  o.expires_at = o.issued_at + std::chrono::minutes(90);
  o.nonce.fill(0xab);
  const auto key = capability::Ed25519KeyPair::generate();
  const std::vector<charter::OperatorSignature> signatures = {charter::sign_override(o, key)};
  const CharterOverrideRequest back = round_trip(to_message(o, signatures));
  EXPECT_EQ(back.expires_at, "2026-09-21T15:43:20Z");
  const OverrideMessage parsed = from_message(back);
  EXPECT_EQ(charter::override_id(parsed.override_), charter::override_id(o));
  ASSERT_EQ(parsed.signatures.size(), 1u);
  EXPECT_TRUE(capability::ed25519_verify(
      charter::override_digest(o), parsed.signatures[0].signature, parsed.signatures[0].signer));

  CharterOverrideRequest bad = back;
  bad.nonce = "zz";
  EXPECT_THROW((void)from_message(bad), std::invalid_argument);
  bad = back;
  bad.expires_at = "in two hours";
  EXPECT_THROW((void)from_message(bad), std::invalid_argument);
  EXPECT_EQ(round_trip(CharterOverridesRequest{0}).limit, 0u);
}

TEST(ControlCodec, RequestsCarryTheProtocolVersionAndTheOtherVersionIsRefused) {
  EXPECT_TRUE(mentions(encode_request(PingRequest{}), "\"version\":1"));
  EXPECT_EQ(refusal(R"({"cmd":"ping"})").code, ErrorCode::unsupported_version);
  EXPECT_EQ(refusal(R"({"version":2,"cmd":"ping"})").code, ErrorCode::unsupported_version);
  EXPECT_EQ(refusal(R"({"version":"1","cmd":"ping"})").code, ErrorCode::unsupported_version);
}

TEST(ControlCodec, MalformedRequestsAreRefusedWithTheFieldNamed) {
  EXPECT_EQ(refusal("not json").code, ErrorCode::bad_request);
  EXPECT_EQ(refusal("[1,2]").code, ErrorCode::bad_request);
  EXPECT_EQ(refusal(R"({"version":1})").code, ErrorCode::bad_request);
  EXPECT_EQ(refusal(R"({"version":1,"cmd":"launch"})").code, ErrorCode::unknown_command);

  // nlohmann would read -1 as 4294967295 and 1e30 as garbage: the codec refuses.
  Error e = refusal(R"({"version":1,"cmd":"alerts","limit":-1})");
  EXPECT_EQ(e.code, ErrorCode::bad_request);
  EXPECT_TRUE(mentions(e.message, "limit")) << e.message;
  e = refusal(R"({"version":1,"cmd":"quarantine.add","source":"10.0.0.1","ban_s":-1})");
  EXPECT_TRUE(mentions(e.message, "ban_s")) << e.message;
  e = refusal(R"({"version":1,"cmd":"top","limit":4294967296})");
  EXPECT_TRUE(mentions(e.message, "limit")) << e.message;
  e = refusal(R"({"version":1,"cmd":"apply","policy":"x","time":"yesterday"})");
  EXPECT_TRUE(mentions(e.message, "time")) << e.message;
  e = refusal(R"({"version":1,"cmd":"apply","policy":"x","signatures":[{"peer":"p"}]})");
  EXPECT_TRUE(mentions(e.message, "signatures[0].signature")) << e.message;
  e = refusal(R"({"version":1,"cmd":"apply"})");
  EXPECT_TRUE(mentions(e.message, "policy")) << e.message;
  // A misspelt field is an error, not a silent default.
  e = refusal(R"({"version":1,"cmd":"detach","interface":"eth0"})");
  EXPECT_TRUE(mentions(e.message, "interface")) << e.message;
}

TEST(ControlCodec, RepliesRoundTripAndKeepTheirJsonShape) {
  StatusReply status;
  status.guard.pin_root = "/sys/fs/bpf/westworld";
  status.guard.xdp_prog_id = 41;
  status.guard.interfaces.push_back({"eth0", 2, "native", 41, 42, std::nullopt});
  status.guard.policy = {true, 3, std::string(64, 'b'), 5, 2, "allow", "/etc/p.yaml"};
  status.guard.counters.direction[WW_DIR_INGRESS].stats[WW_STAT_SEEN] = {10, 640};
  status.guard.counters.direction[WW_DIR_EGRESS].drops[WW_DROP_QUOTA] = {4, 256};
  status.guard.rules.push_back({0, "no-telemetry", "deny", {3, 192}});
  status.guard.rules.push_back({1, std::nullopt, "allow", {0, 0}});
  status.guard.sources = {5, 64, 9, 4, {{"10.0.0.1", 7, 448, 1, 2, 3}}};
  status.agent = {true, "/etc/p.yaml", {}};
  status.watchman = WatchmanSummary{true, "burst", 2, 1, 5, 1000};

  const std::string line = encode_reply(status);
  // The shape wwctl status --json has always printed.
  EXPECT_TRUE(mentions(line, R"("counters":{"egress")")) << line;
  EXPECT_TRUE(mentions(line, R"("seen":{"bytes":640,"packets":10})")) << line;
  EXPECT_TRUE(mentions(line, R"("xdp_attached":null)")) << line;

  const Result<StatusReply> back = decode_reply<StatusReply>(line);
  ASSERT_TRUE(back.ok());
  const StatusReply& s = back.value();
  EXPECT_EQ(s.guard.pin_root, status.guard.pin_root);
  EXPECT_EQ(s.guard.xdp_prog_id, 41u);
  ASSERT_EQ(s.guard.interfaces.size(), 1u);
  EXPECT_FALSE(s.guard.interfaces[0].xdp_attached.has_value());
  EXPECT_EQ(s.guard.policy.source, "/etc/p.yaml");
  EXPECT_EQ(s.guard.counters.packets(WW_DIR_INGRESS, WW_STAT_SEEN), 10u);
  EXPECT_EQ(s.guard.counters.direction[WW_DIR_EGRESS].drops[WW_DROP_QUOTA].bytes, 256u);
  ASSERT_EQ(s.guard.rules.size(), 2u);
  EXPECT_EQ(s.guard.rules[0].name, "no-telemetry");
  EXPECT_FALSE(s.guard.rules[1].name.has_value());
  EXPECT_EQ(s.guard.sources.busiest.at(0).class_id, 3u);
  ASSERT_TRUE(s.watchman.has_value());
  EXPECT_EQ(s.watchman->freeze_reason, "burst");
}

TEST(ControlCodec, ErrorsCarryCodeMessageAndDetails) {
  const std::string line =
      encode_error({ErrorCode::policy_rejected, "policy rejected", {"p.yaml:3:5: error: x"}});
  const Result<ApplyReply> back = decode_reply<ApplyReply>(line);
  ASSERT_FALSE(back.ok());
  EXPECT_EQ(back.error().code, ErrorCode::policy_rejected);
  EXPECT_EQ(back.error().message, "policy rejected");
  EXPECT_EQ(back.error().details, std::vector<std::string>{"p.yaml:3:5: error: x"});
}

// Finding 1 of issue 8: text that is not UTF-8 (a rule name yaml-cpp decoded from
// "\N") made dump() throw and killed the agent. The serializer replaces it instead.
TEST(ControlCodec, BytesThatAreNotUtf8NeverMakeAReplyUnserializable) {
  const std::string hostile = std::string("rule \x85\xa0\xff") + "\r\n\x1b[31m";
  const std::string line = encode_error({ErrorCode::policy_rejected, hostile, {hostile}});
  EXPECT_EQ(line.find('\n'), std::string::npos) << "a reply is exactly one line";
  const Result<ApplyReply> back = decode_reply<ApplyReply>(line);
  ASSERT_FALSE(back.ok());
  EXPECT_TRUE(mentions(back.error().message, "\xEF\xBF\xBD")) << "U+FFFD replaces bad bytes";

  ApplyReply reply;
  reply.warnings = {hostile};
  EXPECT_TRUE(decode_reply<ApplyReply>(encode_reply(reply)).ok());
}

}  // namespace
}  // namespace westworld::control

// The governance records as etcd keeps them: each one reads back as written (a decoded
// proposal still verifies, a decoded vote still counts), and anything else, field by field,
// is a RecordError that names the field.
#include "westworld/governance/records.h"

#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>

#include "governance_fixture.h"
#include "westworld/capability/bytes.h"

namespace westworld::governance {
namespace {

using nlohmann::json;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using testing::Mesh;

// The message of the RecordError `decode` throws on `doc`, or "" when it decodes. Any other
// exception escapes and fails the test: etcd's bytes must never surprise a reader.
std::string record_error(const std::function<void(std::string_view)>& decode,
                         const std::string& text) {
  try {
    decode(text);
  } catch (const RecordError& e) {
    return e.what();
  }
  return "";
}

struct Mutation {
  std::string name;
  std::function<void(json&)> change;
  std::string says;  // a piece of the error, naming the field
};

void expect_refusals(const std::function<void(std::string_view)>& decode,
                     const std::string& encoded, const std::vector<Mutation>& mutations) {
  ASSERT_EQ(record_error(decode, encoded), "");  // the record itself decodes
  for (const Mutation& m : mutations) {
    json doc = json::parse(encoded);
    m.change(doc);
    const std::string error = record_error(decode, doc.dump());
    EXPECT_NE(error, "") << m.name << " was accepted";
    EXPECT_NE(error.find(m.says), std::string::npos) << m.name << " -> " << error;
  }
}

// Settings unlike the defaults, so a field that decodes to its default is caught.
Genesis founded(const Mesh& mesh) {
  Genesis g{"riverside", mesh.members, {}};
  GovernanceSettings& s = g.settings;
  s.standard = {{600'000, 200'000}, hours(48)};
  s.emergency = {{700'000, 670'000}, hours(1)};
  s.min_window = minutes(5);
  s.max_window = hours(24 * 7);
  s.default_bake = minutes(15);
  s.experiment_above_ppm = 250'000;
  s.sample_interval = seconds(5);
  s.min_samples = 4;
  s.nodata_limit = 12;
  return g;
}

TEST(Records, GenesisRoundTrips) {
  const Mesh mesh({1, 2, 3});
  const Genesis g = founded(mesh);
  ASSERT_EQ(settings_error(g.settings), std::nullopt);
  const std::string text = encode_genesis(g);
  const Genesis back = decode_genesis(text);
  EXPECT_EQ(back.mesh, "riverside");
  ASSERT_EQ(back.members.members.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(back.members.members[i].id, g.members.members[i].id);
    EXPECT_EQ(back.members.members[i].key, g.members.members[i].key);
    EXPECT_EQ(back.members.members[i].power, g.members.members[i].power);
  }
  EXPECT_EQ(back.settings.emergency.thresholds.support_ppm, 700'000u);
  EXPECT_EQ(back.settings.standard.window, hours(48));
  EXPECT_EQ(back.settings.nodata_limit, 12u);
  // The digest covers every field: equal digests mean nothing was lost or changed.
  EXPECT_EQ(genesis_digest(back), genesis_digest(g));
  EXPECT_EQ(encode_genesis(back), text);
  EXPECT_EQ(json::parse(text)["format"], kGenesisFormat);
}

TEST(Records, GenesisDecodingIsStrict) {
  const Mesh mesh({1, 1});
  const std::string encoded = encode_genesis(founded(mesh));
  expect_refusals(
      [](std::string_view t) { decode_genesis(t); }, encoded,
      {
          {"a string, not an object", [](json& d) { d = "{"; }, "not a JSON object"},
          {"an unknown field", [](json& d) { d["quorum"] = 1; }, "field 'quorum' is not a field"},
          {"a missing field", [](json& d) { d.erase("nodata_limit"); },
           "field 'nodata_limit' is missing"},
          {"a missing format", [](json& d) { d.erase("format"); }, "field 'format' is missing"},
          {"another format", [](json& d) { d["format"] = kProposalFormat; },
           "field 'format' must be 'westworld/gov-genesis/v1'"},
          {"a format that is no string", [](json& d) { d["format"] = 1; },
           "field 'format' must be a string"},
          {"a mesh that is no string", [](json& d) { d["mesh"] = 7; },
           "field 'mesh' must be a string"},
          {"a negative setting", [](json& d) { d["min_samples"] = -3; },
           "field 'min_samples' must be a non-negative integer"},
          {"a fractional setting", [](json& d) { d["sample_interval_s"] = 2.5; },
           "field 'sample_interval_s' must be a non-negative integer"},
          {"a setting above 32 bits", [](json& d) { d["nodata_limit"] = 1ull << 32; },
           "field 'nodata_limit' is too large"},
          {"no members", [](json& d) { d["members"] = json::array(); },
           "field 'members' must be a non-empty list"},
          {"members that are no list", [](json& d) { d["members"] = "m0"; },
           "field 'members' must be a non-empty list"},
          {"a member with power 0", [](json& d) { d["members"][1]["power"] = 0; },
           "members[1]: field 'power' must be at least 1"},
          {"a member with a text power", [](json& d) { d["members"][0]["power"] = "1"; },
           "members[0]: field 'power' must be a non-negative integer"},
          {"duplicate member ids", [](json& d) { d["members"][1]["id"] = "m0"; },
           "members[1]: field 'id' 'm0' appears twice"},
          {"a member's bad key", [](json& d) { d["members"][0]["key"] = "bm90IGEga2V5"; },
           "members[0]: field 'key' is not an Ed25519 public key"},
          {"a member's unknown field", [](json& d) { d["members"][0]["role"] = "chair"; },
           "members[0]: field 'role' is not a field"},
          {"a member without a key", [](json& d) { d["members"][1].erase("key"); },
           "members[1]: field 'key' is missing"},
          {"a ppm above 100%", [](json& d) { d["standard"]["support_ppm"] = kPpm + 1; },
           "standard: field 'support_ppm' must be at most 1000000"},
          {"a kind's unknown field", [](json& d) { d["emergency"]["veto"] = true; },
           "emergency: field 'veto' is not a field"},
          {"a kind that is no object", [](json& d) { d["emergency"] = 5; },
           "emergency: the record is not a JSON object"},
          // Each field reads, but the settings could not govern anything.
          {"support at 100%", [](json& d) { d["standard"]["support_ppm"] = kPpm; },
           "the settings standard support must be below 100%"},
          {"zero samples", [](json& d) { d["min_samples"] = 0; },
           "the settings a wave needs at least one sample"},
      });
}

// Ids AND keys are unique (members.h), as parse_members() says: one key under two ids would
// be two votes for one person.
TEST(Records, GenesisRefusesAKeyListedTwice) {
  const Mesh mesh({1, 1});
  json doc = json::parse(encode_genesis(founded(mesh)));
  doc["members"][1]["key"] = doc["members"][0]["key"];
  const std::string error = record_error([](std::string_view t) { decode_genesis(t); }, doc.dump());
  EXPECT_NE(error.find("members[1]: field 'key'"), std::string::npos) << error;
}

ProposalRecord record_of(const SignedProposal& p) { return {p, "deny tcp 23\n", "", ""}; }

TEST(Records, ProposalRoundTripsAndStillVerifies) {
  const Mesh mesh({1, 1, 1});
  const SignedProposal signed_proposal = mesh.signed_proposal(ProposalKind::emergency);
  const std::string text = encode_proposal(record_of(signed_proposal));
  EXPECT_FALSE(json::parse(text).contains("experiment_report"));  // absent, not null
  const ProposalRecord back = decode_proposal(text);
  EXPECT_EQ(back.policy_text, "deny tcp 23\n");
  EXPECT_FALSE(back.proposal.proposal.experiment_report.has_value());
  EXPECT_EQ(back.proposal.proposal.kind, ProposalKind::emergency);
  EXPECT_EQ(back.proposal.proposal.gates, signed_proposal.proposal.gates);
  EXPECT_EQ(back.proposal.signature, signed_proposal.signature);
  // The id covers every signed field, and the signature still holds over it.
  EXPECT_EQ(proposal_id(back.proposal.proposal), proposal_id(signed_proposal.proposal));
  EXPECT_TRUE(verify_proposal(back.proposal, mesh.keys[0].public_key()));
  EXPECT_EQ(proposal_error(back.proposal, mesh.members), std::nullopt);
  EXPECT_EQ(encode_proposal(back), text);
}

TEST(Records, ProposalWithAnExperimentReportRoundTrips) {
  const Mesh mesh({1, 1});
  Proposal p = mesh.proposal();
  capability::Digest report{};
  report.fill(0x5c);
  report[0] = 0x01;
  p.experiment_report = report;
  const SignedProposal signed_proposal = sign_proposal(p, mesh.keys[0]);
  const std::string text = encode_proposal(record_of(signed_proposal));
  EXPECT_EQ(json::parse(text)["experiment_report"], hex_id(report));
  const ProposalRecord back = decode_proposal(text);
  ASSERT_TRUE(back.proposal.proposal.experiment_report.has_value());
  EXPECT_EQ(*back.proposal.proposal.experiment_report, report);
  EXPECT_TRUE(verify_proposal(back.proposal, mesh.keys[0].public_key()));

  // Dropping the report from the record yields another proposal: its signature fails.
  json doc = json::parse(text);
  doc.erase("experiment_report");
  const ProposalRecord stripped = decode_proposal(doc.dump());
  EXPECT_FALSE(verify_proposal(stripped.proposal, mesh.keys[0].public_key()));
}

TEST(Records, AMemberChangeRoundTripsWithItsMembers) {
  const Mesh mesh({1, 2});
  Proposal p = mesh.proposal();
  p.action = ProposalAction::change_members;
  p.policy_digest = {};
  p.subject = members_digest(mesh.members);
  p.waves.clear();
  p.gates.clear();
  p.bake = std::chrono::seconds(0);
  const ProposalRecord record{sign_proposal(p, mesh.keys[0]), "", "", format_members(mesh.members)};
  const std::string text = encode_proposal(record);
  EXPECT_EQ(json::parse(text).at("action"), "change_members");
  const ProposalRecord back = decode_proposal(text);
  EXPECT_EQ(back.proposal.proposal.action, ProposalAction::change_members);
  EXPECT_EQ(back.proposal.proposal.subject, p.subject);
  EXPECT_EQ(members_digest(parse_members(back.members_text, "back")), p.subject);
  EXPECT_TRUE(verify_proposal(back.proposal, mesh.keys[0].public_key()));
  EXPECT_EQ(encode_proposal(back), text);
}

TEST(Records, ProposalDecodingIsStrict) {
  const Mesh mesh({1, 1});
  const std::string encoded = encode_proposal(record_of(mesh.signed_proposal()));
  const std::string digest_62(62, 'a');
  expect_refusals(
      [](std::string_view t) { decode_proposal(t); }, encoded,
      {
          {"an unknown field", [](json& d) { d["priority"] = "high"; },
           "field 'priority' is not a field"},
          {"a missing field", [](json& d) { d.erase("gates"); }, "field 'gates' is missing"},
          {"a missing signature", [](json& d) { d.erase("signature"); },
           "field 'signature' is missing"},
          {"another format", [](json& d) { d["format"] = kVoteFormat; },
           "field 'format' must be 'westworld/gov-proposal/v1'"},
          {"a later version", [](json& d) { d["format"] = "westworld/gov-proposal/v2"; },
           "field 'format' must be"},
          {"created as text", [](json& d) { d["created"] = "yesterday"; },
           "field 'created' must be an integer"},
          {"a negative window", [](json& d) { d["window_s"] = -1; },
           "field 'window_s' must be a non-negative integer"},
          {"a negative bake", [](json& d) { d["bake_s"] = -60; },
           "field 'bake_s' must be a non-negative integer"},
          {"targets as one string", [](json& d) { d["targets"] = "all"; },
           "field 'targets' must be a list of strings"},
          {"a wave that is a number",
           [](json& d) {
             d["waves"] = {1, "100%"};
           },
           "field 'waves' must be a list of strings"},
          {"an unknown kind", [](json& d) { d["kind"] = "urgent"; }, "field 'kind' must be"},
          {"a policy digest that is not hex",
           [](json& d) { d["policy_digest"] = std::string(64, 'z'); },
           "field 'policy_digest' must be 64 hex digits"},
          {"a short policy digest", [digest_62](json& d) { d["policy_digest"] = digest_62; },
           "field 'policy_digest' must be 64 hex digits"},
          {"a bad members digest", [](json& d) { d["members_digest"] = "ab"; },
           "field 'members_digest' must be 64 hex digits"},
          {"a bad experiment report", [](json& d) { d["experiment_report"] = "not hex"; },
           "field 'experiment_report' must be 64 hex digits"},
          {"a null experiment report", [](json& d) { d["experiment_report"] = nullptr; },
           "field 'experiment_report' must be a string"},
          {"a signature that is not base64", [](json& d) { d["signature"] = "%%%not-base64%%%"; },
           "field 'signature' must be base64 of 64 bytes"},
          {"a short signature",
           [](json& d) {
             d["signature"] = capability::to_base64(std::vector<std::uint8_t>(63, 7));
           },
           "field 'signature' must be base64 of 64 bytes"},
          {"a policy that is no text", [](json& d) { d["policy"] = json::object(); },
           "field 'policy' must be a string"},
          {"an unknown action", [](json& d) { d["action"] = "seize"; }, "field 'action' must be"},
          {"deploy_policy spelled out", [](json& d) { d["action"] = "deploy_policy"; },
           "field 'action' must be"},
          {"an action without a subject", [](json& d) { d["action"] = "change_members"; },
           "field 'subject' is required with an action"},
          {"a subject without an action", [](json& d) { d["subject"] = std::string(64, 'a'); },
           "field 'subject' is only for an action"},
          {"members on a policy", [](json& d) { d["members"] = "m9 key 1\n"; },
           "field 'members' is only for a change_members proposal"},
          {"an array, not an object", [](json& d) { d = json::array({d}); }, "not a JSON object"},
      });
}

TEST(Records, VoteRoundTripsAndStillCounts) {
  const Mesh mesh({1, 1, 1});
  const SignedProposal p = mesh.signed_proposal();
  for (const Choice choice : {Choice::yes, Choice::no, Choice::abstain}) {
    const SignedVote vote = mesh.vote(p, 2, choice, minutes(5));
    const std::string text = encode_vote(vote);
    const SignedVote back = decode_vote(text);
    EXPECT_EQ(back.vote.choice, choice);
    EXPECT_EQ(back.vote.voter, "m2");
    EXPECT_EQ(back.vote.at, vote.vote.at);
    EXPECT_EQ(back.vote.proposal, proposal_id(p.proposal));
    EXPECT_EQ(vote_digest(back.vote), vote_digest(vote.vote));
    EXPECT_TRUE(check_vote(back, p, mesh.members, {}).ok()) << to_string(choice);
    EXPECT_EQ(encode_vote(back), text);
  }
}

TEST(Records, VoteDecodingIsStrict) {
  const Mesh mesh({1, 1});
  const std::string encoded = encode_vote(mesh.vote(mesh.signed_proposal(), 1, Choice::yes));
  expect_refusals(
      [](std::string_view t) { decode_vote(t); }, encoded,
      {
          {"an unknown field", [](json& d) { d["weight"] = 5; }, "field 'weight' is not a field"},
          {"a missing voter", [](json& d) { d.erase("voter"); }, "field 'voter' is missing"},
          {"another format", [](json& d) { d["format"] = kGenesisFormat; },
           "field 'format' must be 'westworld/gov-vote/v1'"},
          {"an unknown choice", [](json& d) { d["choice"] = "maybe"; }, "field 'choice' must be"},
          {"a choice that is no text", [](json& d) { d["choice"] = true; },
           "field 'choice' must be a string"},
          {"an unknown kind", [](json& d) { d["kind"] = "Standard"; }, "field 'kind' must be"},
          {"a fractional time", [](json& d) { d["at"] = 1.5; }, "field 'at' must be an integer"},
          {"a proposal id that is not hex", [](json& d) { d["proposal"] = "riverside"; },
           "field 'proposal' must be 64 hex digits"},
          {"a signature that is not base64", [](json& d) { d["signature"] = "!"; },
           "field 'signature' must be base64 of 64 bytes"},
          {"a voter that is no text", [](json& d) { d["voter"] = 0; },
           "field 'voter' must be a string"},
      });
}

// Bytes that are not JSON at all are a RecordError too, not a parser's exception.
TEST(Records, TextThatIsNotJsonIsRefused) {
  for (const std::string text : {"", "{", "null", "{\"format\": \"westworld/gov-vote/v1\",}"}) {
    EXPECT_THROW(decode_genesis(text), RecordError) << text;
    EXPECT_THROW(decode_proposal(text), RecordError) << text;
    EXPECT_THROW(decode_vote(text), RecordError) << text;
  }
}

// A record of one kind fed to another kind's decoder is refused, not half-read.
TEST(Records, ARecordOfAnotherKindIsRefused) {
  const Mesh mesh({1});
  const SignedProposal p = mesh.signed_proposal();
  EXPECT_THROW(decode_proposal(encode_vote(mesh.vote(p, 0, Choice::yes))), RecordError);
  EXPECT_THROW(decode_vote(encode_proposal(record_of(p))), RecordError);
  EXPECT_THROW(decode_genesis(encode_vote(mesh.vote(p, 0, Choice::yes))), RecordError);
}

TEST(Records, HexIdIsLowercaseHex) {
  capability::Digest digest{};
  digest.fill(0xab);
  digest[31] = 0x0f;
  std::string expected;
  for (int i = 0; i < 31; ++i) expected += "ab";
  EXPECT_EQ(hex_id(digest), expected + "0f");
}

}  // namespace
}  // namespace westworld::governance

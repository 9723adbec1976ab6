// The caveat grammar and the token verifier: each caveat holds or fails on its own terms,
// unknown or malformed caveats fail, and attenuation only ever narrows.
#include "westworld/capability/caveat.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "westworld/capability/token_verifier.h"

namespace westworld::capability {
namespace {

const UnixSeconds kNow = *parse_rfc3339_utc("2026-06-01T00:00:00Z");
const std::string kRootKey = "root key of the test mesh";
const std::string kGovernanceKey = "governance key";

RequestContext request(std::string action = "quarantine", std::string node = "n1",
                       std::uint64_t affected = 1, std::uint64_t size = 1000) {
  return {action, node, affected, size};
}

Macaroon token(std::initializer_list<std::string> caveats) {
  Macaroon m = Macaroon::mint(as_bytes(kRootKey), as_bytes("token-1"), "westworld");
  for (const auto& c : caveats) m.add_first_party_caveat(c);
  return m;
}

TokenVerdict verify(const Macaroon& m, const RequestContext& r,
                    std::vector<Macaroon> discharges = {}, UnixSeconds now = kNow) {
  const FixedClock clock(now);
  return TokenVerifier(clock).verify(m, as_bytes(kRootKey), discharges, r);
}

TEST(CaveatGrammar, ParsesEveryKnownCaveat) {
  EXPECT_TRUE(parse_condition("action = quarantine").condition);
  EXPECT_TRUE(parse_condition("node = node-17.eu:a").condition);
  EXPECT_TRUE(parse_condition("affects_nodes_le = 0").condition);
  EXPECT_TRUE(parse_condition("affects_network_ppm_le = 100000").condition);
  EXPECT_TRUE(parse_condition("valid_until = 2026-12-01T00:00:00Z").condition);
  EXPECT_TRUE(parse_condition("valid_until = 2028-02-29T23:59:59Z").condition);
  for (const char* scope : {"local", "regional", "network"})
    EXPECT_TRUE(parse_condition(std::string("scope = ") + scope).condition) << scope;
}

TEST(CaveatGrammar, RejectsUnknownAndMalformedCaveats) {
  for (const char* bad : {"",
                          "action",
                          "action =",
                          "action = ",
                          "action=quarantine",
                          "action  = quarantine",
                          "action = quarantine now",
                          "action = quar/antine",
                          "colour = red",
                          "ACTION = x",
                          "affects_nodes_le = -1",
                          "affects_nodes_le = 1.5",
                          "affects_nodes_le = 1e3",
                          "affects_nodes_le = 01",
                          "affects_nodes_le = +1",
                          "affects_nodes_le = 18446744073709551616",
                          "affects_network_ppm_le = 0x10",
                          "valid_until = 2026-12-01",
                          "valid_until = 2026-12-01T00:00:00",
                          "valid_until = 2026-12-01T00:00:00+00:00",
                          "valid_until = 2026-12-01T00:00:00.5Z",
                          "valid_until = 2026-02-30T00:00:00Z",
                          "valid_until = 2026-12-01T24:00:00Z",
                          "valid_until = 2026-12-01t00:00:00z",
                          "scope = global",
                          "scope = Local",
                          "requires_dao_vote",
                          "requires_dao_vote = p1",
                          "node = a\tb",
                          "time < 2020-01-01T00:00"}) {
    EXPECT_FALSE(parse_condition(bad).condition) << "'" << bad << "'";
  }
}

TEST(CaveatGrammar, DaoVoteIsAThirdPartyCaveat) {
  EXPECT_TRUE(is_dao_vote_caveat("requires_dao_vote"));
  EXPECT_TRUE(is_dao_vote_caveat("requires_dao_vote = proposal-42"));
  EXPECT_FALSE(is_dao_vote_caveat("requires_dao_vote=proposal-42"));
  EXPECT_FALSE(is_dao_vote_caveat("requires_dao_votes"));
  EXPECT_FALSE(is_dao_vote_caveat("requires_dao_vote = "));
}

TEST(CaveatGrammar, PpmUsesIntegerMath) {
  EXPECT_EQ(affected_ppm(1, 3), 333333u);
  EXPECT_EQ(affected_ppm(100, 1000), 100000u);
  EXPECT_EQ(affected_ppm(0, 5), 0u);
  EXPECT_EQ(affected_ppm(5, 0), std::nullopt);
  EXPECT_EQ(affected_ppm(UINT64_MAX, 10), std::nullopt);
}

TEST(TokenVerifier, UncaveatedTokenAuthorisesAnything) { EXPECT_TRUE(verify(token({}), {}).ok); }

TEST(TokenVerifier, ActionCaveat) {
  const Macaroon m = token({"action = quarantine"});
  EXPECT_TRUE(verify(m, request("quarantine")).ok);
  const TokenVerdict no = verify(m, request("freeze"));
  EXPECT_FALSE(no.ok);
  EXPECT_EQ(no.caveat, "action = quarantine");
  EXPECT_EQ(no.describe(), "caveat 'action = quarantine' failed: the request's action is freeze");
  EXPECT_FALSE(verify(m, RequestContext{}).ok) << "an unstated action does not satisfy it";
}

TEST(TokenVerifier, NodeCaveat) {
  const Macaroon m = token({"node = n1"});
  EXPECT_TRUE(verify(m, request("x", "n1")).ok);
  EXPECT_FALSE(verify(m, request("x", "n2")).ok);
}

TEST(TokenVerifier, AffectedNodesCaveatBoundary) {
  const Macaroon m = token({"affects_nodes_le = 5"});
  EXPECT_TRUE(verify(m, request("x", "n", 5)).ok);
  EXPECT_FALSE(verify(m, request("x", "n", 6)).ok);
  EXPECT_TRUE(verify(token({"affects_nodes_le = 0"}), request("x", "n", 0)).ok);
}

TEST(TokenVerifier, NetworkShareCaveatBoundary) {
  const Macaroon m = token({"affects_network_ppm_le = 100000"});  // 10%
  EXPECT_TRUE(verify(m, request("x", "n", 100, 1000)).ok);
  EXPECT_FALSE(verify(m, request("x", "n", 101, 1000)).ok);
  EXPECT_TRUE(verify(token({"affects_network_ppm_le = 333333"}), request("x", "n", 1, 3)).ok);
  EXPECT_FALSE(verify(token({"affects_network_ppm_le = 333332"}), request("x", "n", 1, 3)).ok);
  EXPECT_FALSE(verify(m, request("x", "n", 0, 0)).ok) << "an unknown mesh size cannot pass";
}

TEST(TokenVerifier, ValidUntilIsExclusive) {
  const Macaroon m = token({"valid_until = 2026-06-01T00:00:00Z"});
  EXPECT_TRUE(verify(m, request(), {}, kNow - std::chrono::seconds(1)).ok);
  EXPECT_FALSE(verify(m, request(), {}, kNow).ok);
  EXPECT_FALSE(verify(m, request(), {}, kNow + std::chrono::hours(1)).ok);
}

TEST(TokenVerifier, ScopeLocalAndRegional) {
  EXPECT_TRUE(verify(token({"scope = local"}), request("x", "n", 1)).ok);
  EXPECT_FALSE(verify(token({"scope = local"}), request("x", "n", 2)).ok);
  EXPECT_TRUE(verify(token({"scope = regional"}), request("x", "n", 100)).ok);
  EXPECT_FALSE(verify(token({"scope = regional"}), request("x", "n", 101)).ok);
}

TEST(TokenVerifier, NetworkScopeNeedsADischargedDaoVote) {
  Macaroon m = token({"scope = network"});
  const TokenVerdict without = verify(m, request("x", "n", 5000, 10000));
  EXPECT_FALSE(without.ok);
  EXPECT_EQ(without.caveat, "scope = network");

  m.add_third_party_caveat("governance", as_bytes(kGovernanceKey), as_bytes("requires_dao_vote"));
  const TokenVerdict undischarged = verify(m, request("x", "n", 5000, 10000));
  EXPECT_FALSE(undischarged.ok);
  EXPECT_EQ(undischarged.caveat, "requires_dao_vote");

  Macaroon vote = Macaroon::mint(as_bytes(kGovernanceKey), as_bytes("requires_dao_vote"));
  vote.add_first_party_caveat("valid_until = 2026-07-01T00:00:00Z");
  EXPECT_FALSE(verify(m, request("x", "n", 5000, 10000), {vote}).ok) << "unbound";
  EXPECT_TRUE(verify(m, request("x", "n", 5000, 10000), {vote.bound_to(m)}).ok);
  // The discharge's own caveats apply too.
  const TokenVerdict late = verify(m, request("x", "n", 5000, 10000), {vote.bound_to(m)},
                                   *parse_rfc3339_utc("2026-08-01T00:00:00Z"));
  EXPECT_FALSE(late.ok);
  EXPECT_EQ(late.caveat, "valid_until = 2026-07-01T00:00:00Z");
}

TEST(TokenVerifier, UnknownThirdPartyCaveatFails) {
  Macaroon m = token({});
  m.add_third_party_caveat("elsewhere", as_bytes("k"), as_bytes("is_admin"));
  const Macaroon discharge = Macaroon::mint(as_bytes("k"), as_bytes("is_admin")).bound_to(m);
  const TokenVerdict verdict = verify(m, request(), {discharge});
  EXPECT_FALSE(verdict.ok);
  EXPECT_EQ(verdict.reason, "unknown third-party caveat");
}

TEST(TokenVerifier, UnknownOrMalformedFirstPartyCaveatFails) {
  EXPECT_FALSE(verify(token({"colour = red"}), request()).ok);
  EXPECT_FALSE(verify(token({"affects_nodes_le = 1.0"}), request()).ok);
  EXPECT_FALSE(verify(token({"action = quarantine", "garbage"}), request()).ok);
}

TEST(TokenVerifier, AttenuationOnlyNarrows) {
  const Macaroon broad = token({"affects_nodes_le = 50"});
  Macaroon narrowed = broad;
  narrowed.add_first_party_caveat("affects_nodes_le = 10");
  EXPECT_TRUE(verify(broad, request("x", "n", 40)).ok);
  EXPECT_FALSE(verify(narrowed, request("x", "n", 40)).ok);
  EXPECT_TRUE(verify(narrowed, request("x", "n", 10)).ok);
  // Adding a looser caveat later changes nothing: the earlier one still applies.
  Macaroon loosened = narrowed;
  loosened.add_first_party_caveat("affects_nodes_le = 1000");
  EXPECT_FALSE(verify(loosened, request("x", "n", 40)).ok);
  Macaroon two_actions = token({"action = quarantine"});
  two_actions.add_first_party_caveat("action = freeze");
  EXPECT_FALSE(verify(two_actions, request("quarantine")).ok);
  EXPECT_FALSE(verify(two_actions, request("freeze")).ok);
}

TEST(TokenVerifier, ForgedTokensFailBeforeAnyCaveat) {
  const Macaroon m = token({"action = quarantine"});
  const TokenVerdict verdict =
      TokenVerifier(FixedClock(kNow)).verify(m, as_bytes("wrong key"), {}, request("freeze"));
  EXPECT_FALSE(verdict.ok);
  EXPECT_TRUE(verdict.caveat.empty());
  EXPECT_EQ(verdict.describe(), "token invalid: the signature does not match the root key");
}

// Caveats are the token holder's bytes; the agent sends describe() back in a JSON reply
// and logs it, so it must be one line of valid UTF-8 (nlohmann throws on anything else).
TEST(TokenVerifier, DescribeEscapesWhatItQuotes) {
  const TokenVerdict invalid_utf8 = verify(token({"colour\xff = red"}), request());
  EXPECT_EQ(invalid_utf8.caveat, "colour\xff = red");  // verbatim in the verdict
  EXPECT_EQ(invalid_utf8.describe(),
            "caveat 'colour\\xff = red' failed: unknown caveat 'colour\\xff'");
  EXPECT_NO_THROW((void)nlohmann::json(invalid_utf8.describe()).dump());

  const TokenVerdict forged_line =
      verify(token({"action = x\nwwctl: token valid\x1b[0m"}), request());
  EXPECT_EQ(forged_line.describe(),
            "caveat 'action = x\\nwwctl: token valid\\x1b[0m' failed: caveat contains control "
            "characters");

  Macaroon third_party = token({});
  third_party.add_third_party_caveat("elsewhere", as_bytes("k"), as_bytes("\xff"));
  const TokenVerdict undischarged = verify(third_party, request());
  EXPECT_EQ(undischarged.describe(),
            "caveat '\\xff' failed: no discharge was presented for the third-party caveat");
  EXPECT_NO_THROW((void)nlohmann::json(undischarged.describe()).dump());
}

}  // namespace
}  // namespace westworld::capability

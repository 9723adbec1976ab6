// Tokens cross between pymacaroons (the Python reference implementation) and ours in both
// directions. Skipped only when no python3 with pymacaroons is installed.
#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "test_support.h"
#include "westworld/capability/macaroon_v2.h"
#include "westworld/capability/secret_file.h"
#include "westworld/capability/token_verifier.h"

namespace westworld::capability {
namespace {

using nlohmann::json;

// Debian's /usr/bin/python3 first: a python3 earlier in PATH (pyenv, venv) may lack the
// Debian python3-pymacaroons package.
std::optional<std::string> python_with_pymacaroons() {
  std::vector<std::string> candidates;
  if (const char* chosen = std::getenv("WW_PYTHON")) candidates.push_back(chosen);
  candidates.push_back("/usr/bin/python3");
  candidates.push_back("python3");
  for (const std::string& python : candidates) {
    if (trust_test::run_process({python, WW_PYMACAROONS_SCRIPT, "check"}).exit_code == 0)
      return python;
  }
  return std::nullopt;
}

class PymacaroonsInterop : public ::testing::Test {
 protected:
  void SetUp() override {
    static const std::optional<std::string> found = python_with_pymacaroons();
    ASSERT_TRUE(found) << "needs python3 with pymacaroons (scripts/setup.sh installs "
                          "python3-pymacaroons)";
    python = *found;
  }

  json call(const std::string& command, const json& request) {
    const auto result =
        trust_test::run_process({python, WW_PYMACAROONS_SCRIPT, command, request.dump()});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return json::parse(result.out);
  }

  std::string python;
  RootKey root_key = generate_root_key();
  RootKey governance_key = generate_root_key();
  FixedClock clock{*parse_rfc3339_utc("2026-06-01T00:00:00Z")};
};

TEST_F(PymacaroonsInterop, IdenticalTokensFromBothSides) {
  const json minted = call("mint", {{"key", to_hex(root_key.view())},
                                    {"id", "token-7"},
                                    {"location", "westworld"},
                                    {"caveats", {"action = quarantine", "node = n1"}}});
  Macaroon ours = Macaroon::mint(root_key.view(), as_bytes("token-7"), "westworld");
  ours.add_first_party_caveat("action = quarantine");
  ours.add_first_party_caveat("node = n1");
  EXPECT_EQ(minted["token"].get<std::string>(), serialize_v2_text(ours));
}

TEST_F(PymacaroonsInterop, PythonMintedTokenVerifiesHere) {
  const json minted =
      call("mint", {{"key", to_hex(root_key.view())},
                    {"id", "token-8"},
                    {"caveats", {"action = freeze", "affects_nodes_le = 40", "scope = network"}},
                    {"third_party",
                     {{"location", "governance"},
                      {"key", to_hex(governance_key.view())},
                      {"id", "requires_dao_vote = proposal-9"},
                      {"discharge_caveats", {"valid_until = 2026-07-01T00:00:00Z"}}}}});
  const Macaroon token = parse_v2_text(minted["token"].get<std::string>());
  std::vector<Macaroon> discharges;
  for (const auto& d : minted["discharges"])
    discharges.push_back(parse_v2_text(d.get<std::string>()));
  const TokenVerifier verifier(clock);
  const RequestContext ok{"freeze", "n1", 40, 100};
  const TokenVerdict verdict = verifier.verify(token, root_key.view(), discharges, ok);
  EXPECT_TRUE(verdict.ok) << verdict.describe();
  EXPECT_FALSE(verifier.verify(token, root_key.view(), discharges, {"freeze", "n1", 41, 100}).ok);
  EXPECT_FALSE(verifier.verify(token, root_key.view(), {}, ok).ok);
  EXPECT_FALSE(verifier.verify(token, governance_key.view(), discharges, ok).ok);
}

TEST_F(PymacaroonsInterop, TokenMintedHereVerifiesInPython) {
  Macaroon token = Macaroon::mint(root_key.view(), as_bytes("token-9"), "westworld");
  token.add_first_party_caveat("action = quarantine");
  token.add_third_party_caveat("governance", governance_key.view(), as_bytes("requires_dao_vote"));
  Macaroon discharge =
      Macaroon::mint(governance_key.view(), as_bytes("requires_dao_vote"), "governance");
  discharge.add_first_party_caveat("valid_until = 2026-07-01T00:00:00Z");
  const std::string bound = serialize_v2_text(discharge.bound_to(token));
  const json satisfy = {"action = quarantine", "valid_until = 2026-07-01T00:00:00Z"};

  json result = call("verify", {{"key", to_hex(root_key.view())},
                                {"token", serialize_v2_text(token)},
                                {"discharges", {bound}},
                                {"satisfy", satisfy}});
  EXPECT_TRUE(result["ok"].get<bool>()) << result["error"];

  // pymacaroons must refuse what we would refuse.
  result = call("verify", {{"key", to_hex(root_key.view())},
                           {"token", serialize_v2_text(token)},
                           {"discharges", {serialize_v2_text(discharge)}},
                           {"satisfy", satisfy}});
  EXPECT_FALSE(result["ok"].get<bool>()) << "unbound discharge";
  result = call("verify", {{"key", to_hex(governance_key.view())},
                           {"token", serialize_v2_text(token)},
                           {"discharges", {bound}},
                           {"satisfy", satisfy}});
  EXPECT_FALSE(result["ok"].get<bool>()) << "wrong root key";
  result = call("verify", {{"key", to_hex(root_key.view())},
                           {"token", serialize_v2_text(token)},
                           {"discharges", {bound}},
                           {"satisfy", {"action = quarantine"}}});
  EXPECT_FALSE(result["ok"].get<bool>()) << "discharge caveat not satisfied";
}

}  // namespace
}  // namespace westworld::capability

// Quarantine terms an operator asks for are range-checked by the agent (issue 8,
// finding 7): a ban past 30 days or a rate that would let everything through is
// refused with the bound named, and nothing is quarantined.
#include "watchman_fixture.h"

namespace westworld::watchman_test {
namespace {

using WatchmanQuarantineTerms = WatchmanTest;

TEST_F(WatchmanQuarantineTerms, OutOfRangeTermsAreRefusedAndNothingIsHeld) {
  start_agent(write_policy("p.yaml", "version: 1\n"));
  const std::string source = Lab::host(7);

  CommandResult ban = wwctl({"quarantine", "add", source, "--ban", "2592001"});
  EXPECT_FALSE(ban.ok());
  EXPECT_NE(ban.err.find("ban must be from 1 to 2592000 seconds"), std::string::npos)
      << ban.describe();

  CommandResult pps =
      wwctl({"quarantine", "add", source, "--action", "limit", "--pps", "18446744073709551615"});
  EXPECT_FALSE(pps.ok());
  EXPECT_NE(pps.err.find("pps must be from 1 to 10000000"), std::string::npos) << pps.describe();

  EXPECT_TRUE(wwctl_json({"quarantine", "list", "--json"}).empty());

  // In range, the same source is held: the refusals above were about the terms.
  CommandResult ok = wwctl({"quarantine", "add", source, "--ban", "2592000"});
  EXPECT_TRUE(ok.ok()) << ok.describe();
  EXPECT_EQ(wwctl_json({"quarantine", "list", "--json"}).size(), 1u);
}

}  // namespace
}  // namespace westworld::watchman_test

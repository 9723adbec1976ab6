// The guardians file: errors name the file and line; keys round-trip through key files.
#include "westworld/vault/guardian_list.h"

#include <gtest/gtest.h>

#include "vault_fixture.h"

namespace westworld::vault_test {
namespace {

std::string parse_error(const std::string& text) {
  try {
    vault::parse_guardian_list(text, "guardians.txt");
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(GuardianList, ParsesKeygenLinesAndNamesBadOnes) {
  const auto keys = make_guardians(3);
  std::string text = "# guardians\n\n";
  for (const auto& k : keys) text += vault::guardian_line(k.public_info()) + "\n";
  const auto list = vault::parse_guardian_list(text, "guardians.txt");
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[1].id, "g2");
  EXPECT_EQ(list[1].sign_key, keys[1].public_info().sign_key);
  EXPECT_EQ(parse_error(text + "g4\n").substr(0, 16), "guardians.txt:6:");
  EXPECT_NE(parse_error(text + "g4 notbase64!\n").find("guardians.txt:6: the public key"),
            std::string::npos);
  EXPECT_NE(
      parse_error(text + vault::guardian_line(keys[0].public_info()) + "\n").find("listed twice"),
      std::string::npos);
  EXPECT_NE(parse_error("").find("no guardians"), std::string::npos);
}

TEST(GuardianKey, KeyFilesAreCreated0600AndLoadBack) {
  ScratchDir dir;
  const auto key = vault::GuardianKey::generate("alice");
  key.save_new(dir.path() / "alice.key");
  EXPECT_EQ(fs::status(dir.path() / "alice.key").permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  const auto again = vault::GuardianKey::load(dir.path() / "alice.key");
  EXPECT_EQ(again.id(), "alice");
  EXPECT_EQ(again.public_info().sign_key, key.public_info().sign_key);
  EXPECT_THROW(key.save_new(dir.path() / "alice.key"), std::runtime_error);  // never overwritten
  EXPECT_THROW(vault::GuardianKey::generate("bad id"), std::invalid_argument);
}

}  // namespace
}  // namespace westworld::vault_test

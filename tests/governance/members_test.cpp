// The members file: the peers file's line format with an optional power, every mistake
// named by file and line, and the digest that pins a member set (--gov-genesis).
#include "westworld/governance/members.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "westworld/capability/bytes.h"

namespace westworld::governance {
namespace {

using capability::Ed25519KeyPair;
using capability::to_base64;

std::string key_text(const Ed25519KeyPair& key) { return to_base64(key.public_key()); }

// The message of the error parse_members throws, or "" when it does not throw.
std::string parse_error(const std::string& text) {
  try {
    parse_members(text, "members.txt");
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

TEST(Members, ParsesPowersCommentsAndBlankLines) {
  const auto a = Ed25519KeyPair::generate(), b = Ed25519KeyPair::generate(),
             c = Ed25519KeyPair::generate();
  const std::string text = "# the riverside mesh\n\n" + std::string("alice ") + key_text(a) +
                           " 3  # the big node\n" + "   \n" + "bob " + key_text(b) + "\n" +
                           "carol\t" + key_text(c) + "\t1\n";
  const MemberSet set = parse_members(text, "members.txt");
  ASSERT_EQ(set.members.size(), 3u);
  EXPECT_EQ(set.members[0].id, "alice");
  EXPECT_EQ(set.members[0].key, a.public_key());
  EXPECT_EQ(set.members[0].power, 3u);
  EXPECT_EQ(set.members[1].power, 1u);  // the default
  EXPECT_EQ(set.members[2].key, c.public_key());
  EXPECT_EQ(set.total_power(), 5u);
  ASSERT_NE(set.find("bob"), nullptr);
  EXPECT_EQ(set.find("bob")->key, b.public_key());
  EXPECT_EQ(set.find("dave"), nullptr);
}

TEST(Members, EachErrorNamesTheFileAndLine) {
  const auto a = Ed25519KeyPair::generate(), b = Ed25519KeyPair::generate();
  const std::string first = "alice " + key_text(a) + "\n";
  struct Case {
    std::string second_line;
    std::string says;
  };
  const std::vector<Case> cases = {
      {"alice " + key_text(b), "members.txt:2: member 'alice' is listed twice"},
      {"bob " + key_text(a), "members.txt:2: the key of 'bob' is already member 'alice's"},
      {"bob not-base64!", "members.txt:2: 'not-base64!' is not a base64 Ed25519 public key"},
      {"bob " + to_base64(std::vector<std::uint8_t>(31, 1)), "is not a base64 Ed25519"},
      {"bob " + key_text(b) + " 0", "members.txt:2: the power '0' is not a positive integer"},
      {"bob " + key_text(b) + " -2", "members.txt:2: the power '-2' is not a positive"},
      {"bob " + key_text(b) + " 2x", "members.txt:2: the power '2x' is not a positive"},
      {"bob " + key_text(b) + " 99999999999999999999", "members.txt:2: the power"},
      {"bob " + key_text(b) + " 2 junk", "members.txt:2: expected 'ID BASE64-ED25519-PUBLIC-KEY"},
      {"bob", "members.txt:2: expected 'ID BASE64-ED25519-PUBLIC-KEY"},
  };
  for (const Case& c : cases) {
    const std::string error = parse_error(first + c.second_line + "\n");
    EXPECT_NE(error.find(c.says), std::string::npos) << c.second_line << " -> " << error;
  }
}

TEST(Members, TheDigestIgnoresLineOrderButNotContent) {
  const auto a = Ed25519KeyPair::generate(), b = Ed25519KeyPair::generate(),
             c = Ed25519KeyPair::generate();
  const std::string line_a = "alice " + key_text(a) + " 2\n";
  const std::string line_b = "bob " + key_text(b) + "\n";
  const auto digest = members_digest(parse_members(line_a + line_b, "x"));
  EXPECT_EQ(digest, members_digest(parse_members("# reordered\n" + line_b + line_a, "y")));

  EXPECT_NE(digest, members_digest(parse_members("alice " + key_text(a) + " 3\n" + line_b, "x")));
  EXPECT_NE(digest, members_digest(parse_members("alice " + key_text(c) + " 2\n" + line_b, "x")));
  EXPECT_NE(digest, members_digest(parse_members("alicia " + key_text(a) + " 2\n" + line_b, "x")));
  EXPECT_NE(digest, members_digest(parse_members(line_a, "x")));  // a member fewer
  // The default power is the same as writing 1.
  EXPECT_EQ(digest, members_digest(parse_members(line_a + "bob " + key_text(b) + " 1\n", "x")));
}

}  // namespace
}  // namespace westworld::governance

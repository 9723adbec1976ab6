// common::printable: what is quoted back can neither forge lines nor break UTF-8.
#include "westworld/common/printable.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

namespace westworld::common {
namespace {

TEST(Printable, PlainTextAndUtf8PassThrough) {
  EXPECT_EQ(printable("deny-telnet 10.0.0.0/8"), "deny-telnet 10.0.0.0/8");
  EXPECT_EQ(printable("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\x8e"),
            "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\x8e");
  EXPECT_EQ(printable(""), "");
}

TEST(Printable, ControlCharactersCannotForgeLinesOrColours) {
  EXPECT_EQ(printable("a\nx.yaml:1:1: error: forged"), "a\\nx.yaml:1:1: error: forged");
  EXPECT_EQ(printable("\r\t\x1b[31mred\x7f"), "\\r\\t\\x1b[31mred\\x7f");
  EXPECT_EQ(printable(std::string("nul\0here", 8)), "nul\\x00here");
  // The backslash is escaped too, so "\n" in the output always was a newline.
  EXPECT_EQ(printable("back\\nslash"), "back\\\\nslash");
}

TEST(Printable, InvalidUtf8BecomesByteEscapes) {
  // yaml-cpp turns the YAML escapes "\N" and "\_" into these raw bytes.
  EXPECT_EQ(printable("\x85"), "\\x85");
  EXPECT_EQ(printable("\xa0"), "\\xa0");
  EXPECT_EQ(printable("\xff\xfe"), "\\xff\\xfe");
  EXPECT_EQ(printable("\xc3"), "\\xc3");                             // truncated sequence
  EXPECT_EQ(printable("\xc0\xaf"), "\\xc0\\xaf");                    // overlong '/'
  EXPECT_EQ(printable("\xed\xa0\x80"), "\\xed\\xa0\\x80");           // UTF-16 surrogate
  EXPECT_EQ(printable("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");  // above U+10FFFF
  EXPECT_EQ(printable("\xe2\x82x"), "\\xe2\\x82x");                  // a valid byte after a cut one
}

TEST(Printable, InvisibleControlCodePointsAreNamed) {
  EXPECT_EQ(printable("\xc2\x85"), "\\u{85}");  // NEL, encoded properly
  EXPECT_EQ(printable("a\xe2\x80\xa8"
                      "b"),
            "a\\u{2028}b");  // line separator
  EXPECT_EQ(printable("\xe2\x80\xae"
                      "evil"),
            "\\u{202e}evil");                         // right-to-left override
  EXPECT_EQ(printable("\xe2\x81\xa6"), "\\u{2066}");  // left-to-right isolate
}

TEST(Printable, EveryByteStringComesOutAsOneLineOfValidUtf8) {
  // Every single byte and every pair of bytes: the result serializes as JSON (which
  // throws on invalid UTF-8) and holds no control character.
  for (int a = 0; a < 256; ++a) {
    for (int b = 0; b < 256; ++b) {
      const std::string input{static_cast<char>(a), static_cast<char>(b)};
      const std::string out = printable(input);
      ASSERT_NO_THROW((void)nlohmann::json(out).dump()) << a << " " << b;
      for (unsigned char c : out) ASSERT_TRUE(c >= 0x20 && c != 0x7f) << a << " " << b;
    }
  }
}

TEST(IsUtf8, AgreesWithAStrictJsonSerializerOnEveryOneAndTwoByteString) {
  // nlohmann's serializer is strict (RFC 3629): is_utf8 must say yes exactly when it does.
  for (int a = 0; a < 256; ++a) {
    for (int b = 0; b < 256; ++b) {
      const std::string input{static_cast<char>(a), static_cast<char>(b)};
      bool serializes = true;
      try {
        (void)nlohmann::json(input).dump();
      } catch (const nlohmann::json::exception&) {
        serializes = false;
      }
      ASSERT_EQ(is_utf8(input), serializes) << a << " " << b;
    }
  }
  EXPECT_TRUE(is_utf8("\xf0\x9f\x8c\x8d mesh"));  // U+1F30D, four bytes
  EXPECT_FALSE(is_utf8("\xed\xa0\x80"));          // a surrogate, U+D800
  EXPECT_FALSE(is_utf8("\xe0\x80\xaf"));          // an overlong '/'
  EXPECT_FALSE(is_utf8("\xf4\x90\x80\x80"));      // above U+10FFFF
  EXPECT_FALSE(is_utf8("ok\xe2\x82"));            // cut short
}

}  // namespace
}  // namespace westworld::common

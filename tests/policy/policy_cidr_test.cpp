#include <gtest/gtest.h>

#include "westworld/policy/model.h"

namespace westworld::policy {
namespace {

std::string why_rejected(const std::string& text) {
  std::string why_not;
  EXPECT_FALSE(parse_cidr(text, why_not).has_value()) << text;
  return why_not;
}

TEST(PolicyCidr, ParsesBothFamilies) {
  auto v4 = parse_cidr("10.20.0.0/16");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->family, Family::ipv4);
  EXPECT_EQ(v4->length, 16);
  EXPECT_EQ(v4->addr[0], 10);
  EXPECT_EQ(v4->addr[1], 20);

  auto v6 = parse_cidr("2001:db8:ff::/48");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->family, Family::ipv6);
  EXPECT_EQ(v6->length, 48);
  EXPECT_EQ(v6->addr[0], 0x20);
  EXPECT_EQ(v6->addr[5], 0xff);
}

TEST(PolicyCidr, BareAddressIsAHost) {
  EXPECT_EQ(parse_cidr("10.0.0.5")->length, 32);
  EXPECT_EQ(parse_cidr("2001:db8::1")->length, 128);
}

TEST(PolicyCidr, PrintsCanonically) {
  EXPECT_EQ(parse_cidr("10.0.0.0/8")->to_string(), "10.0.0.0/8");
  EXPECT_EQ(parse_cidr("2001:0DB8:0000::/32")->to_string(), "2001:db8::/32");
  EXPECT_EQ(parse_cidr("::/0")->to_string(), "::/0");
  EXPECT_EQ(parse_cidr("0.0.0.0/0")->to_string(), "0.0.0.0/0");
}

TEST(PolicyCidr, ExplainsRejections) {
  EXPECT_EQ(why_rejected("10.0.0.1/8"), "host bits set in 10.0.0.1/8; did you mean 10.0.0.0/8?");
  EXPECT_EQ(why_rejected("2001:db8::1/32"),
            "host bits set in 2001:db8::1/32; did you mean 2001:db8::/32?");
  EXPECT_EQ(why_rejected("10.0.0.0/33"),
            "bad CIDR '10.0.0.0/33': the prefix length must be 0-32 for IPv4");
  EXPECT_EQ(why_rejected("fd00::/129"),
            "bad CIDR 'fd00::/129': the prefix length must be 0-128 for IPv6");
  EXPECT_EQ(why_rejected("10.0.0.0/"),
            "bad CIDR '10.0.0.0/': the prefix length must be 0-32 for IPv4");
  EXPECT_EQ(why_rejected("10.0.0.0/-1"),
            "bad CIDR '10.0.0.0/-1': the prefix length must be 0-32 for IPv4");
  EXPECT_EQ(why_rejected("10.0.0.300/24"),
            "bad CIDR '10.0.0.300/24': '10.0.0.300' is not an IPv4 or IPv6 address");
  EXPECT_EQ(why_rejected("10.1/16"), "bad CIDR '10.1/16': '10.1' is not an IPv4 or IPv6 address");
  EXPECT_EQ(why_rejected("any"), "bad CIDR 'any': 'any' is not an IPv4 or IPv6 address");
}

TEST(PolicyCidr, ContainsPrefixesAndAddresses) {
  Cidr net = *parse_cidr("10.1.0.0/16");
  EXPECT_TRUE(net.contains(*parse_cidr("10.1.0.0/16")));
  EXPECT_TRUE(net.contains(*parse_cidr("10.1.2.0/24")));
  EXPECT_FALSE(net.contains(*parse_cidr("10.0.0.0/8")));
  EXPECT_FALSE(net.contains(*parse_cidr("10.2.0.0/24")));
  EXPECT_FALSE(parse_cidr("0.0.0.0/0")->contains(*parse_cidr("::/0")));
  EXPECT_TRUE(parse_cidr("10.1.2.128/25")->contains(Family::ipv4, parse_cidr("10.1.2.200")->addr));
  EXPECT_FALSE(parse_cidr("10.1.2.128/25")->contains(Family::ipv4, parse_cidr("10.1.2.127")->addr));
  EXPECT_FALSE(parse_cidr("::/0")->contains(Family::ipv4, parse_cidr("10.1.2.3")->addr));
  EXPECT_TRUE(
      parse_cidr("2001:db8::/33")->contains(Family::ipv6, parse_cidr("2001:db8:7fff::1")->addr));
  EXPECT_FALSE(
      parse_cidr("2001:db8::/33")->contains(Family::ipv6, parse_cidr("2001:db8:8000::")->addr));
}

}  // namespace
}  // namespace westworld::policy

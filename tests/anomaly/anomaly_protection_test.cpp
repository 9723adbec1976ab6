// Protected sources: the router's own addresses and `protected: true` classes.
#include <gtest/gtest.h>

#include "westworld/anomaly/protection.h"
#include "westworld/anomaly/source_key.h"
#include "westworld/policy/loader.h"

namespace westworld::anomaly {
namespace {

ww_source_key key(const std::string& text, uint8_t v4 = 32, uint8_t v6 = 64) {
  std::string why_not;
  return parse_source(text, v4, v6, why_not).value();
}

policy::Policy load(const std::string& yaml) {
  policy::LoadResult result = policy::load_policy_text(yaml, "p.yaml");
  for (const auto& d : result.diagnostics) ADD_FAILURE() << d.format();
  return result.policy.value();
}

TEST(AnomalyProtection, TheRoutersOwnAddressesAreProtected) {
  policy::Policy p = load("version: 1\n");
  Protection protection(
      p, {policy::parse_cidr("10.1.0.1").value(), policy::parse_cidr("fd00:1::1").value()});
  EXPECT_EQ(protection.why_protected(key("10.1.0.1")), "router address 10.1.0.1/32");
  // The /64 identity block holding the router's IPv6 address.
  EXPECT_TRUE(protection.why_protected(key("fd00:1::99")));
  EXPECT_FALSE(protection.why_protected(key("10.1.0.2")));
}

TEST(AnomalyProtection, ProtectedClassesAreProtectedAndOthersAreNot) {
  policy::Policy p = load(R"(version: 1
anti_meave:
  identity: {ipv4_prefix: 24}
  classes:
    - {name: backbone, src: [10.9.0.0/16], quota: unlimited, protected: true}
    - {name: monitor, src: [10.7.7.7/32], quota: unlimited, protected: true}
    - {name: guests, src: [10.8.0.0/16], quota: unlimited}
)");
  Protection protection(p, {});
  EXPECT_EQ(protection.why_protected(key("10.9.3.0", 24)),
            "protected class 'backbone' (10.9.0.0/16)");
  // The /24 block holding a protected /32 overlaps it: protected too.
  EXPECT_TRUE(protection.why_protected(key("10.7.7.0", 24)));
  EXPECT_FALSE(protection.why_protected(key("10.8.1.0", 24)));
}

TEST(AnomalyProtection, SourcesParseAsTheDataPlaneKeysThem) {
  std::string why_not;
  EXPECT_EQ(format_source(key("fd00:1:2:3:4:5:6:7")), "fd00:1:2:3::");
  EXPECT_EQ(format_source(key("10.1.2.3", 24)), "10.1.2.0");
  EXPECT_FALSE(parse_source("10.1.0.0/16", 24, 64, why_not));
  EXPECT_NE(why_not.find("holds many"), std::string::npos);
  EXPECT_FALSE(parse_source("not-an-address", 32, 64, why_not));
}

}  // namespace
}  // namespace westworld::anomaly

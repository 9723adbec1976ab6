#include <gtest/gtest.h>

#include "westworld/mesh/etcd_gateway.h"
#include "westworld/mesh/kv_store.h"

namespace westworld::mesh {
namespace {

TEST(Endpoints, ParsesACommaSeparatedList) {
  const auto endpoints = parse_endpoints("http://127.0.0.1:2379,http://[::1]:23790/");
  ASSERT_EQ(endpoints.size(), 2u);
  EXPECT_EQ(endpoints[0].host, "127.0.0.1");
  EXPECT_EQ(endpoints[0].port, "2379");
  EXPECT_EQ(endpoints[1].host, "::1");
  EXPECT_EQ(endpoints[1].port, "23790");
  EXPECT_FALSE(endpoints[0].tls);
}

TEST(Endpoints, HttpsMeansTls) {
  const auto endpoints = parse_endpoints("https://etcd-a:2379,https://10.0.0.2:2379");
  ASSERT_EQ(endpoints.size(), 2u);
  EXPECT_TRUE(endpoints[0].tls && endpoints[1].tls);
  EXPECT_EQ(endpoints[0].host, "etcd-a");
  EXPECT_EQ(endpoints[1].url(), "https://10.0.0.2:2379");
}

// One cluster speaks one scheme: a list that mixes them is a typo or a downgrade.
TEST(Endpoints, RefusesMixedSchemes) {
  EXPECT_THROW(parse_endpoints("https://a:1,http://b:2"), std::invalid_argument);
  EXPECT_THROW(parse_endpoints("http://a:1,https://b:2"), std::invalid_argument);
}

TEST(Endpoints, TlsNeedsACa) {
  EtcdOptions options;
  options.endpoints = parse_endpoints("https://127.0.0.1:1");
  EXPECT_THROW(EtcdGateway{options}, std::runtime_error);
  options.tls.ca_file = "/nonexistent/ca.pem";
  try {
    EtcdGateway gateway(options);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/ca.pem"), std::string::npos) << e.what();
  }
}

TEST(Endpoints, RefusesWhatIsNotHttpHostPort) {
  for (const char* bad :
       {"", "127.0.0.1:2379", "http://127.0.0.1", "http://127.0.0.1:0", "http://127.0.0.1:70000",
        "http://h:12/v3", "http://h:1x", "http://a:1,,http://b:2", "https://h", "httpss://h:1"}) {
    EXPECT_THROW(parse_endpoints(bad), std::invalid_argument) << bad;
  }
}

TEST(Endpoints, NamesTheBadElement) {
  try {
    parse_endpoints("http://a:1,ftp://b:2");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("'ftp://b:2'"), std::string::npos) << e.what();
  }
}

TEST(PrefixEnd, IsTheFirstKeyAfterThePrefix) {
  EXPECT_EQ(prefix_end("/a/"), "/a0");
  EXPECT_EQ(prefix_end("ab"), "ac");
  EXPECT_EQ(prefix_end(std::string("a\xff", 2)), "b");
  EXPECT_EQ(prefix_end(std::string("\xff\xff", 2)), std::string(1, '\0'));
}

}  // namespace
}  // namespace westworld::mesh

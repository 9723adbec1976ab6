#include <gtest/gtest.h>
#include <sodium.h>

#include "policy_test_util.h"
#include "westworld/policy/compiled_policy.h"

namespace westworld::policy {
namespace {

using nlohmann::json;
using testing::load_clean;

constexpr const char* kPolicy = R"(version: 1
charter:
  flows:
    - name: dns
      action: audit
      direction: egress
      proto: udp
      dst: [192.0.2.0/24]
      dst_ports: [53]
anti_meave:
  quota: {pps: 100, burst: 10}
  classes:
    - {name: lab, src: [fd00::/8], quota: unlimited}
)";

TEST(PolicyCompiledJson, DescribesTheWholeImage) {
  json document = to_json(compile(load_clean(kPolicy)));
  EXPECT_EQ(document["format"], "westworld-compiled-policy");
  EXPECT_EQ(document["abi_version"], WW_ABI_VERSION);
  EXPECT_EQ(document["config"]["n_rules"], 1);
  EXPECT_EQ(document["config"]["default_action"], "allow");
  EXPECT_EQ(document["config"]["fragments"], "deny");
  EXPECT_EQ(document["config"]["has_classes"], true);
  EXPECT_EQ(document["rules"],
            json::parse(R"([{"index": 0, "name": "dns", "action": "audit", "line": 4}])"));
  EXPECT_EQ(document["tables"]["dst"], json::parse(R"([
    {"prefix": "0.0.0.0/0", "rules": []},
    {"prefix": "192.0.2.0/24", "rules": [0]},
    {"prefix": "::/0", "rules": []}])"));
  EXPECT_EQ(document["tables"]["dst_ports"], json::parse(R"({
    "intervals": [{"first": 0, "last": 52, "rules": []},
                  {"first": 53, "last": 53, "rules": [0]},
                  {"first": 54, "last": 65535, "rules": []}],
    "no_ports": []})"));
  EXPECT_EQ(document["tables"]["protocols"],
            json::parse(R"({"ingress": {"any": []}, "egress": {"any": [], "17": [0]}})"));
  EXPECT_EQ(document["quota_classes"], json::parse(R"([
    {"id": 0, "name": "default", "src": [], "unlimited": false,
     "packet_interval_ns": 10000000, "packet_tolerance_ns": 100000000,
     "byte_interval_fp16": 0, "byte_tolerance_ns": 0},
    {"id": 1, "name": "lab", "src": ["fd00::/8"], "unlimited": true,
     "packet_interval_ns": 0, "packet_tolerance_ns": 0,
     "byte_interval_fp16": 0, "byte_tolerance_ns": 0}])"));
}

// `violation: true` is in the image (and so in the digest) only on the rules that say it:
// every other policy keeps the digest it had before the flag existed.
TEST(PolicyCompiledJson, ViolationRulesAreMarkedAndOnlyThey) {
  const Policy policy = load_clean(R"(version: 1
charter:
  flows:
    - {name: tracker, action: deny, proto: udp, dst_ports: [7777], violation: true}
    - {name: quiet, action: deny, proto: udp, dst_ports: [7778], violation: false}
)");
  EXPECT_TRUE(policy.flows[0].violation);
  EXPECT_FALSE(policy.flows[1].violation);
  const CompiledPolicy compiled = compile(policy);
  EXPECT_TRUE(compiled.rules[0].violation);
  EXPECT_EQ(to_json(compiled)["rules"], json::parse(R"([
    {"index": 0, "name": "tracker", "action": "deny", "line": 4, "violation": true},
    {"index": 1, "name": "quiet", "action": "deny", "line": 5}])"));
}

// Anyone can check a digest: drop it from the JSON, hash the compact dump.
TEST(PolicyCompiledJson, DigestIsTheHashOfTheJsonWithoutIt) {
  CompiledPolicy compiled = compile(load_clean(kPolicy));
  json document = to_json(compiled);
  EXPECT_EQ(document["digest"], compiled.digest_hex);
  document.erase("digest");
  std::string canonical = document.dump();
  unsigned char digest[crypto_hash_sha256_BYTES];
  ASSERT_GE(sodium_init(), 0);
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(canonical.data()),
                     canonical.size());
  char hex[2 * crypto_hash_sha256_BYTES + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  EXPECT_EQ(compiled.digest_hex, hex);
}

}  // namespace
}  // namespace westworld::policy

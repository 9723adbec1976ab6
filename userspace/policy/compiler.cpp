#include <algorithm>
#include <cmath>
#include <cstring>

#include "compile_tables.h"
#include "digest.h"
#include "westworld/policy/compiled_policy.h"
#include "westworld/policy/enforced_rules.h"

namespace westworld::policy {
namespace {

constexpr uint64_t kNanosPerMilli = 1'000'000;
constexpr double kPartsPerMillion = 1e6;

uint32_t words_for(size_t bits) { return static_cast<uint32_t>((bits + 63) / 64); }

uint64_t packets_per_window(uint64_t packets_per_second, uint32_t window_ms) {
  unsigned __int128 packets = static_cast<unsigned __int128>(packets_per_second) * window_ms / 1000;
  return packets > UINT64_MAX ? UINT64_MAX : static_cast<uint64_t>(packets);
}

ww_policy_config make_config(const Policy& policy, size_t n_rules) {
  ww_policy_config config{};
  config.abi_version = WW_ABI_VERSION;
  config.n_rules = static_cast<uint32_t>(n_rules);
  config.n_words = words_for(n_rules);
  config.n_summary_words = words_for(config.n_words);
  config.default_action = static_cast<uint8_t>(policy.default_action);
  config.fragments = static_cast<uint8_t>(policy.fragments);
  config.on_exceed = static_cast<uint8_t>(policy.on_exceed);
  config.ipv4_prefix = policy.identity_ipv4_prefix;
  config.ipv6_prefix = policy.identity_ipv6_prefix;
  config.has_classes = policy.classes.empty() ? 0 : 1;
  config.reverse_path = static_cast<uint8_t>(policy.reverse_path);
  config.max_share_ppm = static_cast<uint32_t>(std::lround(policy.max_share * kPartsPerMillion));
  config.audit_events_per_sec = policy.audit_events_per_second;
  config.share_window_ns = uint64_t{policy.share_window_ms} * kNanosPerMilli;
  config.share_floor_packets = packets_per_window(policy.share_floor_pps, policy.share_window_ms);
  return config;
}

std::vector<CompiledClass> make_classes(const Policy& policy) {
  std::vector<CompiledClass> classes = {{"default", {}, compile_quota(policy.quota)}};
  for (const QuotaClass& quota_class : policy.classes) {
    classes.push_back({quota_class.name, quota_class.src, compile_quota(quota_class.quota)});
  }
  return classes;
}

}  // namespace

CompiledPolicy compile(const Policy& policy) {
  CompiledPolicy compiled;
  const std::vector<FlowRule> rules = enforced_rules(policy);
  compiled.config = make_config(policy, rules.size());
  compiled.max_sources = policy.max_sources;
  for (const FlowRule& rule : rules)
    compiled.rules.push_back({rule.name, rule.action, rule.where, rule.origin, rule.violation});
  compiled.src = build_prefix_table(rules, &FlowRule::src);
  compiled.dst = build_prefix_table(rules, &FlowRule::dst);
  compiled.src_ports = build_port_table(rules, &FlowRule::src_ports);
  compiled.dst_ports = build_port_table(rules, &FlowRule::dst_ports);
  compiled.protocols = build_protocol_table(rules);
  compiled.classes = make_classes(policy);
  compiled.telemetry = policy.telemetry;

  // The digest covers the JSON without itself; to_json adds it once it is set.
  Sha256 digest = sha256(to_json(compiled).dump());
  std::memcpy(compiled.config.digest, digest.data(), digest.size());
  compiled.digest_hex = to_hex(digest);
  return compiled;
}

}  // namespace westworld::policy

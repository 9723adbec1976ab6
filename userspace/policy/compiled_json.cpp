#include <string>

#include "westworld/abi_names.h"
#include "westworld/policy/compiled_policy.h"

namespace westworld::policy {
namespace {

using nlohmann::json;

json rules_json(const RuleSet& rules) { return rules.indices(); }

json config_json(const CompiledPolicy& compiled) {
  const ww_policy_config& config = compiled.config;
  // generation, applied_at and the digest itself belong to an application of
  // the policy, not to the policy, so they are left out.
  json out = {
      {"n_rules", config.n_rules},
      {"n_words", config.n_words},
      {"n_summary_words", config.n_summary_words},
      {"default_action", to_string(static_cast<Action>(config.default_action))},
      {"fragments", to_string(static_cast<FragmentMode>(config.fragments))},
      {"on_exceed", to_string(static_cast<OnExceed>(config.on_exceed))},
      {"ipv4_prefix", config.ipv4_prefix},
      {"ipv6_prefix", config.ipv6_prefix},
      {"has_classes", config.has_classes != 0},
      {"max_share_ppm", config.max_share_ppm},
      {"audit_events_per_sec", config.audit_events_per_sec},
      {"share_window_ns", config.share_window_ns},
      {"share_floor_packets", config.share_floor_packets},
      {"max_sources", compiled.max_sources},
  };
  // Only when on: a policy without the check keeps the digest it had before the check existed.
  if (config.reverse_path != WW_REVERSE_PATH_OFF)
    out["reverse_path"] = abi::reverse_path_mode_name(config.reverse_path);
  return out;
}

json prefixes_json(const std::vector<PrefixEntry>& table) {
  json entries = json::array();
  for (const PrefixEntry& entry : table) {
    entries.push_back({{"prefix", entry.prefix.to_string()}, {"rules", rules_json(entry.rules)}});
  }
  return entries;
}

json ports_json(const PortTable& table) {
  json intervals = json::array();
  for (size_t i = 0; i < table.starts.size(); ++i) {
    uint32_t last = i + 1 < table.starts.size() ? table.starts[i + 1] - 1u : 65535u;
    intervals.push_back(
        {{"first", table.starts[i]}, {"last", last}, {"rules", rules_json(table.rules[i])}});
  }
  return {{"intervals", intervals}, {"no_ports", rules_json(table.no_ports)}};
}

// Per direction, "any" is the set of the protocols no rule names, followed by
// the protocols whose set differs from it.
json protocols_json(const CompiledPolicy& compiled) {
  json directions;
  for (int direction = 0; direction < WW_DIR_MAX; ++direction) {
    const auto& by_protocol = compiled.protocols[direction];
    // No rule protocol maps to 0 (IPv6 hop-by-hop), so its set is the "any" set.
    const RuleSet& unnamed = by_protocol[0];
    json sets = {{"any", rules_json(unnamed)}};
    for (size_t protocol = 1; protocol < by_protocol.size(); ++protocol) {
      if (by_protocol[protocol] == unnamed) continue;
      sets[std::to_string(protocol)] = rules_json(by_protocol[protocol]);
    }
    directions[abi::direction_name(direction)] = sets;
  }
  return directions;
}

json classes_json(const std::vector<CompiledClass>& classes) {
  json entries = json::array();
  for (size_t id = 0; id < classes.size(); ++id) {
    const CompiledClass& quota_class = classes[id];
    json src = json::array();
    for (const Cidr& prefix : quota_class.src) src.push_back(prefix.to_string());
    const ww_quota& quota = quota_class.quota;
    entries.push_back({{"id", id},
                       {"name", quota_class.name},
                       {"src", src},
                       {"unlimited", quota.unlimited != 0},
                       {"packet_interval_ns", quota.packet_interval_ns},
                       {"packet_tolerance_ns", quota.packet_tolerance_ns},
                       {"byte_interval_fp16", quota.byte_interval_fp16},
                       {"byte_tolerance_ns", quota.byte_tolerance_ns}});
  }
  return entries;
}

json ranges_json(const std::vector<PortRange>& ports) {
  json out = json::array();
  for (const PortRange& range : ports) out.push_back({range.first, range.last});
  return out;
}

// Source locations are left out: moving a line does not change what is allowed.
json telemetry_json(const TelemetrySettings& telemetry) {
  json whitelist = json::array(), forbidden = json::array(), collectors = json::array(),
       exporters = json::array();
  for (const WhitelistedMetric& m : telemetry.whitelist)
    whitelist.push_back(
        {{"name", m.name}, {"access", to_string(m.access)}, {"retention_days", m.retention_days}});
  for (const ForbiddenMetric& m : telemetry.forbidden)
    forbidden.push_back(
        {{"name", m.name}, {"severity", to_string(m.severity)}, {"reason", m.reason}});
  for (const Collector& c : telemetry.collectors) {
    json addresses = json::array();
    for (const Cidr& cidr : c.addresses) addresses.push_back(cidr.to_string());
    collectors.push_back({{"addresses", addresses},
                          {"ports", ranges_json(c.ports)},
                          {"access", to_string(c.access)}});
  }
  for (const Exporter& e : telemetry.exporters) exporters.push_back(e.url);
  return {{"whitelist", whitelist},
          {"forbidden", forbidden},
          {"collectors", collectors},
          {"exporters", exporters}};
}

}  // namespace

json to_json(const CompiledPolicy& compiled) {
  json rules = json::array();
  for (size_t i = 0; i < compiled.rules.size(); ++i) {
    const CompiledRule& rule = compiled.rules[i];
    json entry = {{"index", i},
                  {"name", rule.name},
                  {"action", to_string(rule.action)},
                  {"line", rule.where.line}};
    // Only on the implied rules, so a policy's flow rules keep the digest they always had.
    if (rule.origin != RuleOrigin::flow) entry["origin"] = to_string(rule.origin);
    if (rule.violation) entry["violation"] = true;
    rules.push_back(std::move(entry));
  }
  json document = {
      {"format", "westworld-compiled-policy"},
      {"abi_version", compiled.config.abi_version},
      {"config", config_json(compiled)},
      {"rules", rules},
      {"tables",
       {{"src", prefixes_json(compiled.src)},
        {"dst", prefixes_json(compiled.dst)},
        {"src_ports", ports_json(compiled.src_ports)},
        {"dst_ports", ports_json(compiled.dst_ports)},
        {"protocols", protocols_json(compiled)}}},
      {"quota_classes", classes_json(compiled.classes)},
  };
  // Only when present, so a policy without the section keeps the digest it always had.
  if (compiled.telemetry.present) document["telemetry"] = telemetry_json(compiled.telemetry);
  if (!compiled.digest_hex.empty()) document["digest"] = compiled.digest_hex;
  return document;
}

}  // namespace westworld::policy

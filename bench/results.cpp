#include "results.h"

#include <string>

namespace westworld::bench {
namespace {

using nlohmann::json;

// The headline configuration of the program-cost grid.
constexpr const char* kFamily = "ipv4";
constexpr const char* kMix = "pass-heavy";
constexpr unsigned kManySources = 1000000;

json at(const json& j, std::initializer_list<const char*> path) {
  const json* node = &j;
  for (const char* key : path) {
    if (!node->is_object() || !node->contains(key)) return nullptr;
    node = &(*node)[key];
  }
  return *node;
}

json find_row(const json& rows, unsigned rules, unsigned sources) {
  for (const json& r : rows) {
    if (r.value("family", "") == kFamily && r.value("mix", "") == kMix &&
        r.value("rules", 0u) == rules && r.value("sources", 0u) == sources)
      return r["ns_per_packet"];
  }
  return nullptr;
}

json first_family(const json& rows) {
  for (const json& r : rows) {
    if (r.value("family", "") == kFamily) return r["ns_per_packet"];
  }
  return nullptr;
}

json compile_field(const json& results, unsigned rules, const char* field) {
  const json compile = at(results, {"control_plane", "compile"});
  if (!compile.is_array()) return nullptr;
  for (const json& c : compile) {
    if (c.value("rules", 0u) == rules) return c[field];
  }
  return nullptr;
}

json ratio(const json& a, const json& b) {
  if (!a.is_number() || !b.is_number() || b.get<double>() == 0) return nullptr;
  return a.get<double>() / b.get<double>();
}

enum class Bound { at_least, at_most, below };

json goal(const std::string& what, const std::string& target, const json& measured, Bound kind,
          double bound, const std::string& unit) {
  json met = nullptr;
  if (measured.is_number()) {
    const double v = measured.get<double>();
    met = kind == Bound::at_least ? v >= bound : (kind == Bound::at_most ? v <= bound : v < bound);
  }
  return {{"goal", what}, {"target", target}, {"measured", measured}, {"unit", unit}, {"met", met}};
}

// Every guard measurement with a verdict check, and the ones that failed it.
json collect_checks(const json& results) {
  json mismatches = json::array();
  unsigned checked = 0;
  auto visit = [&](const json& rows, const std::string& section) {
    if (!rows.is_array()) return;
    for (const json& r : rows) {
      if (!r.contains("check")) continue;
      ++checked;
      if (!r["check"].value("verdicts_match", false)) {
        json m = r;
        m.erase("interface");
        m["section"] = section;
        mismatches.push_back(m);
      }
    }
  };
  visit(at(results, {"program_cost", "parse_only"}), "program_cost.parse_only");
  visit(at(results, {"program_cost", "full"}), "program_cost.full");
  visit(at(results, {"live", "runs"}), "live");
  return {{"guard_measurements_checked", checked},
          {"verdicts_match", mismatches.empty()},
          {"mismatches", mismatches}};
}

}  // namespace

void add_summary(json& results) {
  const json full_rows = at(results, {"program_cost", "full"});
  const json live_pass = at(results, {"live", "mixes", "pass-heavy"});
  const json live_drop = at(results, {"live", "mixes", "drop-heavy"});
  json s;
  s["ratio_guard_vs_limit"] = at(live_pass, {"ratio_guard_vs_limit"});
  s["ratio_guard_vs_nftables"] = at(live_pass, {"ratio_guard_vs_nftables"});
  s["ratio_guard_vs_limit_drop_heavy"] = at(live_drop, {"ratio_guard_vs_limit"});
  s["ratio_guard_vs_nftables_drop_heavy"] = at(live_drop, {"ratio_guard_vs_nftables"});
  s["pps_empty"] = at(live_pass, {"empty", "processed_pps", "median"});
  s["pps_guard"] = at(live_pass, {"guard", "processed_pps", "median"});
  s["pps_nftables"] = at(live_pass, {"nftables", "processed_pps", "median"});
  s["ns_per_packet_empty"] = first_family(at(results, {"program_cost", "empty"}));
  s["ns_per_packet_parse_only"] = first_family(at(results, {"program_cost", "parse_only"}));
  s["ns_per_packet_full_10_rules"] =
      full_rows.is_array() ? find_row(full_rows, 10, kManySources) : json();
  s["ns_per_packet_full_10_rules_1_source"] =
      full_rows.is_array() ? find_row(full_rows, 10, 1) : json();
  s["ns_per_packet_full_10k_rules_1m_sources"] =
      full_rows.is_array() ? find_row(full_rows, 10000, kManySources) : json();
  s["compile_seconds_1k_rules"] = compile_field(results, 1000, "total_seconds");
  s["compile_seconds_10k_rules"] = compile_field(results, 10000, "total_seconds");
  s["compile_seconds_100k_rules"] = compile_field(results, 100000, "total_seconds");
  s["compile_peak_mb_10k_rules"] = compile_field(results, 10000, "peak_rss_mb");
  s["compile_peak_mb_100k_rules"] = compile_field(results, 100000, "peak_rss_mb");
  s["apply_seconds_10k_rules"] = at(results, {"control_plane", "apply", "seconds", "median"});
  s["agent_rss_idle_mb"] = at(results, {"control_plane", "agent", "idle_rss_mb", "median"});
  s["agent_rss_load_peak_mb"] = at(results, {"control_plane", "agent", "load", "peak_rss_mb"});

  results["summary"] = s;
  results["summary_definitions"] = {
      {"ratio_guard_vs_limit",
       "live veth run, pass-heavy mix: median processed pps of the guard / of the empty XDP "
       "program (see live.method); *_drop_heavy: the same for the drop-heavy mix"},
      {"ratio_guard_vs_nftables", "the same, guard / nftables doing the same job"},
      {"ns_per_packet_empty", "BPF_PROG_TEST_RUN, empty XDP program, IPv4 frames"},
      {"ns_per_packet_parse_only", "guard with a 0-rule, default-allow, unlimited policy, IPv4"},
      {"ns_per_packet_full_10_rules",
       "full guard pipeline, IPv4 pass-heavy, 10 rules, 1,000,000 sources"},
      {"ns_per_packet_full_10_rules_1_source", "the same with one source"},
      {"ns_per_packet_full_10k_rules_1m_sources",
       "full guard pipeline, IPv4 pass-heavy, 10,000 rules, 1,000,000 sources"},
      {"compile_seconds_10k_rules",
       "YAML text -> validated model -> compiled map image (load + compile)"},
      {"compile_peak_mb_10k_rules", "peak RSS of the compiling process (VmHWM), baseline included"},
      {"apply_seconds_10k_rules", "atomic apply of a compiled 10,000-rule policy into the maps"}};
  for (const auto& [key, value] : s.items()) results[key] = value;

  const json full_10k = s["ns_per_packet_full_10k_rules_1m_sources"];
  const std::string live_shape = "live, " + at(results, {"live", "rules"}).dump() + " rules, " +
                                 at(results, {"live", "sources"}).dump() + " sources, pass-heavy";
  results["goals"] = json::array({
      goal("guard pps vs empty XDP (" + live_shape + ")", ">= 0.8x", s["ratio_guard_vs_limit"],
           Bound::at_least, 0.8, "x"),
      goal("guard pps vs nftables (" + live_shape + ")", ">= 5x", s["ratio_guard_vs_nftables"],
           Bound::at_least, 5.0, "x"),
      goal("full pipeline, 10,000 rules, 1,000,000 sources (IPv4)", "<= 60 ns/packet", full_10k,
           Bound::at_most, 60.0, "ns"),
      goal("full pipeline 10,000 rules vs 10 rules (1,000,000 sources)", "<= 1.3x",
           ratio(full_10k, s["ns_per_packet_full_10_rules"]), Bound::at_most, 1.3, "x"),
      goal("compile 10,000 rules: time", "< 1 s", s["compile_seconds_10k_rules"], Bound::below, 1.0,
           "s"),
      goal("compile 10,000 rules: peak memory", "< 200 MB", s["compile_peak_mb_10k_rules"],
           Bound::below, 200.0, "MB"),
  });
  results["checks"] = collect_checks(results);
}

}  // namespace westworld::bench

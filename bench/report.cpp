#include "report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <vector>

namespace westworld::bench {
namespace {

using nlohmann::json;

const json kNull = nullptr;

const json& at(const json& j, std::initializer_list<const char*> path) {
  const json* node = &j;
  for (const char* key : path) {
    if (!node->is_object() || !node->contains(key)) return kNull;
    node = &(*node)[key];
  }
  return *node;
}

std::string fixed(const json& v, int decimals, const std::string& suffix = "") {
  if (!v.is_number()) return "n/a";
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, v.get<double>());
  return text + suffix;
}

// 1234567.8 -> "1,234,568"
std::string grouped(const json& v) {
  if (!v.is_number()) return "n/a";
  std::string digits = std::to_string(std::llround(v.get<double>()));
  for (int i = int(digits.size()) - 3; i > 0; i -= 3) digits.insert(size_t(i), ",");
  return digits;
}

std::string spread_pps(const json& s) {
  return grouped(s["median"]) + " [" + grouped(s["min"]) + "–" + grouped(s["max"]) + "]";
}

std::string count_label(unsigned n) {
  if (n >= 1000000 && n % 1000000 == 0) return std::to_string(n / 1000000) + "M";
  if (n >= 1000 && n % 1000 == 0) return std::to_string(n / 1000) + "k";
  return std::to_string(n);
}

const json* row_for(const json& rows, const std::string& family, const std::string& mix,
                    unsigned rules, unsigned sources) {
  for (const json& r : rows) {
    if (r["family"] == family && r["mix"] == mix && r["rules"] == rules && r["sources"] == sources)
      return &r;
  }
  return nullptr;
}

void machine_section(std::ostream& md, const json& m, const json& results) {
  md << "Machine: " << m.value("cpu_model", "?") << " (" << m.value("cpus", 0) << " CPUs, "
     << fixed(m["memory_gb"], 0) << " GB), kernel " << m.value("kernel", "?") << "; BPF JIT "
     << m.value("bpf_jit", "?") << " (harden " << m.value("bpf_jit_harden", "?") << "); XDP "
     << m.value("xdp_mode", "?") << "; " << m.value("clang", "?") << "; libbpf "
     << m.value("libbpf", "?") << "; libxdp " << m.value("libxdp", "?") << "; "
     << m.value("nft", "?") << ". Spectre v2: " << m.value("spectre_v2", "?") << ". Load average "
     << m.value("load_average_at_start", "?") << " at the start, "
     << results.value("load_average_at_end", "?") << " at the end.\n\n";
}

void goals_section(std::ostream& md, const json& goals) {
  md << "## Goals (measured, not enforced)\n\n"
     << "| goal | target | measured | met |\n|---|---|---|---|\n";
  for (const json& g : goals) {
    const std::string unit = g.value("unit", "");
    const int decimals = unit == "x" || unit == "s" ? 3 : 1;
    const std::string met =
        g["met"].is_boolean() ? (g["met"].get<bool>() ? "yes" : "**no**") : "n/a";
    md << "| " << g.value("goal", "") << " | " << g.value("target", "") << " | "
       << fixed(g["measured"], decimals, unit == "x" ? "x" : " " + unit) << " | " << met << " |\n";
  }
  md << "\n";
}

void live_section(std::ostream& md, const json& live) {
  if (!live.is_object()) return;
  md << "## Live veth traffic: " << grouped(live["rules"]) << " rules, " << grouped(live["sources"])
     << " sources (pps, median [min–max] over " << live["repetitions"]
     << " interleaved repetitions of " << fixed(live["seconds_per_run"], 1) << " s)\n\n"
     << "| mix | receiver | processed | delivered | dropped | guard / this |\n"
     << "|---|---|---|---|---|---|\n";
  for (const char* mix : {"pass-heavy", "drop-heavy"}) {
    if (!live["mixes"].contains(mix)) continue;
    const json& m = live["mixes"][mix];
    for (const char* receiver : {"empty", "guard", "nftables"}) {
      const json& r = m[receiver];
      std::string ratio = "";
      if (std::string(receiver) == "empty") ratio = fixed(m["ratio_guard_vs_limit"], 2, "x");
      if (std::string(receiver) == "nftables") ratio = fixed(m["ratio_guard_vs_nftables"], 1, "x");
      md << "| " << mix << " | " << receiver << " | " << spread_pps(r["processed_pps"]) << " | "
         << grouped(r["delivered_pps"]["median"]) << " | " << grouped(r["dropped_pps"]["median"])
         << " | " << ratio << " |\n";
    }
  }
  md << "\nprocessed = frames the receiver's hook handled per second of generator time (delivered "
        "+ "
        "dropped); generator and receiver share one CPU (see results.json live.method).\n\n";
}

void program_section(std::ostream& md, const json& pc) {
  if (!pc.is_object()) return;
  md << "## Program cost (ns/packet, BPF_PROG_TEST_RUN, repeat " << grouped(pc["repeat_per_frame"])
     << " per frame, " << pc["frames_per_set"] << " frames round-robin, median of " << pc["rounds"]
     << " round(s))\n\n";
  if (pc["repeat_per_frame"].get<unsigned>() < 1000000)
    md << "Repeat is below the full run's 1,000,000 per frame: a --quick or --smoke run.\n\n";
  md << "| program | ipv4 | ipv6 | vlan |\n|---|---|---|---|\n";
  for (const char* section : {"empty", "parse_only"}) {
    md << "| " << section << " |";
    for (const char* family : {"ipv4", "ipv6", "vlan"}) {
      std::string cell = "n/a";
      for (const json& r : pc[section]) {
        if (r["family"] == family) cell = fixed(r["ns_per_packet"], 1);
      }
      md << " " << cell << " |";
    }
    md << "\n";
  }
  std::vector<unsigned> rules, sources;
  for (const json& r : pc["full"]) {
    const unsigned n = r["rules"], s = r["sources"];
    if (std::find(rules.begin(), rules.end(), n) == rules.end()) rules.push_back(n);
    if (std::find(sources.begin(), sources.end(), s) == sources.end()) sources.push_back(s);
  }
  md << "\nFull pipeline:\n\n| family | mix | rules |";
  for (unsigned s : sources) md << " " << count_label(s) << (s == 1 ? " source |" : " sources |");
  md << "\n|---|---|---|";
  for (size_t i = 0; i < sources.size(); ++i) md << "---|";
  md << "\n";
  for (const char* family : {"ipv4", "ipv6", "vlan"}) {
    for (const char* mix : {"pass-heavy", "drop-heavy"}) {
      for (unsigned n : rules) {
        if (!row_for(pc["full"], family, mix, n, sources.empty() ? 0 : sources.front())) continue;
        md << "| " << family << " | " << mix << " | " << grouped(n) << " |";
        for (unsigned s : sources) {
          const json* r = row_for(pc["full"], family, mix, n, s);
          md << " " << (r ? fixed((*r)["ns_per_packet"], 1) : "n/a") << " |";
        }
        md << "\n";
      }
    }
  }
  md << "\nPrograms: ";
  for (const auto& [name, p] : pc["programs"].items())
    md << name << " " << p.value("xlated_insns", 0) << " insns xlated / "
       << p.value("jited_bytes", 0) << " bytes JITed / " << p.value("verified_insns", 0)
       << " verified; ";
  md << "\n\n";
}

void control_section(std::ostream& md, const json& cp) {
  if (!cp.is_object()) return;
  md << "## Control plane\n\n| rules | load s | compile s | total s | peak MB | note |\n"
     << "|---|---|---|---|---|---|\n";
  for (const json& c : cp["compile"]) {
    md << "| " << grouped(c["rules"]) << " | " << fixed(c["load_seconds"], 3) << " | "
       << fixed(c["compile_seconds"], 3) << " | " << fixed(c["total_seconds"], 3) << " | "
       << fixed(c["peak_rss_mb"], 1) << " | "
       << (c.value("loader_accepted", true)
               ? ""
               : "loader refuses (> 16,384 rules); compile() on the model")
       << " |\n";
  }
  const json& apply = cp["apply"];
  const json& agent = cp["agent"];
  md << "\nAtomic apply of " << grouped(apply["rules"])
     << " rules: " << fixed(at(apply, {"seconds", "median"}), 3) << " s ["
     << fixed(at(apply, {"seconds", "min"}), 3) << "–" << fixed(at(apply, {"seconds", "max"}), 3)
     << "]. Agent: ready " << fixed(agent["ready_seconds"], 2) << " s after start; RSS idle "
     << fixed(at(agent, {"idle_rss_mb", "median"}), 1) << " MB, under load peak "
     << fixed(at(agent, {"load", "peak_rss_mb"}), 1) << " MB ("
     << grouped(at(agent, {"load", "pps"})) << " pps of audited traffic, "
     << at(agent, {"load", "status_calls"}) << " status calls, apply via agent "
     << fixed(at(agent, {"load", "apply_seconds_via_agent"}), 2) << " s); VmHWM "
     << fixed(agent["hwm_rss_mb"], 1) << " MB.\n\n";
}

void checks_section(std::ostream& md, const json& checks) {
  md << "## Verdict checks\n\n";
  if (checks.value("verdicts_match", false)) {
    md << "All " << checks["guard_measurements_checked"]
       << " guard measurements decided exactly what the traffic intended (passes, drops by the "
          "deny rule, nothing else).\n\n";
    return;
  }
  md << "**" << checks["mismatches"].size() << " of " << checks["guard_measurements_checked"]
     << " guard measurements did not match the intended verdicts** (results.json "
        "checks.mismatches).\n\n";
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
}

}  // namespace

std::string markdown_report(const json& results) {
  std::ostringstream md;
  const json& m = results["machine"];
  md << "# Westworld bench: " << m.value("host", "?") << ", " << m.value("date", "?") << " ("
     << results.value("mode", "?") << " run, " << fixed(results["elapsed_seconds"], 0) << " s)\n\n";
  machine_section(md, m, results);
  goals_section(md, results["goals"]);
  live_section(md, results.value("live", json()));
  program_section(md, results.value("program_cost", json()));
  control_section(md, results.value("control_plane", json()));
  checks_section(md, results["checks"]);
  md << "Definitions: results.json (summary_definitions, program_cost.definitions, live.method, "
        "control_plane.compile_method).\n";
  return md.str();
}

void write_plot_data(const json& results, const std::string& dir) {
  const json& pc = results.value("program_cost", json());
  std::ostringstream vars;
  vars << "empty_ns = " << fixed(results["ns_per_packet_empty"], 2) << "\n"
       << "parse_ns = " << fixed(results["ns_per_packet_parse_only"], 2) << "\n"
       << "title_text = \"" << results["machine"].value("host", "") << " "
       << results["machine"].value("date", "") << " (" << results.value("mode", "") << ")\"\n";
  write_file(dir + "/vars.gp", vars.str());

  if (pc.is_object()) {
    for (const char* mix : {"pass-heavy", "drop-heavy"}) {
      std::ostringstream dat;
      dat << "# rules, then ns/packet: ipv4 1/10k/1M sources, ipv6 1/10k/1M, vlan 1/10k/1M\n";
      for (unsigned rules : {10u, 1000u, 10000u}) {
        dat << rules;
        for (const char* family : {"ipv4", "ipv6", "vlan"}) {
          for (unsigned sources : {1u, 10000u, 1000000u}) {
            const json* r = row_for(pc["full"], family, mix, rules, sources);
            dat << " " << (r ? fixed((*r)["ns_per_packet"], 2) : "NaN");
          }
        }
        dat << "\n";
      }
      write_file(dir + "/prog_cost_" + std::string(mix).substr(0, 4) + ".dat", dat.str());
    }
  }
  if (results.contains("live")) {
    std::ostringstream dat;
    dat << "# mix, then median min max processed pps for empty, guard, nftables\n";
    for (const char* mix : {"pass-heavy", "drop-heavy"}) {
      if (!results["live"]["mixes"].contains(mix)) continue;
      const json& m = results["live"]["mixes"][mix];
      dat << mix;
      for (const char* receiver : {"empty", "guard", "nftables"}) {
        const json& s = m[receiver]["processed_pps"];
        dat << " " << fixed(s["median"], 0) << " " << fixed(s["min"], 0) << " "
            << fixed(s["max"], 0);
      }
      dat << "\n";
    }
    write_file(dir + "/live.dat", dat.str());
  }
  if (results.contains("control_plane")) {
    std::ostringstream dat;
    dat << "# rules, total compile seconds, peak MB\n";
    for (const json& c : results["control_plane"]["compile"])
      dat << c["rules"] << " " << fixed(c["total_seconds"], 4) << " " << fixed(c["peak_rss_mb"], 1)
          << "\n";
    write_file(dir + "/compile.dat", dat.str());
  }
}

}  // namespace westworld::bench

#include "machine_facts.h"

#include <bpf/libbpf.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <sstream>

#include "westworld/harness/command.h"

namespace westworld::bench {
namespace {

std::string trimmed(std::string text) {
  const size_t first = text.find_first_not_of(" \t\n");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t\n") - first + 1);
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return trimmed(text.str());
}

// The value of the first "key<sep>value" line of a /proc file.
std::string proc_field(const std::string& path, const std::string& key) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) != 0) continue;
    const size_t colon = line.find(':');
    if (colon != std::string::npos) return trimmed(line.substr(colon + 1));
  }
  return "";
}

std::string first_line_of(const std::vector<std::string>& argv) {
  const harness::CommandResult r = harness::run_command(argv);
  std::string text = r.out.empty() ? r.err : r.out;
  return trimmed(text.substr(0, text.find('\n')));
}

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return text;
}

}  // namespace

std::string load_average() {
  std::string text = read_text("/proc/loadavg");
  // "0.52 0.58 0.59 1/523 12345": keep the three averages
  size_t end = 0;
  for (int field = 0; field < 3 && end != std::string::npos; ++field) end = text.find(' ', end + 1);
  return text.substr(0, end);
}

nlohmann::json machine_facts() {
  utsname uts{};
  ::uname(&uts);
  const std::string jit = read_text("/proc/sys/net/core/bpf_jit_enable");
  const std::string mem_total = proc_field("/proc/meminfo", "MemTotal");  // "24000000 kB"
  const long mem_kb = mem_total.empty() ? 0 : std::stol(mem_total);
  return {
      {"date", utc_now()},
      {"host", uts.nodename},
      {"cpu_model", proc_field("/proc/cpuinfo", "model name")},
      {"cpus", sysconf(_SC_NPROCESSORS_ONLN)},
      {"memory_gb", double(mem_kb) / (1024.0 * 1024.0)},
      {"kernel", std::string(uts.release) + " " + uts.version},
      {"bpf_jit", jit == "0" ? "off" : (jit == "2" ? "on (debug)" : "on")},
      {"bpf_jit_enable", jit},
      {"bpf_jit_harden", read_text("/proc/sys/net/core/bpf_jit_harden")},
      {"bpf_stats_enabled", read_text("/proc/sys/kernel/bpf_stats_enabled")},
      {"spectre_v2", read_text("/sys/devices/system/cpu/vulnerabilities/spectre_v2")},
      {"xdp_mode", "native (veth driver mode, XDP_FLAGS_DRV_MODE)"},
      {"clang", first_line_of({WW_BENCH_CLANG, "--version"})},
      {"libbpf", std::string(libbpf_version_string()) + " (runtime), " + WW_BENCH_LIBBPF_VERSION +
                     " (pkg-config)"},
      {"libxdp", WW_BENCH_LIBXDP_VERSION},
      {"bpftool", first_line_of({"bpftool", "version"})},
      {"nft", first_line_of({"nft", "--version"})},
      {"cxx", __VERSION__},
      {"load_average_at_start", load_average()},
  };
}

}  // namespace westworld::bench

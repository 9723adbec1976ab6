#include "westworld/cradle/plot.h"

#include <fstream>

#include "westworld/harness/command.h"
#include "westworld/harness/pid_tag.h"
#include "westworld/harness/tool_paths.h"

namespace westworld::cradle {
namespace {

namespace fs = std::filesystem;

// Columns: seconds, delivery %, p99 ms (a window where nothing was sent is left out).
void write_series(const ArmResult& arm, const fs::path& path) {
  std::ofstream out(path);
  for (const SeriesPoint& p : arm.series) {
    if (p.sent == 0) continue;
    out << p.t_ms / 1000.0 << ' ' << 100.0 * static_cast<double>(p.delivered) / p.sent << ' '
        << p.p99_us / 1000.0 << '\n';
  }
}

// Titles are the report's own words; quotes in them would end gnuplot's string.
std::string quoted(std::string text) {
  for (char& c : text)
    if (c == '"' || c == '\\') c = '\'';
  return "\"" + text + "\"";
}

}  // namespace

std::optional<std::string> write_plot(const Report& report, const fs::path& png) {
  if (!harness::have_tool("gnuplot")) return "gnuplot is not installed";
  auto sent_any = [](const ArmResult& arm) {
    for (const SeriesPoint& p : arm.series)
      if (p.sent > 0) return true;
    return false;
  };
  if (!sent_any(report.baseline) || !sent_any(report.candidate))
    return "an arm measured no legitimate traffic";
  const fs::path dir = harness::make_tagged_directory("wwcplot");
  const fs::path baseline = dir / "baseline.dat", candidate = dir / "candidate.dat";
  write_series(report.baseline, baseline);
  write_series(report.candidate, candidate);
  const std::string script =
      "set terminal pngcairo size 1000,640 noenhanced\n"
      "set output " +
      quoted(png.string()) +
      "\n"
      "set multiplot layout 2,1 title " +
      quoted("cradle: " + report.experiment + " - verdict " +
             std::string(verdict_name(report.verdict))) +
      "\n"
      "set grid\nset key bottom right\n"
      "set ylabel 'legitimate delivered %'\nset yrange [0:105]\n"
      "plot " +
      quoted(baseline.string()) + " using 1:2 with linespoints title 'baseline', " +
      quoted(candidate.string()) +
      " using 1:2 with linespoints title 'candidate'\n"
      "set ylabel 'p99 latency (ms)'\nset xlabel 'seconds into the arm'\nset yrange [0:*]\n"
      "set key top right\n"
      "plot " +
      quoted(baseline.string()) + " using 1:3 with linespoints title 'baseline', " +
      quoted(candidate.string()) +
      " using 1:3 with linespoints title 'candidate'\n"
      "unset multiplot\n";
  const fs::path script_file = dir / "plot.gp";
  std::ofstream(script_file) << script;
  const auto result = harness::run_command({"gnuplot", script_file.string()});
  std::error_code ignored;
  fs::remove_all(dir, ignored);
  if (!result.ok()) return "gnuplot failed: " + result.err;
  return std::nullopt;
}

}  // namespace westworld::cradle

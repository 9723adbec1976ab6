// wwctl top: a live view of the node, refreshed like top(1): each interface's
// ingress rate and the busiest sources with their rate, share, drops and state
// (ok, flagged, quarantined). `--once --json` prints one view for scripts.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>
#include <thread>

#include "agent_request.h"
#include "commands.h"

namespace westworld::cli {
namespace {

struct TopOptions {
  bool once = false;
  bool as_json = false;
  double interval_s = 1.0;
  uint32_t limit = 20;
};

// 12.3k, 4.56M: rates fit a column.
std::string si(double value, const char* unit) {
  static const char* const prefixes[] = {"", "k", "M", "G", "T"};
  int i = 0;
  while (value >= 1000 && i < 4) {
    value /= 1000;
    ++i;
  }
  std::ostringstream text;
  text << std::fixed
       << std::setprecision(value < 10 && i > 0    ? 2
                            : value < 100 && i > 0 ? 1
                                                   : 0)
       << value << prefixes[i] << unit;
  return text.str();
}

std::string percent(double ratio) {
  std::ostringstream text;
  text << std::fixed << std::setprecision(1) << ratio * 100 << "%";
  return text.str();
}

void render(const control::TopReply& view, bool clear) {
  std::ostringstream out;
  if (clear) out << "\x1b[H\x1b[2J";
  out << "westworld top - "
      << utc_time(std::chrono::duration_cast<std::chrono::nanoseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count())
      << "  window " << std::fixed << std::setprecision(2) << view.window_s << " s  sources "
      << view.tracked_sources << "  quarantined " << view.quarantined
      << (view.frozen ? "  POLICY FROZEN" : "") << "\n\n";
  out << std::left << std::setw(16) << "INTERFACE" << std::right << std::setw(10) << "PPS"
      << std::setw(14) << "BPS" << std::setw(10) << "SOURCES" << '\n';
  for (const control::TopInterface& i : view.interfaces) {
    out << std::left << std::setw(16) << i.interface << std::right << std::setw(10) << si(i.pps, "")
        << std::setw(14) << si(8 * i.bps, "bit/s") << std::setw(10) << i.active_sources << '\n';
  }
  out << '\n'
      << std::left << std::setw(40) << "SOURCE" << std::setw(12) << "INTERFACE" << std::right
      << std::setw(10) << "PPS" << std::setw(14) << "BPS" << std::setw(8) << "SHARE"
      << std::setw(10) << "DROP/S"
      << "  " << std::left << "STATE" << '\n';
  for (const control::TopSource& s : view.sources) {
    out << std::left << std::setw(40) << s.source << std::setw(12) << s.interface << std::right
        << std::setw(10) << si(s.pps, "") << std::setw(14) << si(8 * s.bps, "bit/s") << std::setw(8)
        << percent(s.share) << std::setw(10) << si(s.dropped_pps, "") << "  " << s.state << '\n';
  }
  std::cout << out.str() << std::flush;
}

int run_top(const CommonOptions& common, const TopOptions& options) {
  const bool live = !options.once;
  const bool clear = live && isatty(STDOUT_FILENO);
  for (;;) {
    auto view = ask_agent(common, control::TopRequest{options.limit},
                          "it keeps the per-window rates; `wwctl status` reads the pins without "
                          "one");
    if (!view) return EXIT_FAILURE;
    if (options.as_json)
      std::cout << control::to_json_text(*view, live ? -1 : 2) << std::endl;
    else
      render(*view, clear);
    if (!live) return EXIT_SUCCESS;
    std::this_thread::sleep_for(std::chrono::duration<double>(options.interval_s));
  }
}

}  // namespace

void register_top_command(CLI::App& app, const CommonOptions& common, int& exit_code) {
  auto options = std::make_shared<TopOptions>();
  CLI::App* cmd = app.add_subcommand(
      "top", "Live view of interfaces and the busiest sources: pps, bps, share, drops, state");
  cmd->add_flag("--once", options->once, "Print one view and exit");
  cmd->add_flag("--json", options->as_json, "JSON (one object per refresh; indented with --once)");
  cmd->add_option("--interval", options->interval_s, "Seconds between refreshes")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();
  cmd->add_option("--limit", options->limit, "Busiest sources shown")->capture_default_str();
  cmd->callback([options, &common, &exit_code] { exit_code = run_top(common, *options); });
}

}  // namespace westworld::cli

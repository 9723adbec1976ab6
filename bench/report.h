// The human side of results.json: the markdown tables scripts/bench.sh prints,
// and the data files bench/plots.gp turns into PNGs.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace westworld::bench {

std::string markdown_report(const nlohmann::json& results);

// prog_cost_pass.dat, prog_cost_drop.dat, live.dat, compile.dat and vars.gp.
void write_plot_data(const nlohmann::json& results, const std::string& dir);

}  // namespace westworld::bench

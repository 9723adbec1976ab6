// `wwctl cradle ...`: the twin where a policy is tried before anyone votes on it (issue 10).
#pragma once

#include <CLI/CLI.hpp>

#include "commands.h"

namespace westworld::cli {

// `cradle run|clean|verify` (cradle_commands.cpp).
void register_cradle_commands(CLI::App& app, const CommonOptions& common, int& exit_code);

// Adds `verify REPORT [--vkey KEY] [--json]` under the `cradle` group: exit 0 only for an
// intact report whose signature verifies (under KEY when given), 1 for any other report, 2
// when the report or KEY cannot be read.
void register_cradle_verify(CLI::App& cradle, const CommonOptions& common, int& exit_code);

}  // namespace westworld::cli

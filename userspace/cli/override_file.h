// The override file operators pass around (wwctl charter override -o): the charter.override
// request itself, signatures included, one JSON line. Read by `cosign` and `submit`, and by
// `gov propose --override`, which puts the override's digest to the members' vote.
#pragma once

#include <string>

#include "westworld/control/messages.h"

namespace westworld::cli {

// Throws std::runtime_error naming the file and what is wrong with it.
control::CharterOverrideRequest read_override_file(const std::string& path);
// Written whole or not at all: a file half-written by a crash would lose signatures.
void write_override_file(const std::string& path, const control::CharterOverrideRequest& message);

}  // namespace westworld::cli

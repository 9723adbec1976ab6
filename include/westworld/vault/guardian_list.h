// The guardians file: one "ID BASE64-PUBLIC-KEY" line per guardian (as printed by
// `wwctl vault guardian keygen`); blank lines and lines starting with '#' are ignored.
// Order matters: the n-th guardian holds share index n.
#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

#include "westworld/vault/guardian_key.h"

namespace westworld::vault {

// Throws std::runtime_error "SOURCE:LINE: why" on a malformed line, a duplicate id or key,
// or more than kMaxGuardians guardians.
std::vector<GuardianPublic> parse_guardian_list(std::string_view text, std::string_view source);
std::vector<GuardianPublic> read_guardian_list(const std::filesystem::path& path);

}  // namespace westworld::vault

// Text wwctl reads from the user: whole files, and values with stray whitespace around them.
#pragma once

#include <string>
#include <string_view>

namespace westworld::cli {

// The whole file; throws std::runtime_error "PATH: cannot read".
std::string read_text(const std::string& path);
// Without leading and trailing spaces, tabs and newlines.
std::string trimmed(std::string_view text);

}  // namespace westworld::cli

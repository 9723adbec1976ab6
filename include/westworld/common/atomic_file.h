// Files written whole or not at all: the text goes to PATH.tmp, is flushed to disk, then
// renamed over PATH, so a crash leaves the old file or the new one, never half of either.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

namespace westworld::common {

// Creates the parent directory if needed. Throws std::runtime_error naming the file.
void write_file_atomically(const std::string& path, std::string_view text, mode_t mode = 0644);

}  // namespace westworld::common

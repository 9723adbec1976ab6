// Whole text files, for child output, /proc entries and test inputs.
#pragma once

#include <filesystem>
#include <string>

namespace westworld::harness {

// The whole file; empty if it cannot be read.
std::string read_text_file(const std::filesystem::path& path);

// Replaces the file with `text`; throws std::runtime_error if it cannot be written.
void write_text_file(const std::filesystem::path& path, const std::string& text);

}  // namespace westworld::harness

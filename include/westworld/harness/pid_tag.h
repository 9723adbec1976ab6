// Names tagged with the PID of the test process that made them ("<stem><pid>" or
// "<stem><pid>-..."): parallel runs never collide, and a later run can tell what a dead process
// (a crash, a ctest timeout, kill -9) left behind from what a running one still uses.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace westworld::harness {

// "<stem><pid of this process>".
std::string pid_tagged(const std::string& stem);

// Entries of `directory` tagged with `stem` whose process no longer runs, or is this one (an
// earlier fixture of this process that did not clean up).
std::vector<std::filesystem::path> leftovers(const std::filesystem::path& directory,
                                             const std::string& stem);

// Removes those leftovers (files or whole directories), ignoring errors.
void remove_leftovers(const std::filesystem::path& directory, const std::string& stem);

// A new private directory "<temp>/<stem><pid>-XXXXXX"; throws std::runtime_error on failure.
std::filesystem::path make_tagged_directory(const std::string& stem);

}  // namespace westworld::harness

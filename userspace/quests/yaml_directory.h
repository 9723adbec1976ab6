// What the quest and campaign loaders share: reading one small YAML file with a diagnostic
// naming it when it cannot be read, and loading every *.yaml of a directory in name order
// with a duplicate id an error naming both files.
#pragma once

#include <algorithm>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "westworld/common/printable.h"
#include "westworld/policy/diagnostics.h"
#include "westworld/policy/policy_file.h"

namespace westworld::quests::detail {

// The file's text, or nullopt with a diagnostic naming it. Bounded, and refuses devices: the
// policy files' reader serves any small YAML file.
inline std::optional<std::string> read_yaml_file(const std::string& path,
                                                 std::vector<policy::Diagnostic>& diagnostics) {
  try {
    return policy::read_policy_file(path);
  } catch (const policy::PolicyFileError& e) {
    diagnostics.push_back(
        policy::Diagnostic{policy::Severity::error, common::printable(path), {}, e.what()});
    return std::nullopt;
  }
}

// Every *.yaml of `directory` through `load_file(path) -> {optional<Item>, diagnostics}`,
// sorted by id; `what` names the items in messages ("quest", "campaign").
template <typename Item, typename LoadFile>
void load_yaml_directory(const std::string& directory, std::string_view what, LoadFile load_file,
                         std::vector<Item>& items, std::vector<policy::Diagnostic>& diagnostics) {
  using policy::Diagnostic;
  using policy::Severity;
  std::vector<std::filesystem::path> files;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(directory, error))
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  if (error) {
    diagnostics.push_back(
        Diagnostic{Severity::error,
                   common::printable(directory),
                   {},
                   "cannot list the " + std::string(what) + "s: " + error.message()});
    return;
  }
  std::sort(files.begin(), files.end());
  std::vector<std::string> sources;  // the file of each loaded item, for duplicates
  for (const auto& file : files) {
    auto [item, found] = load_file(file.string());
    diagnostics.insert(diagnostics.end(), found.begin(), found.end());
    if (!item) continue;
    const auto earlier =
        std::find_if(items.begin(), items.end(), [&](const Item& i) { return i.id == item->id; });
    if (earlier != items.end()) {
      const std::string first = sources[static_cast<size_t>(earlier - items.begin())];
      diagnostics.push_back(Diagnostic{
          Severity::error,
          common::printable(file.string()),
          {},
          "duplicate " + std::string(what) + " id '" + item->id + "' (first in " + first + ")"});
      continue;
    }
    sources.push_back(file.string());
    items.push_back(std::move(*item));
  }
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.id < b.id; });
}

}  // namespace westworld::quests::detail

#include "westworld/quests/cradle_evidence.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "westworld/cradle/report_codec.h"

namespace westworld::quests {
namespace {

namespace fs = std::filesystem;

// The shortest time_to_quarantine[.ATTACK] of the candidate arm; only called on a report
// whose digest and signature verified, so the numbers are the signer's.
std::optional<int64_t> shortest_time_to_quarantine(const nlohmann::json& report) {
  const nlohmann::json* signals = nullptr;
  if (report.is_object() && report.contains("candidate") && report["candidate"].is_object() &&
      report["candidate"].contains("signals"))
    signals = &report["candidate"]["signals"];
  if (!signals || !signals->is_object()) return std::nullopt;
  std::optional<int64_t> shortest;
  for (const auto& [name, signal] : signals->items()) {
    if (name != "time_to_quarantine" && !name.starts_with("time_to_quarantine.")) continue;
    if (!signal.is_object() || !signal.contains("value") || !signal["value"].is_number_integer())
      continue;  // no value: the attack was never contained, which proves no MTTR
    const int64_t value = signal["value"].get<int64_t>();
    if (value >= 0 && (!shortest || value < *shortest)) shortest = value;
  }
  return shortest;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

CradleEvidence cradle_evidence(const fs::path& reports, const capability::PublicKey& node_key,
                               std::optional<common::UnixSeconds> crisis_opened) {
  if (!fs::is_directory(reports))
    throw std::runtime_error("the twin report directory " + reports.string() +
                             " does not exist or is not a directory");
  std::vector<fs::path> files;
  for (const fs::directory_entry& entry : fs::directory_iterator(reports))
    if (entry.is_regular_file() && entry.path().extension() == ".json")
      files.push_back(entry.path());
  std::sort(files.begin(), files.end());

  CradleEvidence out;
  if (crisis_opened) out.in_crisis = 0;
  for (const fs::path& file : files) {
    const std::string text = read_file(file);
    const cradle::ReportCheck check = cradle::verify_report_text(text, node_key);
    if (!check.ok) {
      out.refused.push_back(file.string() + ": " + check.problem);
      continue;
    }
    ++out.run;
    const nlohmann::json report = nlohmann::json::parse(text, nullptr, false);
    if (crisis_opened) {
      const auto started = report.is_object() ? report.find("started_unix_s") : report.end();
      if (started != report.end() && started->is_number_integer() &&
          started->get<int64_t>() >= crisis_opened->time_since_epoch().count())
        ++*out.in_crisis;
    }
    if (check.verdict != "pass") continue;
    ++out.passed;
    if (const auto ms = shortest_time_to_quarantine(report))
      if (!out.mttr || std::chrono::milliseconds(*ms) < *out.mttr)
        out.mttr = std::chrono::milliseconds(*ms);
  }
  return out;
}

void add_cradle_evidence(Evidence& evidence, const CradleEvidence& cradle) {
  evidence.twin_experiments_run = cradle.run;
  evidence.twin_experiments_passed = cradle.passed;
  evidence.mttr = cradle.mttr;
  evidence.twin_experiments_in_crisis = cradle.in_crisis;
}

}  // namespace westworld::quests

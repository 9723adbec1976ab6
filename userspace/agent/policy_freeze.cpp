#include "westworld/agent/policy_freeze.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "westworld/common/atomic_file.h"

namespace westworld::agent {
namespace {

std::string utc(uint64_t unix_ns) {
  std::time_t t = static_cast<std::time_t>(unix_ns / 1'000'000'000ULL);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

}  // namespace

PolicyFreeze::PolicyFreeze(std::string state_dir, const common::Clock& clock)
    : path_(state_dir + "/freeze.json"), clock_(clock) {
  std::ifstream in(path_);
  if (!in) return;
  auto state = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (!state.is_object() || !state.value("frozen", false)) return;
  reason_ = state.value("reason", "unknown");
  since_unix_ns_ = state.value("since_unix_ns", uint64_t{0});
  spdlog::warn("policy changes stay frozen since {} ({}); run `wwctl unfreeze` to lift",
               utc(since_unix_ns_), *reason_);
}

std::optional<std::string> PolicyFreeze::refusal() const {
  if (!reason_) return std::nullopt;
  return "policy changes are frozen since " + utc(since_unix_ns_) + " (" + *reason_ +
         "); an operator must run `wwctl unfreeze`";
}

void PolicyFreeze::freeze(const std::string& reason) {
  if (reason_) return;
  reason_ = reason;
  since_unix_ns_ = clock_.unix_ns();
  save();
}

bool PolicyFreeze::unfreeze() {
  if (!reason_) return false;
  reason_.reset();
  since_unix_ns_ = 0;
  save();
  return true;
}

void PolicyFreeze::save() const {
  try {
    common::write_file_atomically(path_, nlohmann::json{{"frozen", reason_.has_value()},
                                                        {"reason", reason_.value_or("")},
                                                        {"since_unix_ns", since_unix_ns_}}
                                                 .dump(2) +
                                             "\n");
  } catch (const std::exception& e) {
    spdlog::error("{}: the freeze holds only until the agent restarts", e.what());
  }
}

}  // namespace westworld::agent

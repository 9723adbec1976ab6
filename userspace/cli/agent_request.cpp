#include "agent_request.h"

#include <ctime>
#include <iostream>

#include "westworld/control/client.h"

namespace westworld::cli {

std::optional<nlohmann::json> ask_agent(const CommonOptions& common, const nlohmann::json& request,
                                        const std::string& why_agent) {
  auto reply = control::call_agent(common.control_path, request);
  if (!reply) {
    std::cerr << "wwctl: error: no agent listens on " << common.control_path << "; this needs the "
              << "running agent (" << why_agent << ")\n";
    return std::nullopt;
  }
  if (!reply->value("ok", false)) {
    std::cerr << "wwctl: error: " << reply->value("error", "the agent refused") << '\n';
    return std::nullopt;
  }
  return reply;
}

std::string utc_time(uint64_t unix_ns) {
  std::time_t t = static_cast<std::time_t>(unix_ns / 1'000'000'000ULL);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

}  // namespace westworld::cli

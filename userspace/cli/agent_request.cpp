#include "agent_request.h"

#include <chrono>
#include <ctime>

namespace westworld::cli {

control::Client agent_client(const CommonOptions& common) {
  return control::Client(common.control_path,
                         std::chrono::milliseconds(static_cast<int64_t>(common.timeout_s * 1000)));
}

void print_agent_error(const control::Error& error) {
  for (const std::string& line : error.details) std::cerr << line << '\n';
  std::cerr << "wwctl: error: " << error.message << '\n';
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

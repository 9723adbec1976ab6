#include "westworld/agent/bypass_watch.h"

#include <pwd.h>
#include <spdlog/spdlog.h>

#include <vector>

#include "westworld/dataplane/telemetry_guard.h"

namespace westworld::agent {

std::string bypass_offender(uint32_t uid) {
  std::string offender = "uid " + std::to_string(uid);
  passwd entry{};
  passwd* found = nullptr;
  std::vector<char> buffer(16384);
  if (::getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &found) == 0 && found)
    offender += std::string(" (") + found->pw_name + ")";
  return offender;
}

BypassWatch::BypassWatch(boost::asio::io_context& io, const dataplane::GuardMaps& maps,
                         charter::ViolationLedger& ledger, charter::GateObserver& observer,
                         std::chrono::milliseconds period)
    : timer_(io),
      maps_(maps),
      ledger_(ledger),
      observer_(observer),
      period_(period),
      seen_(dataplane::read_bypass_senders(maps)) {
  arm();
}

void BypassWatch::arm() {
  timer_.expires_after(period_);
  timer_.async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    check();
    arm();
  });
}

void BypassWatch::check() {
  try {
    for (const auto& [uid, packets] : dataplane::read_bypass_senders(maps_)) {
      uint64_t& seen = seen_[uid];
      if (packets <= seen) {
        seen = packets;  // an evicted and re-created entry starts again from 1
        continue;
      }
      seen = packets;
      const auto violation =
          ledger_.record({bypass_offender(uid), charter::ViolationType::gate_bypass,
                          "telemetry sent to a collector around the gate (dropped)",
                          policy::ViolationSeverity::high});
      if (violation) observer_.violation_recorded(*violation);
    }
  } catch (const std::exception& e) {
    spdlog::error("telemetry bypass watch: {}", e.what());
  }
}

}  // namespace westworld::agent

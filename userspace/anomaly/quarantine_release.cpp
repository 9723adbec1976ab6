#include "westworld/anomaly/quarantine_release.h"

#include <sstream>

namespace westworld::anomaly {
namespace {

constexpr uint64_t kNsPerSecond = 1'000'000'000ULL;
// Decisions are taken once per window; a ban is extended while at least this
// many windows remain, so the kernel never stops enforcing between two.
constexpr uint64_t kMarginWindows = 2;

}  // namespace

QuarantineRelease::QuarantineRelease(const policy::QuarantineSettings& settings, uint32_t window_ms)
    : settings_(settings), window_ns_(uint64_t{window_ms} * 1'000'000ULL) {}

ReleaseDecision QuarantineRelease::review(const ww_source_key& key, const ww_quarantine& entry,
                                          double offered_pps, uint64_t now_ns) {
  const bool quiet = offered_pps <= settings_.quiet_pps;
  if (!quiet) {
    quiet_since_ns_.erase(key);
  } else {
    quiet_since_ns_.try_emplace(key, now_ns);
  }
  const uint64_t margin_ns = kMarginWindows * window_ns_;
  if (now_ns + margin_ns < entry.until_ns) return {};

  const uint64_t quiet_needed_ns = uint64_t{settings_.quiet_seconds} * kNsPerSecond;
  const uint64_t quiet_for_ns = quiet ? now_ns - quiet_since_ns_[key] : 0;
  const bool quiet_enough = quiet && quiet_for_ns >= quiet_needed_ns;
  // Quiet enough, but the ban is not over yet: it ends on time.
  if (quiet_enough && now_ns < entry.until_ns) return {};
  std::ostringstream reason;
  if (quiet_enough) {
    reason << "ban over and quiet for " << quiet_for_ns / kNsPerSecond << " s (at most "
           << settings_.quiet_pps << " pps)";
    quiet_since_ns_.erase(key);
    return {ReleaseDecision::Kind::release, 0, reason.str()};
  }
  if (quiet) {
    reason << "ban over; quiet for " << quiet_for_ns / kNsPerSecond << " s of the "
           << settings_.quiet_seconds << " s needed";
  } else {
    reason << "ban over but still offering " << static_cast<uint64_t>(offered_pps)
           << " pps (quiet means at most " << settings_.quiet_pps << ")";
  }
  const uint64_t until = now_ns + (quiet_needed_ns - quiet_for_ns) + margin_ns + window_ns_;
  if (until <= entry.until_ns) return {};  // already extended far enough
  return {ReleaseDecision::Kind::extend, until, reason.str()};
}

}  // namespace westworld::anomaly

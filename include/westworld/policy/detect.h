// How the agent watches the counters (`anti_meave.detect`): the thresholds of
// each detector and the response it triggers. Every field has a default, so a
// policy without a detect section gets a watchman that alerts on clear
// takeovers and answers them with a tight quota, not a blackhole.
#pragma once

#include <cstdint>

namespace westworld::policy {

// What the agent does, besides alerting, when a detector fires.
enum class Response : uint8_t {
  none,        // alert only
  quarantine,  // put the source in ww_quarantine (per-source detectors only)
  freeze,      // refuse policy changes until `wwctl unfreeze`
};

// A series far above its own baseline: an EWMA level with a robust spread,
// learned only while the series is not flagged.
struct JumpSettings {
  bool enabled = true;
  double z = 8;                    // robust z-score a window must reach...
  double min_ratio = 4;            // ...and this multiple of the baseline...
  double min_rate = 1000;          // ...and this rate (per second), so small series never alert
  uint32_t baseline_windows = 60;  // EWMA span of the baseline
  uint32_t warmup_windows = 20;    // windows learned before the baseline is trusted
  uint32_t persistence = 3;        // consecutive windows above before an alert
  Response response = Response::none;
};

// A source's share of its interface's traffic staying above a bound (one-sided CUSUM).
struct ShareCreepSettings {
  bool enabled = true;
  double bound = 0.5;               // share one source may hold
  double slack = 0.05;              // allowance above the bound before evidence accumulates
  double limit = 2.0;               // decision level: accumulated share above bound + slack
  double min_interface_pps = 1000;  // shares of a near-idle interface mean nothing
  uint32_t min_sources = 3;         // nor do shares of a link with one or two talkers
  Response response = Response::quarantine;
};

// Many policy applies in a short time, or one apply that flips most verdicts.
struct ControlPlaneSettings {
  bool enabled = true;
  uint32_t max_applies_per_minute = 10;
  double max_changed_fraction = 0.5;  // of the rules, or of the traffic, whose verdict flips
  Response response = Response::freeze;
};

enum class QuarantineAction : uint8_t { drop = 0, limit = 1 };

struct QuarantineSettings {
  QuarantineAction action = QuarantineAction::limit;
  uint64_t pps = 1000;  // the tighter quota of action: limit
  uint64_t burst = 1000;
  uint32_t ban_seconds = 300;   // the shortest quarantine
  double quiet_pps = 100;       // released only once the source offers at most this...
  uint32_t quiet_seconds = 30;  // ...for this long, after the ban
  uint32_t max_entries = 1024;  // automatic quarantines at once (WW_MAX_QUARANTINE at most)
};

struct DetectSettings {
  uint32_t interval_ms = 1000;   // one window of every detector
  uint32_t track_sources = 128;  // busiest sources watched per window, besides flagged ones
  JumpSettings rate_jump{.response = Response::quarantine};
  ShareCreepSettings share_creep;
  JumpSettings source_churn{.min_rate = 1000, .response = Response::none};
  ControlPlaneSettings control_plane;
  QuarantineSettings quarantine;
};

const char* to_string(Response r);
const char* to_string(QuarantineAction a);

}  // namespace westworld::policy

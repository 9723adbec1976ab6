// The quarantine response: puts sources into ww_quarantine (never a protected
// one), extends bans of sources still loud, and releases the quiet ones after
// their ban. Every action and every refusal is reported to `on_response`, which
// logs it with its reason.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "westworld/agent/guard_view.h"
#include "westworld/anomaly/alert.h"
#include "westworld/anomaly/protection.h"
#include "westworld/anomaly/quarantine_release.h"
#include "westworld/anomaly/source_rates.h"
#include "westworld/common/clock.h"
#include "westworld/dataplane/quarantine_map.h"
#include "westworld/policy/model.h"

namespace westworld::agent {

// What one quarantine does; defaults come from the policy's detect.quarantine.
struct QuarantineTerms {
  policy::QuarantineAction action = policy::QuarantineAction::limit;
  uint64_t pps = 1000;
  uint64_t burst = 1000;
  uint32_t ban_seconds = 300;
};

struct QuarantineOutcome {
  bool done = false;
  std::string text;  // what happened, or why not
};

class QuarantineKeeper {
 public:
  using ResponseSink = std::function<void(const anomaly::ResponseRecord&)>;

  // `guard` must outlive the keeper.
  QuarantineKeeper(GuardView& guard, ResponseSink on_response,
                   const common::Clock& clock = common::system_clock());

  // New settings and protected classes (after every apply).
  void configure(const policy::Policy& policy);
  QuarantineTerms default_terms() const;

  QuarantineOutcome quarantine(const ww_source_key& key, uint32_t origin,
                               const QuarantineTerms& terms, const std::string& reason);
  QuarantineOutcome release(const ww_source_key& key, const std::string& reason);

  // Once per window: extends or releases what is due, by the snapshot's rates.
  void review(const anomaly::RateSnapshot& snapshot, uint64_t now_ns);

  std::vector<dataplane::QuarantineEntry> entries() const;
  // Sources held right now (their ban not over).
  anomaly::SourceKeySet active_keys(uint64_t now_ns) const;
  // Why `key` may not be quarantined, or nullopt.
  std::optional<std::string> why_protected(const ww_source_key& key) const;

 private:
  void respond(const std::string& action, const std::string& subject, const std::string& reason);

  GuardView& guard_;
  const common::Clock& clock_;
  ResponseSink on_response_;
  policy::Policy policy_;
  anomaly::QuarantineRelease release_;
};

}  // namespace westworld::agent

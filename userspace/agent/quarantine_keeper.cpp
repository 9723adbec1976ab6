#include "westworld/agent/quarantine_keeper.h"

#include <chrono>

#include "westworld/anomaly/source_key.h"

namespace westworld::agent {
namespace {

constexpr uint64_t kNsPerSecond = 1'000'000'000ULL;

std::string describe_terms(const QuarantineTerms& terms) {
  std::string text = terms.action == policy::QuarantineAction::drop
                         ? "drop"
                         : "limit to " + std::to_string(terms.pps) + " pps (burst " +
                               std::to_string(terms.burst) + ")";
  return text + " for at least " + std::to_string(terms.ban_seconds) + " s";
}

}  // namespace

QuarantineKeeper::QuarantineKeeper(GuardView& guard, ResponseSink on_response,
                                   const common::Clock& clock)
    : guard_(guard), clock_(clock), on_response_(std::move(on_response)), release_({}, 1000) {}

void QuarantineKeeper::configure(const policy::Policy& policy) {
  policy_ = policy;
  release_ = anomaly::QuarantineRelease(policy.detect.quarantine, policy.detect.interval_ms);
}

QuarantineTerms QuarantineKeeper::default_terms() const {
  const policy::QuarantineSettings& q = policy_.detect.quarantine;
  return {q.action, q.pps, q.burst, q.ban_seconds};
}

std::optional<std::string> QuarantineKeeper::why_protected(const ww_source_key& key) const {
  // The router's addresses are read now: they change (DHCP, new links).
  return anomaly::Protection(policy_, guard_.router_addresses()).why_protected(key);
}

void QuarantineKeeper::respond(const std::string& action, const std::string& subject,
                               const std::string& reason) {
  if (on_response_) on_response_({clock_.unix_ns(), action, subject, reason});
}

QuarantineOutcome QuarantineKeeper::quarantine(const ww_source_key& key, uint32_t origin,
                                               const QuarantineTerms& terms,
                                               const std::string& reason) {
  const std::string subject = anomaly::format_source(key);
  if (auto why = why_protected(key)) {
    respond("decline", subject, "protected: " + *why + "; " + reason);
    return {false, "not quarantined: " + subject + " is protected (" + *why + ")"};
  }
  const uint64_t now = clock_.monotonic_ns();
  const uint64_t until = now + uint64_t{terms.ban_seconds} * kNsPerSecond;
  if (auto held = guard_.find_quarantine(key); held && held->until_ns > now) {
    if (held->until_ns >= until) return {true, "already quarantined"};
    held->until_ns = until;
    guard_.write_quarantine(key, *held);
    respond("extend", subject,
            "ban renewed to " + std::to_string(terms.ban_seconds) + " s: " + reason);
    return {true,
            "already quarantined; ban renewed to " + std::to_string(terms.ban_seconds) + " s"};
  }
  if (origin != WW_QUARANTINE_MANUAL) {
    size_t automatic = 0;
    for (const auto& entry : entries()) automatic += entry.value.origin != WW_QUARANTINE_MANUAL;
    if (automatic >= policy_.detect.quarantine.max_entries) {
      const std::string why = "max_entries (" +
                              std::to_string(policy_.detect.quarantine.max_entries) +
                              ") automatic quarantines are in place";
      respond("decline", subject, why + "; " + reason);
      return {false, "not quarantined: " + why};
    }
  }
  ww_quarantine entry{};
  entry.until_ns = until;
  entry.since_ns = now;
  entry.origin = origin;
  entry.action =
      terms.action == policy::QuarantineAction::drop ? WW_QUARANTINE_DROP : WW_QUARANTINE_LIMIT;
  if (entry.action == WW_QUARANTINE_LIMIT) {
    entry.packet_interval_ns = kNsPerSecond / std::max<uint64_t>(terms.pps, 1);
    entry.packet_tolerance_ns = terms.burst * entry.packet_interval_ns;
    entry.packet_tat_ns = now;
  }
  guard_.write_quarantine(key, entry);
  respond("quarantine", subject, describe_terms(terms) + ": " + reason);
  return {true, "quarantined " + subject + ": " + describe_terms(terms)};
}

QuarantineOutcome QuarantineKeeper::release(const ww_source_key& key, const std::string& reason) {
  const std::string subject = anomaly::format_source(key);
  release_.forget(key);
  if (!guard_.delete_quarantine(key)) return {false, subject + " is not quarantined"};
  respond("release", subject, reason);
  return {true, "released " + subject};
}

void QuarantineKeeper::review(const anomaly::RateSnapshot& snapshot, uint64_t now_ns) {
  for (const dataplane::QuarantineEntry& entry : entries()) {
    const anomaly::SourceRate* rate = snapshot.find(entry.key);
    const anomaly::ReleaseDecision decision =
        release_.review(entry.key, entry.value, rate ? rate->pps : 0, now_ns);
    switch (decision.kind) {
      case anomaly::ReleaseDecision::Kind::keep:
        break;
      case anomaly::ReleaseDecision::Kind::extend: {
        // The kernel may count a drop or advance the GCRA state between the
        // read and this write; losing those costs a few counts, never enforcement.
        ww_quarantine extended = entry.value;
        extended.until_ns = decision.until_ns;
        guard_.write_quarantine(entry.key, extended);
        respond("extend", anomaly::format_source(entry.key), decision.reason);
        break;
      }
      case anomaly::ReleaseDecision::Kind::release:
        release(entry.key, decision.reason);
        break;
    }
  }
}

std::vector<dataplane::QuarantineEntry> QuarantineKeeper::entries() const {
  return guard_.read_quarantines();
}

anomaly::SourceKeySet QuarantineKeeper::active_keys(uint64_t now_ns) const {
  anomaly::SourceKeySet keys;
  for (const auto& entry : entries())
    if (entry.value.until_ns > now_ns) keys.insert(entry.key);
  return keys;
}

}  // namespace westworld::agent

#include "westworld/agent/watchman.h"

#include <net/if.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <limits>

#include "westworld/anomaly/source_key.h"

namespace westworld::agent {
namespace {

constexpr size_t kAlertRing = 256;
constexpr size_t kResponseRing = 256;

anomaly::JumpDetector make_churn(const policy::DetectSettings& settings) {
  return {settings.source_churn, "source_churn", "new_sources_per_second"};
}

policy::Response response_of(const policy::DetectSettings& s, const std::string& detector) {
  if (detector == "rate_jump") return s.rate_jump.response;
  if (detector == "share_creep") return s.share_creep.response;
  if (detector == "source_churn") return s.source_churn.response;
  return s.control_plane.response;
}

uint32_t origin_of(const std::string& detector) {
  return detector == "share_creep" ? WW_QUARANTINE_SHARE_CREEP : WW_QUARANTINE_RATE_JUMP;
}

control::AlertView alert_view(const anomaly::Alert& a) {
  return {a.id,
          a.unix_ns,
          a.finding.detector,
          a.subject,
          a.finding.statistic,
          a.finding.value,
          a.finding.threshold,
          a.finding.windows,
          a.window_ms,
          a.finding.detail,
          a.response,
          a.contained};
}

// Bounds on a quarantine an operator asks for. Beyond them a term would wrap the
// kernel's clock arithmetic or a limit would let everything through.
constexpr uint64_t kMaxBanSeconds = 30ULL * 24 * 3600;
constexpr uint64_t kMaxQuarantinePps = 10'000'000;  // 100 ns per packet
constexpr uint64_t kMaxQuarantineBurst = 10'000'000;

control::Error bad_request(std::string message) {
  return {control::ErrorCode::bad_request, std::move(message), {}};
}

control::Result<control::QuarantineChangeReply> outcome_reply(const QuarantineOutcome& outcome) {
  if (!outcome.done) return control::Error{control::ErrorCode::failed, outcome.text, {}};
  return control::QuarantineChangeReply{outcome.text};
}

}  // namespace

Watchman::Watchman(boost::asio::io_context& io, GuardView& guard, PolicyFreeze& freeze,
                   Metrics& metrics, EventCount events_received, const common::Clock& clock,
                   ContainedFloodSink on_contained_flood)
    : clock_(clock),
      guard_(guard),
      freeze_(freeze),
      metrics_(metrics),
      events_received_(std::move(events_received)),
      on_contained_flood_(std::move(on_contained_flood)),
      settings_(guard.policy().detect),
      watch_(settings_),
      churn_(make_churn(settings_)),
      burst_(settings_.control_plane),
      quarantines_(
          guard, [this](const anomaly::ResponseRecord& r) { record_response(r); }, clock),
      alerts_(kAlertRing),
      responses_(kResponseRing),
      timer_(io) {
  quarantines_.configure(guard.policy());
  const auto held = quarantines_.entries();
  if (!held.empty())
    spdlog::info("{} quarantine(s) in place from before this agent started; reviewing them",
                 held.size());
  guard_.set_apply_observer(this);
  next_tick_ = std::chrono::steady_clock::now();
  tick();
}

Watchman::~Watchman() {
  guard_.set_apply_observer(nullptr);
  timer_.cancel();
}

void Watchman::configure(const policy::Policy& policy) {
  const policy::DetectSettings& next = policy.detect;
  if (!anomaly::same_thresholds(settings_.source_churn, next.source_churn))
    churn_ = make_churn(next);
  watch_.reconfigure(next);
  burst_.reconfigure(next.control_plane);
  quarantines_.configure(policy);
  settings_ = next;
}

void Watchman::schedule() {
  // Deadlines, not delays: the windows do not drift by the time a tick takes.
  const auto interval = std::chrono::milliseconds(settings_.interval_ms);
  next_tick_ += interval;
  const auto now = std::chrono::steady_clock::now();
  if (next_tick_ < now) next_tick_ = now + interval;
  timer_.expires_at(next_tick_);
  timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) tick();
  });
}

void Watchman::tick() {
  run_window();
  schedule();
}

void Watchman::run_window() {
  const auto started = std::chrono::steady_clock::now();
  try {
    watch_window(clock_.monotonic_ns());
  } catch (const std::exception& e) {
    spdlog::error("watchman: this window is skipped: {}", e.what());
  }
  last_scan_seconds_ =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  metrics_.update(
      WatchState{.quarantined_sources = quarantines_.active_keys(clock_.monotonic_ns()).size(),
                 .policy_frozen = freeze_.frozen(),
                 .detector_tracked_sources = watch_.tracked(),
                 .scan_seconds = last_scan_seconds_,
                 .events_received = events_received_ ? events_received_() : 0});
}

void Watchman::watch_window(uint64_t now_ns) {
  const CounterSnapshot counters = guard_.read_counters();
  const dataplane::SourceTable table = guard_.read_sources();

  anomaly::SourceKeySet watched = watch_.watched();
  for (const auto& entry : quarantines_.entries()) watched.insert(entry.key);
  const size_t busiest = std::max<size_t>(settings_.track_sources, kMetricsTopSources);
  anomaly::RateSnapshot snapshot =
      rates_.update(table.keys, table.values, now_ns, busiest, watched);

  const uint64_t sources_new = counters.stat(WW_DIR_INGRESS, WW_STAT_SOURCES_NEW);
  if (snapshot.seconds > 0) {
    for (const anomaly::SourceFinding& found : watch_.observe(snapshot)) {
      anomaly::Finding finding = found.finding;
      finding.detail += "; on " + interface_name(found.ifindex);
      raise(finding, anomaly::format_source(found.key), found.key);
    }
    if (settings_.source_churn.enabled && previous_sources_new_ &&
        sources_new >= *previous_sources_new_) {
      const double per_second = (sources_new - *previous_sources_new_) / snapshot.seconds;
      if (auto finding = churn_.observe(per_second)) raise(*finding, "ingress", std::nullopt);
    }
    quarantines_.review(snapshot, now_ns);
  }
  previous_sources_new_ = sources_new;

  metrics_.update(counters);
  metrics_.update(snapshot, [this](uint32_t ifindex) { return interface_name(ifindex); });
  last_ = std::move(snapshot);
}

void Watchman::raise(const anomaly::Finding& finding, const std::string& subject,
                     const std::optional<ww_source_key>& key, const std::string& remedy) {
  anomaly::Alert alert{
      .id = alerts_.total() + 1,
      .unix_ns = clock_.unix_ns(),
      .subject = subject,
      .finding = finding,
      .window_ms = finding.detector == "control_plane" ? 60000u : settings_.interval_ms,
      .response = {}};
  spdlog::warn("{}", anomaly::describe(alert));
  metrics_.count_alert(finding.detector);
  const std::string reason =
      anomaly::summarize(alert) + (remedy.empty() ? std::string() : "; " + remedy);
  Answer answer =
      respond(response_of(settings_, finding.detector), reason, key, origin_of(finding.detector));
  alert.response = std::move(answer.text);
  alert.contained = answer.contained;
  alerts_.push(alert);
  if (alert.contained && anomaly::is_source_flood(finding.detector) && on_contained_flood_) {
    // A listener's failure (its database busy) must not cost the window's other findings.
    try {
      on_contained_flood_(alert);
    } catch (const std::exception& e) {
      spdlog::error("alert {}: the contained flood was not passed on: {}", alert.id, e.what());
    }
  }
}

Watchman::Answer Watchman::respond(policy::Response response, const std::string& reason,
                                   const std::optional<ww_source_key>& key, uint32_t origin) {
  switch (response) {
    case policy::Response::quarantine: {
      if (!key) return {"none (no single source to quarantine)", false};
      try {
        // Not done when the keeper declines (a protected source, max_entries reached).
        QuarantineOutcome outcome =
            quarantines_.quarantine(*key, origin, quarantines_.default_terms(), reason);
        return {std::move(outcome.text), outcome.done};
      } catch (const std::exception& e) {
        spdlog::error("quarantine of {} failed: {}", anomaly::format_source(*key), e.what());
        return {std::string("quarantine failed: ") + e.what(), false};
      }
    }
    case policy::Response::freeze:
      if (freeze_.frozen()) return {"policy changes were already frozen", false};
      freeze_.freeze(reason);
      record_response({clock_.unix_ns(), "freeze", "control-plane", reason});
      return {"policy changes frozen until an operator runs `wwctl unfreeze`", false};
    case policy::Response::none:
      break;
  }
  return {"none (alert only)", false};
}

void Watchman::record_response(const anomaly::ResponseRecord& record) {
  spdlog::warn("response: {} {}: {}", record.action, record.subject, record.reason);
  metrics_.count_response(record.action);
  responses_.push(record);
}

std::string Watchman::interface_name(uint32_t ifindex) const {
  char name[IF_NAMESIZE] = {};
  if (ifindex && if_indextoname(ifindex, name)) return name;
  return ifindex ? "ifindex " + std::to_string(ifindex) : "unknown";
}

std::optional<std::string> Watchman::veto_apply(const std::string&) {
  auto refusal = freeze_.refusal();
  if (refusal) metrics_.count_policy_change("refused");
  return refusal;
}

void Watchman::policy_applied(const PolicyChange& change) {
  metrics_.count_policy_change("applied");
  // Judged by the settings in force before the change, so a policy cannot
  // switch off the detector that judges it.
  if (settings_.control_plane.enabled) {
    if (auto finding = burst_.observe(clock_.monotonic_ns()))
      raise(*finding, "control-plane", std::nullopt);
    const anomaly::MassChangeDetector mass(settings_.control_plane);
    if (auto finding = mass.observe(anomaly::compare_verdicts(change.before, change.after))) {
      finding->detail += " (apply of " + change.source + ")";
      if (!change.meant_by.empty()) {
        // Meant (by the caller, or by the members): reported, never frozen over.
        spdlog::warn("mass change meant ({}): {}", change.meant_by, finding->detail);
        record_response({clock_.unix_ns(), "confirmed", "control-plane", finding->detail});
      } else {
        raise(*finding, "control-plane", std::nullopt,
              "a mass change that is meant passes --confirm-mass-change (an open trust gate) or "
              "carries an approved proposal (a closed one)");
      }
    }
  }
  configure(change.policy);
}

control::AlertsReply Watchman::alerts(size_t limit) const {
  control::AlertsReply reply;
  for (const auto& alert : alerts_.recent(limit)) reply.alerts.push_back(alert_view(alert));
  for (const auto& r : responses_.recent(limit))
    reply.responses.push_back({r.unix_ns, r.action, r.subject, r.reason});
  reply.alerts_total = alerts_.total();
  reply.frozen = freeze_.frozen();
  reply.freeze_reason = freeze_.reason().value_or("");
  return reply;
}

control::TopReply Watchman::top(size_t limit) const {
  const uint64_t now = clock_.monotonic_ns();
  const anomaly::SourceKeySet held = quarantines_.active_keys(now);
  control::TopReply reply;
  for (const auto& [ifindex, iface] : last_.interfaces)
    reply.interfaces.push_back(
        {interface_name(ifindex), ifindex, iface.pps, iface.bps, iface.active_sources});
  std::vector<const anomaly::SourceRate*> shown;
  for (size_t i = 0; i < last_.busiest.size() && i < limit; ++i) shown.push_back(&last_.busiest[i]);
  // Quarantined sources are shown even when they are not among the busiest.
  for (const auto& [key, rate] : last_.watched)
    if (held.count(key) && std::none_of(shown.begin(), shown.end(), [&](auto* s) {
          return anomaly::SourceKeyEqual{}(s->key, key);
        }))
      shown.push_back(&rate);
  for (const anomaly::SourceRate* s : shown) {
    const std::string state = held.count(s->key)       ? "quarantined"
                              : watch_.flagged(s->key) ? "flagged"
                                                       : "ok";
    reply.sources.push_back({anomaly::format_source(s->key), interface_name(s->ifindex), s->pps,
                             s->bps, last_.share(*s), s->dropped_pps, s->dropped_quota,
                             s->dropped_share, state});
  }
  reply.window_s = last_.seconds;
  reply.tracked_sources = last_.tracked_sources;
  reply.quarantined = held.size();
  reply.frozen = freeze_.frozen();
  return reply;
}

std::optional<ww_source_key> Watchman::source_identity(const std::string& address,
                                                       std::string& why_not) const {
  const policy::Policy& policy = guard_.policy();
  return anomaly::parse_source(address, policy.identity_ipv4_prefix, policy.identity_ipv6_prefix,
                               why_not);
}

control::QuarantineListReply Watchman::quarantines() const {
  return {dataplane::describe_quarantines(quarantines_.entries(), clock_.monotonic_ns())};
}

control::Result<control::QuarantineChangeReply> Watchman::quarantine(
    const control::QuarantineAddRequest& request) {
  std::string why_not;
  const auto key = source_identity(request.source, why_not);
  if (!key) return bad_request("bad source: " + why_not);

  QuarantineTerms terms = quarantines_.default_terms();
  const uint64_t ban = request.ban_s.value_or(terms.ban_seconds);
  const uint64_t pps = request.pps.value_or(terms.pps);
  const uint64_t burst = request.burst.value_or(std::max(terms.burst, pps));
  if (ban == 0 || ban > kMaxBanSeconds)
    return bad_request("ban must be from 1 to " + std::to_string(kMaxBanSeconds) + " seconds");
  if (pps == 0 || pps > kMaxQuarantinePps)
    return bad_request("pps must be from 1 to " + std::to_string(kMaxQuarantinePps));
  if (burst == 0 || burst > kMaxQuarantineBurst)
    return bad_request("burst must be from 1 to " + std::to_string(kMaxQuarantineBurst));
  terms.ban_seconds = static_cast<uint32_t>(ban);
  terms.pps = pps;
  terms.burst = burst;
  if (request.action) {
    if (*request.action != "drop" && *request.action != "limit")
      return bad_request("action must be drop or limit");
    terms.action = *request.action == "drop" ? policy::QuarantineAction::drop
                                             : policy::QuarantineAction::limit;
  }
  return outcome_reply(quarantines_.quarantine(*key, WW_QUARANTINE_MANUAL, terms,
                                               "by an operator (wwctl quarantine add)"));
}

control::Result<control::QuarantineChangeReply> Watchman::release(
    const control::QuarantineDelRequest& request) {
  std::string why_not;
  const auto key = source_identity(request.source, why_not);
  if (!key) return bad_request("bad source: " + why_not);
  if (auto held = guard_.find_quarantine(*key); held && held->origin == WW_QUARANTINE_CHARTER)
    return control::Error{control::ErrorCode::refused,
                          "the charter holds " + request.source +
                              " (its third violation within 30 days) until a governance "
                              "decision restores it; an operator alone cannot",
                          {}};
  return outcome_reply(quarantines_.release(*key, "by an operator (wwctl quarantine del)"));
}

QuarantineOutcome Watchman::charter_quarantine(const std::string& source,
                                               const std::string& reason) {
  std::string why_not;
  const auto key = source_identity(source, why_not);
  if (!key) return {false, "bad source " + source + ": " + why_not};
  QuarantineTerms terms = quarantines_.default_terms();
  terms.action = policy::QuarantineAction::drop;
  terms.ban_seconds = std::numeric_limits<uint32_t>::max();  // 136 years: until a decision
  return quarantines_.quarantine(*key, WW_QUARANTINE_CHARTER, terms, reason);
}

QuarantineOutcome Watchman::charter_release(const std::string& source, const std::string& reason) {
  std::string why_not;
  const auto key = source_identity(source, why_not);
  if (!key) return {false, "bad source " + source + ": " + why_not};
  return quarantines_.release(*key, reason);
}

control::UnfreezeReply Watchman::unfreeze() {
  const bool was_frozen = freeze_.unfreeze();
  if (was_frozen)
    record_response(
        {clock_.unix_ns(), "unfreeze", "control-plane", "by an operator (wwctl unfreeze)"});
  return {was_frozen};
}

control::WatchmanSummary Watchman::summary() const {
  return {freeze_.frozen(), freeze_.reason().value_or(""),
          alerts_.total(),  quarantines_.active_keys(clock_.monotonic_ns()).size(),
          watch_.tracked(), settings_.interval_ms};
}

}  // namespace westworld::agent

#include "westworld/agent/watchman.h"

#include <net/if.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "westworld/agent/counter_snapshot.h"
#include "westworld/anomaly/source_key.h"
#include "westworld/dataplane/quarantine_map.h"
#include "westworld/dataplane/source_reader.h"

namespace westworld::agent {
namespace {

using nlohmann::json;

constexpr size_t kAlertRing = 256;
constexpr size_t kResponseRing = 256;

uint64_t unix_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

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

json alert_json(const anomaly::Alert& a) {
  return {{"id", a.id},
          {"unix_ns", a.unix_ns},
          {"detector", a.finding.detector},
          {"subject", a.subject},
          {"statistic", a.finding.statistic},
          {"value", a.finding.value},
          {"threshold", a.finding.threshold},
          {"windows", a.finding.windows},
          {"window_ms", a.window_ms},
          {"detail", a.finding.detail},
          {"response", a.response}};
}

json response_json(const anomaly::ResponseRecord& r) {
  return {
      {"unix_ns", r.unix_ns}, {"action", r.action}, {"subject", r.subject}, {"reason", r.reason}};
}

}  // namespace

Watchman::Watchman(boost::asio::io_context& io, Agent& agent, PolicyFreeze& freeze,
                   Metrics& metrics, EventCount events_received)
    : agent_(agent),
      freeze_(freeze),
      metrics_(metrics),
      events_received_(std::move(events_received)),
      settings_(agent.policy().detect),
      watch_(settings_),
      churn_(make_churn(settings_)),
      burst_(settings_.control_plane),
      quarantines_(agent.guard(), [this](const anomaly::ResponseRecord& r) { record_response(r); }),
      alerts_(kAlertRing),
      responses_(kResponseRing),
      timer_(io) {
  quarantines_.configure(agent.policy());
  const auto held = quarantines_.entries();
  if (!held.empty())
    spdlog::info("{} quarantine(s) in place from before this agent started; reviewing them",
                 held.size());
  agent_.set_apply_observer(this);
  next_tick_ = std::chrono::steady_clock::now();
  tick();
}

Watchman::~Watchman() {
  agent_.set_apply_observer(nullptr);
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
  const auto started = std::chrono::steady_clock::now();
  try {
    watch_window(dataplane::monotonic_now_ns());
  } catch (const std::exception& e) {
    spdlog::error("watchman: this window is skipped: {}", e.what());
  }
  last_scan_seconds_ =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  metrics_.update(WatchState{
      .quarantined_sources = quarantines_.active_keys(dataplane::monotonic_now_ns()).size(),
      .policy_frozen = freeze_.frozen(),
      .detector_tracked_sources = watch_.tracked(),
      .scan_seconds = last_scan_seconds_,
      .events_received = events_received_ ? events_received_() : 0});
  schedule();
}

void Watchman::watch_window(uint64_t now_ns) {
  const dataplane::Guard& guard = agent_.guard();
  const CounterSnapshot counters = read_counter_snapshot(guard, agent_.policy_record());
  const dataplane::SourceTable table = dataplane::read_sources(guard.maps());

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
                     const std::optional<ww_source_key>& key) {
  anomaly::Alert alert{
      .id = alerts_.total() + 1,
      .unix_ns = unix_now_ns(),
      .subject = subject,
      .finding = finding,
      .window_ms = finding.detector == "control_plane" ? 60000u : settings_.interval_ms,
      .response = {}};
  spdlog::warn("{}", anomaly::describe(alert));
  metrics_.count_alert(finding.detector);
  alert.response = respond(response_of(settings_, finding.detector), anomaly::summarize(alert), key,
                           origin_of(finding.detector));
  alerts_.push(std::move(alert));
}

std::string Watchman::respond(policy::Response response, const std::string& reason,
                              const std::optional<ww_source_key>& key, uint32_t origin) {
  switch (response) {
    case policy::Response::quarantine: {
      if (!key) return "none (no single source to quarantine)";
      try {
        return quarantines_.quarantine(*key, origin, quarantines_.default_terms(), reason).text;
      } catch (const std::exception& e) {
        spdlog::error("quarantine of {} failed: {}", anomaly::format_source(*key), e.what());
        return std::string("quarantine failed: ") + e.what();
      }
    }
    case policy::Response::freeze:
      if (freeze_.frozen()) return "policy changes were already frozen";
      freeze_.freeze(reason);
      record_response({unix_now_ns(), "freeze", "control-plane", reason});
      return "policy changes frozen until an operator runs `wwctl unfreeze`";
    case policy::Response::none:
      break;
  }
  return "none (alert only)";
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
    if (auto finding = burst_.observe(dataplane::monotonic_now_ns()))
      raise(*finding, "control-plane", std::nullopt);
    const anomaly::MassChangeDetector mass(settings_.control_plane);
    if (auto finding = mass.observe(anomaly::compare_verdicts(change.before, change.after))) {
      finding->detail += " (apply of " + change.source + ")";
      raise(*finding, "control-plane", std::nullopt);
    }
  }
  configure(change.policy);
}

json Watchman::alerts(size_t limit) const {
  json list = json::array();
  for (const auto& alert : alerts_.recent(limit)) list.push_back(alert_json(alert));
  json responses = json::array();
  for (const auto& record : responses_.recent(limit)) responses.push_back(response_json(record));
  return {{"ok", true},
          {"alerts", list},
          {"alerts_total", alerts_.total()},
          {"responses", responses},
          {"frozen", freeze_.frozen()},
          {"freeze_reason", freeze_.reason().value_or("")}};
}

json Watchman::top(size_t limit) const {
  const uint64_t now = dataplane::monotonic_now_ns();
  const anomaly::SourceKeySet held = quarantines_.active_keys(now);
  json interfaces = json::array();
  for (const auto& [ifindex, iface] : last_.interfaces) {
    interfaces.push_back({{"interface", interface_name(ifindex)},
                          {"ifindex", ifindex},
                          {"pps", iface.pps},
                          {"bps", iface.bps},
                          {"active_sources", iface.active_sources}});
  }
  std::vector<const anomaly::SourceRate*> shown;
  for (size_t i = 0; i < last_.busiest.size() && i < limit; ++i) shown.push_back(&last_.busiest[i]);
  // Quarantined sources are shown even when they are not among the busiest.
  for (const auto& [key, rate] : last_.watched)
    if (held.count(key) && std::none_of(shown.begin(), shown.end(), [&](auto* s) {
          return anomaly::SourceKeyEqual{}(s->key, key);
        }))
      shown.push_back(&rate);
  json sources = json::array();
  for (const anomaly::SourceRate* s : shown) {
    const std::string state = held.count(s->key)       ? "quarantined"
                              : watch_.flagged(s->key) ? "flagged"
                                                       : "ok";
    sources.push_back({{"source", anomaly::format_source(s->key)},
                       {"interface", interface_name(s->ifindex)},
                       {"pps", s->pps},
                       {"bps", s->bps},
                       {"share", last_.share(*s)},
                       {"dropped_pps", s->dropped_pps},
                       {"dropped_quota", s->dropped_quota},
                       {"dropped_share", s->dropped_share},
                       {"state", state}});
  }
  return {{"ok", true},
          {"window_s", last_.seconds},
          {"tracked_sources", last_.tracked_sources},
          {"quarantined", held.size()},
          {"frozen", freeze_.frozen()},
          {"interfaces", interfaces},
          {"sources", sources}};
}

json Watchman::quarantine(const json& request) {
  const std::string op = request.value("op", "list");
  const uint64_t now = dataplane::monotonic_now_ns();
  if (op == "list")
    return {{"ok", true},
            {"quarantines", dataplane::describe_quarantines(quarantines_.entries(), now)}};

  const policy::Policy& policy = agent_.policy();
  std::string why_not;
  auto key = anomaly::parse_source(request.value("source", ""), policy.identity_ipv4_prefix,
                                   policy.identity_ipv6_prefix, why_not);
  if (!key) return {{"ok", false}, {"error", "bad source: " + why_not}};
  const std::string by = "by an operator (wwctl quarantine " + op + ")";
  if (op == "del") {
    QuarantineOutcome outcome = quarantines_.release(*key, by);
    return {{"ok", outcome.done}, {outcome.done ? "result" : "error", outcome.text}};
  }
  if (op != "add") return {{"ok", false}, {"error", "unknown quarantine op '" + op + "'"}};

  QuarantineTerms terms = quarantines_.default_terms();
  terms.ban_seconds = request.value("ban_s", terms.ban_seconds);
  terms.pps = request.value("pps", terms.pps);
  terms.burst = request.value("burst", std::max(terms.burst, terms.pps));
  const std::string action = request.value("action", policy::to_string(terms.action));
  if (action != "drop" && action != "limit")
    return {{"ok", false}, {"error", "action must be drop or limit, not '" + action + "'"}};
  terms.action =
      action == "drop" ? policy::QuarantineAction::drop : policy::QuarantineAction::limit;
  if (terms.ban_seconds == 0 || terms.pps == 0)
    return {{"ok", false}, {"error", "ban and pps must be positive"}};
  QuarantineOutcome outcome = quarantines_.quarantine(*key, WW_QUARANTINE_MANUAL, terms, by);
  return {{"ok", outcome.done}, {outcome.done ? "result" : "error", outcome.text}};
}

json Watchman::unfreeze() {
  const bool was_frozen = freeze_.unfreeze();
  if (was_frozen)
    record_response(
        {unix_now_ns(), "unfreeze", "control-plane", "by an operator (wwctl unfreeze)"});
  return {{"ok", true}, {"was_frozen", was_frozen}};
}

json Watchman::summary() const {
  return {{"frozen", freeze_.frozen()},
          {"freeze_reason", freeze_.reason().value_or("")},
          {"alerts_total", alerts_.total()},
          {"quarantined", quarantines_.active_keys(dataplane::monotonic_now_ns()).size()},
          {"detector_tracked_sources", watch_.tracked()},
          {"window_ms", settings_.interval_ms}};
}

}  // namespace westworld::agent

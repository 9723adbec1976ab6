#include "westworld/agent/metrics.h"

#include <prometheus/text_serializer.h>

#include <sstream>

#include "westworld/abi_names.h"
#include "westworld/anomaly/source_key.h"
#include "westworld/dataplane/status.h"

namespace westworld::agent {
namespace {

using prometheus::BuildCounter;
using prometheus::BuildGauge;
using prometheus::Counter;
using prometheus::Family;
using prometheus::Gauge;
using prometheus::Labels;
using prometheus::Registry;

Family<Counter>& counter(Registry& registry, const std::string& name, const std::string& help) {
  return BuildCounter().Name(name).Help(help).Register(registry);
}

Family<Gauge>& gauge(Registry& registry, const std::string& name, const std::string& help) {
  return BuildGauge().Name(name).Help(help).Register(registry);
}

}  // namespace

Metrics::Metrics()
    : registry_(std::make_shared<Registry>()),
      packets_(counter(*registry_, "westworld_packets_total",
                       "Packets by direction and final verdict (pass, drop)")),
      bytes_(counter(*registry_, "westworld_bytes_total",
                     "Bytes by direction and final verdict (pass, drop)")),
      non_ip_(counter(*registry_, "westworld_non_ip_packets_total",
                      "Non-IP frames (ARP and others), always passed")),
      decisions_(counter(*registry_, "westworld_charter_decisions_total",
                         "Charter decisions by direction and action (rule or default)")),
      defaults_(counter(*registry_, "westworld_charter_default_packets_total",
                        "Packets no flow rule matched, by direction")),
      dropped_packets_(counter(*registry_, "westworld_dropped_packets_total",
                               "Dropped packets by direction and drop reason")),
      dropped_bytes_(counter(*registry_, "westworld_dropped_bytes_total",
                             "Dropped bytes by direction and drop reason")),
      rule_packets_(counter(*registry_, "westworld_rule_packets_total",
                            "Packets matched by each flow rule of the running policy")),
      rule_bytes_(counter(*registry_, "westworld_rule_bytes_total",
                          "Bytes matched by each flow rule of the running policy")),
      quota_exceeded_(counter(*registry_, "westworld_quota_exceeded_packets_total",
                              "Packets over a source's quota (dropped, or counted only under "
                              "on_exceed: count)")),
      share_exceeded_(counter(*registry_, "westworld_share_exceeded_packets_total",
                              "Packets over the share cap (dropped, or counted only under "
                              "on_exceed: count)")),
      events_(counter(*registry_, "westworld_ring_buffer_events_total",
                      "Audit events by outcome: sent to the ring buffer, skipped by the "
                      "in-kernel sampler, or lost to a full ring buffer")),
      sources_created_(counter(*registry_, "westworld_sources_created_total",
                               "Sources inserted into the per-source LRU table")),
      sources_evicted_(counter(*registry_, "westworld_sources_evicted_total",
                               "Sources the per-source LRU table evicted to make room")),
      events_received_(counter(*registry_, "westworld_ring_buffer_events_received_total",
                               "Audit events this agent read from the ring buffer")),
      build_info_(gauge(*registry_, "westworld_agent_build_info",
                        "The agent's version and map ABI, as labels; always 1")
                      .Add({{"version", WW_VERSION}, {"abi", std::to_string(WW_ABI_VERSION)}})),
      sources_tracked_(
          gauge(*registry_, "westworld_sources_tracked", "Sources in the per-source LRU table now")
              .Add({})),
      sources_capacity_(gauge(*registry_, "westworld_sources_capacity",
                              "Size of the per-source LRU table (max_sources)")
                            .Add({})),
      policy_generation_(gauge(*registry_, "westworld_policy_generation",
                               "Generation of the running policy (applies so far)")
                             .Add({})),
      policy_applied_(gauge(*registry_, "westworld_policy_last_apply_timestamp_seconds",
                            "When the running policy was applied, in Unix seconds")
                          .Add({})),
      policy_rules_(
          gauge(*registry_, "westworld_policy_rules", "Flow rules of the running policy").Add({})),
      iface_pps_(gauge(*registry_, "westworld_interface_ingress_packets_per_second",
                       "Ingress packets per second that reached the quota stage, per interface, "
                       "over the last window")),
      iface_bps_(gauge(*registry_, "westworld_interface_ingress_bytes_per_second",
                       "Ingress bytes per second that reached the quota stage, per interface, "
                       "over the last window")),
      iface_sources_(gauge(*registry_, "westworld_interface_active_sources",
                           "Sources that sent on the interface in the last window")),
      source_pps_(gauge(*registry_, "westworld_top_source_packets_per_second",
                        "Packets per second offered by the busiest sources (top 20)")),
      source_bps_(gauge(*registry_, "westworld_top_source_bytes_per_second",
                        "Bytes per second offered by the busiest sources (top 20)")),
      source_share_(gauge(*registry_, "westworld_top_source_share_ratio",
                          "The busiest sources' share of their interface's packets (top 20)")),
      alerts_(counter(*registry_, "westworld_detector_alerts_total", "Alerts by detector")),
      responses_(counter(*registry_, "westworld_responses_total",
                         "Responses by action: quarantine, extend, release, decline, freeze, "
                         "unfreeze")),
      policy_changes_(counter(*registry_, "westworld_policy_changes_total",
                              "Policy applies by outcome: applied, or refused while frozen")),
      quarantined_(
          gauge(*registry_, "westworld_quarantined_sources", "Sources held in quarantine now")
              .Add({})),
      frozen_(gauge(*registry_, "westworld_policy_frozen",
                    "1 while policy changes are frozen after an alert")
                  .Add({})),
      detector_tracked_(gauge(*registry_, "westworld_detector_tracked_sources",
                              "Sources the per-source detectors follow")
                            .Add({})),
      scan_seconds_(gauge(*registry_, "westworld_watch_scan_duration_seconds",
                          "Time the last window took to read and judge the counters")
                        .Add({})),
      mesh_member_(gauge(*registry_, "westworld_mesh_member",
                         "1 when this router was started in a mesh (--mesh)")
                       .Add({})),
      mesh_connected_(gauge(*registry_, "westworld_mesh_connected",
                            "1 while the router reaches etcd; 0 during an outage")
                          .Add({})),
      mesh_insecure_(gauge(*registry_, "westworld_mesh_insecure_open",
                           "1 when the router applies bundles without a trust gate")
                         .Add({})),
      mesh_routers_(gauge(*registry_, "westworld_mesh_registered_routers",
                          "Routers registered in the mesh, as last counted")
                        .Add({})),
      mesh_size_(gauge(*registry_, "westworld_mesh_size",
                       "The mesh size the mass-change rule uses (registered, floored by "
                       "--mesh-size)")
                     .Add({})),
      mesh_bundles_(counter(*registry_, "westworld_mesh_bundles_total",
                            "Policy bundles from the mesh by outcome: applied, refused")),
      mesh_outages_(
          counter(*registry_, "westworld_mesh_outages_total", "Times the router lost etcd")) {
  build_info_.Set(1);
  // Every series that can appear exists from the start, at zero, so rate()
  // and alert rules see the first increment.
  for (const char* detector : {"rate_jump", "share_creep", "source_churn", "control_plane"})
    alerts_.Add({{"detector", detector}});
  for (const char* action : {"quarantine", "extend", "release", "decline", "freeze", "unfreeze"})
    responses_.Add({{"action", action}});
  for (const char* outcome : {"applied", "refused"}) policy_changes_.Add({{"outcome", outcome}});
}

std::string Metrics::serialize() const {
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, registry_->Collect());
  return out.str();
}

void Metrics::update(const CounterSnapshot& c) {
  for (uint32_t dir = 0; dir < WW_DIR_MAX; ++dir) {
    const std::string direction = abi::direction_name(dir);
    for (auto [stat, verdict] : {std::pair{WW_STAT_PASS, "pass"}, {WW_STAT_DROP, "drop"}}) {
      packets_.set_total({{"direction", direction}, {"verdict", verdict}},
                         c.counters.direction[dir].stats[stat].packets);
      bytes_.set_total({{"direction", direction}, {"verdict", verdict}},
                       c.counters.direction[dir].stats[stat].bytes);
    }
    non_ip_.set_total({{"direction", direction}}, c.stat(dir, WW_STAT_NON_IP));
    for (auto [stat, action] : {std::pair{WW_STAT_ACTION_ALLOW, "allow"},
                                {WW_STAT_ACTION_DENY, "deny"},
                                {WW_STAT_ACTION_AUDIT, "audit"}})
      decisions_.set_total({{"direction", direction}, {"action", action}}, c.stat(dir, stat));
    defaults_.set_total({{"direction", direction}}, c.stat(dir, WW_STAT_DEFAULT));
    for (uint32_t reason = 0; reason < WW_DROP_MAX; ++reason) {
      const Labels labels{{"direction", direction}, {"reason", abi::drop_reason_name(reason)}};
      dropped_packets_.set_total(labels, c.counters.direction[dir].drops[reason].packets);
      dropped_bytes_.set_total(labels, c.counters.direction[dir].drops[reason].bytes);
    }
    quota_exceeded_.set_total({{"direction", direction}}, c.stat(dir, WW_STAT_QUOTA_EXCEEDED));
    share_exceeded_.set_total({{"direction", direction}}, c.stat(dir, WW_STAT_SHARE_EXCEEDED));
    for (auto [stat, outcome] : {std::pair{WW_STAT_EVENTS_SENT, "sent"},
                                 {WW_STAT_EVENTS_SAMPLED, "sampled"},
                                 {WW_STAT_EVENTS_LOST, "lost"}})
      events_.set_total({{"direction", direction}, {"outcome", outcome}}, c.stat(dir, stat));
  }

  // Rule counters start at zero with each apply, which set_total exports as
  // a counter reset.
  for (const RuleCounter& rule : c.rules) {
    const Labels labels{{"rule", rule.name}, {"action", rule.action}};
    rule_packets_.set_total(labels, rule.traffic.packets);
    rule_bytes_.set_total(labels, rule.traffic.bytes);
  }
  rule_packets_.sweep();
  rule_bytes_.sweep();

  sources_created_.set_total({}, c.sources_created);
  sources_capacity_.Set(c.sources_capacity);
  policy_generation_.Set(c.policy_generation);
  policy_applied_.Set(c.policy_applied_at_unix_ns / 1e9);
  policy_rules_.Set(c.rules.size());
}

void Metrics::update(const anomaly::RateSnapshot& rates, const InterfaceName& name_of) {
  sources_tracked_.Set(rates.tracked_sources);
  // The LRU evicts silently; what was created and is gone was evicted (the
  // agent never deletes sources).
  const double created = sources_created_.at({}).Value();
  if (created >= rates.tracked_sources)
    sources_evicted_.set_total({}, created - rates.tracked_sources);
  if (rates.seconds <= 0) return;

  for (const auto& [ifindex, iface] : rates.interfaces) {
    const Labels labels{{"interface", name_of(ifindex)}};
    iface_pps_.at(labels).Set(iface.pps);
    iface_bps_.at(labels).Set(iface.bps);
    iface_sources_.at(labels).Set(iface.active_sources);
  }
  const size_t top = std::min(kMetricsTopSources, rates.busiest.size());
  for (size_t i = 0; i < top; ++i) {
    const anomaly::SourceRate& source = rates.busiest[i];
    const Labels labels{{"source", anomaly::format_source(source.key)},
                        {"interface", name_of(source.ifindex)}};
    source_pps_.at(labels).Set(source.pps);
    source_bps_.at(labels).Set(source.bps);
    source_share_.at(labels).Set(rates.share(source));
  }
  for (auto* series :
       {&iface_pps_, &iface_bps_, &iface_sources_, &source_pps_, &source_bps_, &source_share_})
    series->sweep();
}

void Metrics::update(const WatchState& state) {
  quarantined_.Set(state.quarantined_sources);
  frozen_.Set(state.policy_frozen ? 1 : 0);
  detector_tracked_.Set(state.detector_tracked_sources);
  scan_seconds_.Set(state.scan_seconds);
  events_received_.set_total({}, state.events_received);
}

void Metrics::update(const control::MeshSummary& mesh) {
  mesh_member_.Set(1);
  mesh_connected_.Set(mesh.connected ? 1 : 0);
  mesh_insecure_.Set(mesh.insecure_open_mesh ? 1 : 0);
  mesh_routers_.Set(static_cast<double>(mesh.registered_routers));
  mesh_size_.Set(static_cast<double>(mesh.mesh_size));
  mesh_bundles_.set_total({{"outcome", "applied"}}, static_cast<double>(mesh.bundles_applied));
  mesh_bundles_.set_total({{"outcome", "refused"}}, static_cast<double>(mesh.refusals));
  mesh_outages_.set_total({}, static_cast<double>(mesh.outages));
}

void Metrics::count_alert(const std::string& detector) {
  alerts_.Add({{"detector", detector}}).Increment();
}

void Metrics::count_response(const std::string& action) {
  responses_.Add({{"action", action}}).Increment();
}

void Metrics::count_policy_change(const std::string& outcome) {
  policy_changes_.Add({{"outcome", outcome}}).Increment();
}

}  // namespace westworld::agent

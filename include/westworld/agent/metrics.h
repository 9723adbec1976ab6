// The agent's Prometheus metrics (prometheus-cpp): the guard's counters as
// counters, the watchman's view (rates, shares, alerts, quarantines) as
// gauges and counters. Names carry the westworld_ prefix, base units and
// _total on counters. Per-source series exist only for the busiest few, so a
// flood of sources cannot blow up the series count.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <functional>
#include <memory>
#include <string>

#include "westworld/agent/counter_snapshot.h"
#include "westworld/agent/series_set.h"
#include "westworld/anomaly/source_rates.h"
#include "westworld/control/messages.h"

namespace westworld::agent {

// Per-source series exported: the busiest this many.
inline constexpr size_t kMetricsTopSources = 20;

struct WatchState {
  size_t quarantined_sources = 0;
  bool policy_frozen = false;
  size_t detector_tracked_sources = 0;
  double scan_seconds = 0;
  uint64_t events_received = 0;
};

class Metrics {
 public:
  using InterfaceName = std::function<std::string(uint32_t ifindex)>;

  Metrics();

  // The Prometheus text exposition format of everything.
  std::string serialize() const;
  // For the agent's other metric families (charter_reporter.h): served with these.
  prometheus::Registry& registry() { return *registry_; }

  void update(const CounterSnapshot& counters);
  void update(const anomaly::RateSnapshot& rates, const InterfaceName& name_of);
  void update(const WatchState& state);
  void update(const control::MeshSummary& mesh);

  void count_alert(const std::string& detector);
  void count_response(const std::string& action);
  void count_policy_change(const std::string& outcome);

 private:
  std::shared_ptr<prometheus::Registry> registry_;

  SeriesSet<prometheus::Counter> packets_, bytes_, non_ip_, decisions_, defaults_;
  SeriesSet<prometheus::Counter> dropped_packets_, dropped_bytes_;
  SeriesSet<prometheus::Counter> rule_packets_, rule_bytes_;
  SeriesSet<prometheus::Counter> quota_exceeded_, share_exceeded_, events_;
  SeriesSet<prometheus::Counter> sources_created_, sources_evicted_, events_received_;
  prometheus::Gauge& build_info_;
  prometheus::Gauge& sources_tracked_;
  prometheus::Gauge& sources_capacity_;
  prometheus::Gauge& policy_generation_;
  prometheus::Gauge& policy_applied_;
  prometheus::Gauge& policy_rules_;

  SeriesSet<prometheus::Gauge> iface_pps_, iface_bps_, iface_sources_;
  SeriesSet<prometheus::Gauge> source_pps_, source_bps_, source_share_;

  prometheus::Family<prometheus::Counter>& alerts_;
  prometheus::Family<prometheus::Counter>& responses_;
  prometheus::Family<prometheus::Counter>& policy_changes_;
  prometheus::Gauge& quarantined_;
  prometheus::Gauge& frozen_;
  prometheus::Gauge& detector_tracked_;
  prometheus::Gauge& scan_seconds_;
  prometheus::Gauge& mesh_member_;
  prometheus::Gauge& mesh_connected_;
  prometheus::Gauge& mesh_insecure_;
  prometheus::Gauge& mesh_routers_;
  prometheus::Gauge& mesh_size_;
  SeriesSet<prometheus::Counter> mesh_bundles_, mesh_outages_;
};

}  // namespace westworld::agent

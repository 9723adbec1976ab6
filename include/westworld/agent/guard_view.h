// What the watchman needs of the agent and its guard, and nothing more: the
// running policy, one reading of the counters and of the source table per
// window, the quarantine map, the router's own addresses, and the hook through
// which it hears of applies. The agent implements it over the pinned maps; a
// test implements it in memory, so the detectors' responses can be driven
// without a kernel, namespaces or sleeps.
#pragma once

#include <optional>
#include <vector>

#include "westworld/abi.h"
#include "westworld/agent/apply_observer.h"
#include "westworld/agent/counter_snapshot.h"
#include "westworld/dataplane/quarantine_map.h"
#include "westworld/dataplane/source_reader.h"
#include "westworld/policy/model.h"

namespace westworld::agent {

class GuardView {
 public:
  virtual ~GuardView() = default;

  // The running policy: its detect settings, protected classes and identity prefixes.
  virtual const policy::Policy& policy() const = 0;
  // The guard's counters now, the running rules named.
  virtual CounterSnapshot read_counters() const = 0;
  // Every source the guard tracks, with its cumulative counters.
  virtual dataplane::SourceTable read_sources() const = 0;

  // ww_quarantine: it outlives the agent, so it is read, never mirrored.
  virtual std::vector<dataplane::QuarantineEntry> read_quarantines() const = 0;
  virtual std::optional<ww_quarantine> find_quarantine(const ww_source_key& key) const = 0;
  // Adds or replaces an entry; throws when it cannot (a full map among the reasons).
  virtual void write_quarantine(const ww_source_key& key, const ww_quarantine& value) = 0;
  // False when there was no such entry.
  virtual bool delete_quarantine(const ww_source_key& key) = 0;

  // The router's addresses as host prefixes, read when asked (they change: DHCP,
  // new links): sources that are never quarantined.
  virtual std::vector<policy::Cidr> router_addresses() const = 0;

  // Who may refuse applies and hears of each applied policy; nullptr for nobody.
  virtual void set_apply_observer(ApplyObserver* observer) = 0;
};

}  // namespace westworld::agent

// The agent as the watchman's GuardView: each call reads or writes the pinned maps
// of the guard it owns, so the watchman never holds a copy that could go stale.
#include "westworld/agent/agent.h"
#include "westworld/agent/own_addresses.h"

namespace westworld::agent {

CounterSnapshot Agent::read_counters() const { return read_counter_snapshot(guard_, record_); }

dataplane::SourceTable Agent::read_sources() const {
  return dataplane::read_sources(guard_.maps());
}

std::vector<dataplane::QuarantineEntry> Agent::read_quarantines() const {
  return dataplane::read_quarantines(guard_.maps());
}

std::optional<ww_quarantine> Agent::find_quarantine(const ww_source_key& key) const {
  return dataplane::find_quarantine(guard_.maps(), key);
}

void Agent::write_quarantine(const ww_source_key& key, const ww_quarantine& value) {
  dataplane::write_quarantine(guard_.maps(), key, value);
}

bool Agent::delete_quarantine(const ww_source_key& key) {
  return dataplane::delete_quarantine(guard_.maps(), key);
}

std::vector<policy::Cidr> Agent::router_addresses() const { return own_addresses(); }

}  // namespace westworld::agent

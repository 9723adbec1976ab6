// A GuardView held in memory, for driving the watchman in-process: a source
// table the test feeds with traffic, a quarantine map, the router's addresses
// and the apply observer, with no kernel behind them. The agent implements the
// same interface over the pinned maps, which the root-only watchman tests cover.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "westworld/agent/guard_view.h"

namespace westworld::agent_test {

class MemoryGuard final : public agent::GuardView {
 public:
  // `policy_yaml` must load without errors (else the constructor throws, naming them).
  explicit MemoryGuard(const std::string& policy_yaml);

  // `packets` more from `address` (an IPv4 or IPv6 host) on `ifindex`, as the guard counts them.
  void send(const std::string& address, uint64_t packets, uint32_t ifindex = 1);
  void add_router_address(const std::string& address);

  // The quarantine entry of `address`'s source, if any.
  std::optional<ww_quarantine> quarantine_of(const std::string& address) const;
  size_t quarantine_count() const { return quarantines_.size(); }
  agent::ApplyObserver* observer() const { return observer_; }

  const policy::Policy& policy() const override { return policy_; }
  agent::CounterSnapshot read_counters() const override { return {}; }
  dataplane::SourceTable read_sources() const override { return sources_; }
  std::vector<dataplane::QuarantineEntry> read_quarantines() const override;
  std::optional<ww_quarantine> find_quarantine(const ww_source_key& key) const override;
  void write_quarantine(const ww_source_key& key, const ww_quarantine& value) override;
  bool delete_quarantine(const ww_source_key& key) override;
  std::vector<policy::Cidr> router_addresses() const override { return router_; }
  void set_apply_observer(agent::ApplyObserver* observer) override { observer_ = observer; }

 private:
  // Keys compared as bytes: ww_source_key has no padding and no operator<.
  using KeyBytes = std::string;
  static KeyBytes bytes_of(const ww_source_key& key);
  ww_source_key key_of(const std::string& address) const;

  policy::Policy policy_;
  dataplane::SourceTable sources_;
  std::map<KeyBytes, dataplane::QuarantineEntry> quarantines_;
  std::vector<policy::Cidr> router_;
  agent::ApplyObserver* observer_ = nullptr;
};

}  // namespace westworld::agent_test

// Per-window rates from the cumulative per-source counters of ww_sources.
// Each window the whole table is compared with the previous one, so every
// source's rate is exact (a source that appeared or was evicted and came back
// counts from zero), and per-interface totals fall out of the same pass. Only
// the busiest sources, plus any the caller watches, are handed on: a flood of
// spoofed sources costs one pass over the table, not unbounded output.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "westworld/abi.h"
#include "westworld/anomaly/source_key.h"

namespace westworld::anomaly {

using SourceKeySet = std::unordered_set<ww_source_key, SourceKeyHash, SourceKeyEqual>;

struct SourceRate {
  ww_source_key key{};
  uint32_t ifindex = 0;
  uint32_t class_id = 0;
  double pps = 0;          // offered this window, dropped packets included
  double bps = 0;          // bytes per second
  double dropped_pps = 0;  // quota and share-cap drops this window
  uint64_t packets = 0;    // lifetime of the table entry
  uint64_t bytes = 0;
  uint64_t dropped_quota = 0;
  uint64_t dropped_share = 0;
};

struct InterfaceRate {
  double pps = 0;  // ingress packets that reached anti-meave, all sources
  double bps = 0;
  uint32_t active_sources = 0;  // sources with traffic this window
};

struct RateSnapshot {
  uint64_t now_ns = 0;
  double seconds = 0;               // window length; 0 on the first snapshot, which has no rates
  uint64_t tracked_sources = 0;     // entries in ww_sources
  std::vector<SourceRate> busiest;  // by pps, descending
  std::unordered_map<ww_source_key, SourceRate, SourceKeyHash, SourceKeyEqual> watched;
  std::map<uint32_t, InterfaceRate> interfaces;  // by ifindex

  // The rate of `key` if it is among the busiest or watched, else nullptr.
  const SourceRate* find(const ww_source_key& key) const;
  // `source`'s share of its interface's packets this window (0 when idle).
  double share(const SourceRate& source) const;
};

class SourceRateTable {
 public:
  // keys[i] goes with values[i]. Returns the `busiest` sources by rate and
  // every source of `watched` that is present.
  RateSnapshot update(std::span<const ww_source_key> keys, std::span<const ww_source> values,
                      uint64_t now_ns, size_t busiest, const SourceKeySet& watched);

 private:
  struct Totals {
    uint64_t packets = 0;
    uint64_t bytes = 0;
    uint64_t dropped = 0;
    uint64_t epoch = 0;  // the update that last saw the entry
  };
  // Updated in place each window, so a large table is not reallocated every second.
  std::unordered_map<ww_source_key, Totals, SourceKeyHash, SourceKeyEqual> previous_;
  uint64_t previous_ns_ = 0;
  uint64_t epoch_ = 0;
};

}  // namespace westworld::anomaly

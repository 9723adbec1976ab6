#include "westworld/anomaly/source_rates.h"

#include <algorithm>

namespace westworld::anomaly {
namespace {

constexpr double kNsPerSecond = 1e9;

}  // namespace

const SourceRate* RateSnapshot::find(const ww_source_key& key) const {
  if (auto found = watched.find(key); found != watched.end()) return &found->second;
  SourceKeyEqual equal;
  for (const SourceRate& rate : busiest)
    if (equal(rate.key, key)) return &rate;
  return nullptr;
}

double RateSnapshot::share(const SourceRate& source) const {
  auto found = interfaces.find(source.ifindex);
  if (found == interfaces.end() || found->second.pps <= 0) return 0;
  return source.pps / found->second.pps;
}

RateSnapshot SourceRateTable::update(std::span<const ww_source_key> keys,
                                     std::span<const ww_source> values, uint64_t now_ns,
                                     size_t busiest, const SourceKeySet& watched) {
  RateSnapshot snapshot;
  snapshot.now_ns = now_ns;
  snapshot.tracked_sources = keys.size();
  const bool have_window = previous_ns_ != 0 && now_ns > previous_ns_;
  snapshot.seconds = have_window ? (now_ns - previous_ns_) / kNsPerSecond : 0;
  ++epoch_;

  // A min-heap of the busiest so far: a flood of sources costs O(n log k).
  std::vector<SourceRate> top;
  auto busier = [](const SourceRate& a, const SourceRate& b) { return a.pps > b.pps; };
  for (size_t i = 0; i < keys.size() && i < values.size(); ++i) {
    const ww_source& value = values[i];
    const Totals now{value.packets, value.bytes, value.dropped_quota + value.dropped_share, epoch_};
    auto [slot, fresh] = previous_.try_emplace(keys[i], Totals{});
    // A counter below last window's belongs to a new entry for the same key
    // (evicted and seen again): all of it is new.
    Totals before = fresh || now.packets < slot->second.packets ? Totals{} : slot->second;
    slot->second = now;
    if (!have_window) continue;
    const uint64_t packets = now.packets - before.packets;
    const bool is_watched = watched.count(keys[i]) > 0;
    if (packets == 0 && !is_watched) continue;

    const double seconds = snapshot.seconds;
    SourceRate rate{.key = keys[i],
                    .ifindex = value.last_ifindex,
                    .class_id = value.class_id,
                    .pps = packets / seconds,
                    .bps = (now.bytes - std::min(before.bytes, now.bytes)) / seconds,
                    .dropped_pps = (now.dropped - std::min(before.dropped, now.dropped)) / seconds,
                    .packets = value.packets,
                    .bytes = value.bytes,
                    .dropped_quota = value.dropped_quota,
                    .dropped_share = value.dropped_share};
    if (packets > 0) {
      InterfaceRate& iface = snapshot.interfaces[rate.ifindex];
      iface.pps += rate.pps;
      iface.bps += rate.bps;
      ++iface.active_sources;
    }
    if (is_watched) snapshot.watched.emplace(keys[i], rate);
    if (packets == 0 || busiest == 0) continue;
    if (top.size() < busiest) {
      top.push_back(rate);
      std::push_heap(top.begin(), top.end(), busier);
    } else if (rate.pps > top.front().pps) {
      std::pop_heap(top.begin(), top.end(), busier);
      top.back() = rate;
      std::push_heap(top.begin(), top.end(), busier);
    }
  }
  // Entries the table no longer holds were evicted; their history goes too.
  std::erase_if(previous_, [this](const auto& entry) { return entry.second.epoch != epoch_; });
  previous_ns_ = now_ns;

  std::sort_heap(top.begin(), top.end(), busier);
  snapshot.busiest = std::move(top);
  return snapshot;
}

}  // namespace westworld::anomaly

#include "westworld/anomaly/source_watch.h"

#include <algorithm>

#include "westworld/anomaly/alert.h"

namespace westworld::anomaly {
namespace {

// A source out of the busiest set keeps its baseline this many windows, so
// sources that come and go around the cut are not re-learned every time.
constexpr uint32_t kForgetAfterWindows = 600;
// Tracking never grows beyond this multiple of track_sources.
constexpr size_t kTrackedPerTop = 4;

bool same_share_creep(const policy::ShareCreepSettings& a, const policy::ShareCreepSettings& b) {
  return a.enabled == b.enabled && a.bound == b.bound && a.slack == b.slack && a.limit == b.limit &&
         a.min_interface_pps == b.min_interface_pps && a.min_sources == b.min_sources;
}

}  // namespace

SourceWatch::SourceWatch(const policy::DetectSettings& settings) : settings_(settings) {}

SourceWatch::Tracked SourceWatch::make_tracked() const {
  return {JumpDetector(settings_.rate_jump, std::string(kRateJumpDetector), "packets_per_second"),
          ShareCreepDetector(settings_.share_creep)};
}

void SourceWatch::reconfigure(const policy::DetectSettings& settings) {
  const bool rate_changed = !same_thresholds(settings.rate_jump, settings_.rate_jump);
  const bool share_changed = !same_share_creep(settings.share_creep, settings_.share_creep);
  settings_ = settings;
  if (!rate_changed && !share_changed) return;
  for (auto& [key, tracked] : tracked_) {
    Tracked fresh = make_tracked();
    if (rate_changed) tracked.rate = fresh.rate;
    if (share_changed) tracked.share = fresh.share;
  }
}

bool SourceWatch::flagged(const ww_source_key& key) const {
  auto found = tracked_.find(key);
  return found != tracked_.end() && (found->second.rate.flagged() || found->second.share.flagged());
}

SourceKeySet SourceWatch::watched() const {
  SourceKeySet keys;
  for (const auto& [key, tracked] : tracked_) keys.insert(key);
  return keys;
}

std::vector<SourceFinding> SourceWatch::observe(const RateSnapshot& snapshot) {
  std::vector<SourceFinding> findings;
  if (snapshot.seconds <= 0) return findings;

  for (auto& [key, tracked] : tracked_) ++tracked.windows_out_of_top;
  const size_t top = std::min<size_t>(settings_.track_sources, snapshot.busiest.size());
  for (size_t i = 0; i < top; ++i) {
    auto [entry, inserted] = tracked_.try_emplace(snapshot.busiest[i].key, make_tracked());
    entry->second.windows_out_of_top = 0;
  }

  for (auto& [key, tracked] : tracked_) {
    const SourceRate* rate = snapshot.find(key);
    const double pps = rate ? rate->pps : 0;
    const uint32_t ifindex = rate ? rate->ifindex : 0;
    if (settings_.rate_jump.enabled) {
      if (auto finding = tracked.rate.observe(pps)) findings.push_back({key, ifindex, *finding});
    }
    if (settings_.share_creep.enabled) {
      std::optional<double> share;
      if (rate) {
        auto iface = snapshot.interfaces.find(ifindex);
        const policy::ShareCreepSettings& creep = settings_.share_creep;
        if (iface != snapshot.interfaces.end() && iface->second.pps >= creep.min_interface_pps &&
            iface->second.active_sources >= creep.min_sources)
          share = snapshot.share(*rate);
      }
      if (auto finding = tracked.share.observe(share)) findings.push_back({key, ifindex, *finding});
    }
  }
  forget_stale();
  return findings;
}

void SourceWatch::forget_stale() {
  std::erase_if(tracked_, [](const auto& entry) {
    const Tracked& t = entry.second;
    return t.windows_out_of_top > kForgetAfterWindows && !t.rate.flagged() && !t.share.flagged();
  });
  const size_t cap = kTrackedPerTop * std::max<size_t>(settings_.track_sources, 1);
  if (tracked_.size() <= cap) return;
  // Over the cap: forget the sources longest out of the busiest set first.
  std::vector<std::pair<uint32_t, ww_source_key>> idle;
  for (const auto& [key, t] : tracked_)
    if (t.windows_out_of_top > 0 && !t.rate.flagged() && !t.share.flagged())
      idle.emplace_back(t.windows_out_of_top, key);
  std::sort(idle.begin(), idle.end(), [](auto& a, auto& b) { return a.first > b.first; });
  for (size_t i = 0; i < idle.size() && tracked_.size() > cap; ++i) tracked_.erase(idle[i].second);
}

}  // namespace westworld::anomaly

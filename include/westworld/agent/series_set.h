// Series of one metric family whose label sets come and go (rules of the
// running policy, the busiest sources): each update touches the series that
// exist now, and sweep() removes the rest, so a source that left the top-K or
// a rule that left the policy stops being exported.
#pragma once

#include <prometheus/family.h>
#include <prometheus/labels.h>

#include <map>

namespace westworld::agent {

template <typename Metric>
class SeriesSet {
 public:
  explicit SeriesSet(prometheus::Family<Metric>& family) : family_(family) {}

  Metric& at(const prometheus::Labels& labels) {
    auto [entry, inserted] = series_.try_emplace(labels);
    if (inserted) entry->second.metric = &family_.Add(labels);
    entry->second.touched = true;
    return *entry->second.metric;
  }

  // Counters only: makes the series equal a total kept elsewhere (the
  // kernel's). A total that went down was reset (a new guard), and so is the
  // series, which Prometheus reads as a counter reset.
  void set_total(const prometheus::Labels& labels, double total) {
    Metric& metric = at(labels);
    const double delta = total - metric.Value();
    if (delta >= 0) {
      metric.Increment(delta);
      return;
    }
    family_.Remove(&metric);
    Metric& fresh = family_.Add(labels);
    fresh.Increment(total);
    series_[labels].metric = &fresh;
  }

  void sweep() {
    for (auto it = series_.begin(); it != series_.end();) {
      if (it->second.touched) {
        it->second.touched = false;
        ++it;
      } else {
        family_.Remove(it->second.metric);
        it = series_.erase(it);
      }
    }
  }

  prometheus::Family<Metric>& family() { return family_; }

 private:
  struct Series {
    Metric* metric = nullptr;
    bool touched = false;
  };
  prometheus::Family<Metric>& family_;
  std::map<prometheus::Labels, Series> series_;
};

}  // namespace westworld::agent

// The node's watchman. Once per window it sums the guard's counters, reads
// the per-source table, runs the detectors (rate jump and share creep per
// source, source churn overall), answers what they find (quarantine, freeze,
// or only an alert), reviews the quarantines in place, and refreshes the
// metrics. It also judges every policy apply (control-plane bursts) and may
// refuse one while policy changes are frozen. A flood it contains (a per-source
// alert whose quarantine took effect) is told to whoever listens: the agent
// opens a crisis on it (quests/crisis_board.h).
#pragma once

// clang-format off
#include <utility>  // before Asio: Boost 1.74 needs std::exchange declared under C++20
#include <boost/asio.hpp>
// clang-format on
#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "westworld/agent/apply_observer.h"
#include "westworld/agent/guard_view.h"
#include "westworld/agent/metrics.h"
#include "westworld/agent/policy_freeze.h"
#include "westworld/agent/quarantine_keeper.h"
#include "westworld/anomaly/alert.h"
#include "westworld/anomaly/control_plane.h"
#include "westworld/anomaly/jump_detector.h"
#include "westworld/anomaly/source_rates.h"
#include "westworld/anomaly/source_watch.h"
#include "westworld/common/clock.h"
#include "westworld/control/messages.h"
#include "westworld/control/protocol.h"

namespace westworld::agent {

class Watchman : public ApplyObserver {
 public:
  using EventCount = std::function<uint64_t()>;
  // Called with every per-source flood alert (anomaly::is_source_flood) whose quarantine took
  // effect, after the alert is kept. What it throws is logged; the window goes on.
  using ContainedFloodSink = std::function<void(const anomaly::Alert&)>;

  // Starts watching at once (the first window is read before this returns); `guard`,
  // `freeze` and `metrics` must outlive it.
  Watchman(boost::asio::io_context& io, GuardView& guard, PolicyFreeze& freeze, Metrics& metrics,
           EventCount events_received, const common::Clock& clock = common::system_clock(),
           ContainedFloodSink on_contained_flood = {});
  ~Watchman() override;

  // One window at the clock's time: what the timer runs every interval_ms. A test
  // calls it after moving a ManualClock, instead of waiting for the timer.
  void run_window();

  std::optional<std::string> veto_apply(const std::string& source) override;
  void policy_applied(const PolicyChange& change) override;

  // Control requests.
  control::AlertsReply alerts(size_t limit) const;
  control::TopReply top(size_t limit) const;
  control::QuarantineListReply quarantines() const;
  control::Result<control::QuarantineChangeReply> quarantine(
      const control::QuarantineAddRequest& request);
  control::Result<control::QuarantineChangeReply> release(
      const control::QuarantineDelRequest& request);
  // The charter's third step (a flow-rule violation): every packet of `source` dropped,
  // with no end a timer could reach; an operator's `quarantine del` does not lift it either,
  // only a decision does (governance). A protected source is declined, as always.
  QuarantineOutcome charter_quarantine(const std::string& source, const std::string& reason);
  // Lifts that quarantine once a governance decision restored the source (CharterRestorer
  // has verified the decision; an operator's `quarantine del` never reaches this).
  QuarantineOutcome charter_release(const std::string& source, const std::string& reason);
  control::UnfreezeReply unfreeze();
  control::WatchmanSummary summary() const;  // for `wwctl status`

 private:
  void configure(const policy::Policy& policy);
  void schedule();
  void tick();
  void watch_window(uint64_t now_ns);

  // Logs, keeps and answers a finding; `key` is the source, for per-source detectors.
  // `remedy` joins the response's reason (so a freeze's refusal says how to get through).
  void raise(const anomaly::Finding& finding, const std::string& subject,
             const std::optional<ww_source_key>& key, const std::string& remedy = {});
  // What respond() did, in words, and whether a quarantine took effect.
  struct Answer {
    std::string text;
    bool contained = false;
  };
  Answer respond(policy::Response response, const std::string& reason,
                 const std::optional<ww_source_key>& key, uint32_t origin);
  void record_response(const anomaly::ResponseRecord& record);
  std::string interface_name(uint32_t ifindex) const;
  // An address as the source key it stands for under the running policy's identity prefixes.
  std::optional<ww_source_key> source_identity(const std::string& address,
                                               std::string& why_not) const;

  const common::Clock& clock_;
  GuardView& guard_;
  PolicyFreeze& freeze_;
  Metrics& metrics_;
  EventCount events_received_;
  ContainedFloodSink on_contained_flood_;

  policy::DetectSettings settings_;
  anomaly::SourceRateTable rates_;
  anomaly::SourceWatch watch_;
  anomaly::JumpDetector churn_;
  anomaly::ApplyBurstDetector burst_;
  QuarantineKeeper quarantines_;
  anomaly::BoundedRing<anomaly::Alert> alerts_;
  anomaly::BoundedRing<anomaly::ResponseRecord> responses_;
  anomaly::RateSnapshot last_;
  std::optional<uint64_t> previous_sources_new_;
  double last_scan_seconds_ = 0;

  boost::asio::steady_timer timer_;
  std::chrono::steady_clock::time_point next_tick_;
};

}  // namespace westworld::agent

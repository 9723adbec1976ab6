#include "westworld/cradle/arm.h"

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "arm_measurements.h"
#include "westworld/abi.h"
#include "westworld/abi_names.h"
#include "westworld/control/client.h"
#include "westworld/cradle/link_faults.h"
#include "westworld/cradle/traffic.h"
#include "westworld/cradle/twin.h"
#include "westworld/harness/text_file.h"

namespace westworld::cradle {
namespace {

constexpr int64_t kMs = 1'000'000;
// Agents get this long to settle (detectors' first windows) before traffic is counted.
constexpr int64_t kWarmUpNs = 1000 * kMs;
// How often the agents' quarantines are read: the resolution of time_to_quarantine.
constexpr int64_t kPollNs = 200 * kMs;
// After the last send, what is still in flight gets this long to arrive.
constexpr auto kDrain = std::chrono::milliseconds(300);

std::optional<control::StatusReply> status_of(const Twin& twin, size_t router) {
  try {
    auto reply = control::Client(twin.control_socket(router), std::chrono::seconds(2))
                     .call(control::StatusRequest{});
    if (reply && reply->ok()) return reply->value();
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

// The guard runs the policy on every interface of the router.
bool enforcing(const control::StatusReply& status) {
  if (!status.guard.policy.valid || status.guard.interfaces.empty()) return false;
  for (const auto& iface : status.guard.interfaces)
    if (iface.xdp_attached.has_value() && !*iface.xdp_attached) return false;
  return true;
}

std::map<std::string, uint64_t> drops_of(const control::StatusReply& status) {
  std::map<std::string, uint64_t> drops;
  for (uint32_t reason = 0; reason < WW_DROP_MAX; ++reason)
    drops[abi::drop_reason_name(reason)] =
        status.guard.counters.dropped_both_ways(static_cast<ww_drop_reason>(reason));
  return drops;
}

// One step of the schedule: at `at_ns` (monotonic), do `act`.
struct Step {
  int64_t at_ns;
  std::string what;
  std::function<void()> act;
};

class ArmRun {
 public:
  ArmRun(const Experiment& experiment, const TwinPlan& plan, const ArmOptions& options, Twin& twin,
         ArmResult& result)
      : experiment_(experiment), plan_(plan), options_(options), twin_(twin), result_(result) {}

  ArmMeasurements run();

 private:
  void schedule_faults();
  void schedule_apply_bursts();
  void poll_quarantines(int64_t now);
  void event(int64_t now, const std::string& what);
  std::string progress_line(int64_t now) const;
  LinkFault& link_fault(size_t link);

  const Experiment& experiment_;
  const TwinPlan& plan_;
  const ArmOptions& options_;
  Twin& twin_;
  ArmResult& result_;
  ArmMeasurements measured_;
  std::vector<Step> steps_;
  std::map<size_t, std::unique_ptr<LinkFault>> link_faults_;
  std::vector<std::unique_ptr<Receiver>> receivers_;
  std::vector<std::unique_ptr<Sender>> senders_;
  std::vector<std::thread> bursts_;
  std::set<size_t> polls_answered_;
  std::mutex events_mutex_;  // the apply bursts' threads report too
  int64_t origin_ = 0;
  int64_t end_ = 0;
};

void ArmRun::event(int64_t now, const std::string& what) {
  const int64_t t_ms = std::max<int64_t>(0, (now - origin_) / kMs);
  {
    std::lock_guard lock(events_mutex_);
    result_.events.push_back(std::to_string(t_ms) + " " + what);
  }
  options_.progress("[" + options_.label + "] " + std::to_string(t_ms / 1000.0).substr(0, 4) +
                    "s " + what);
}

// One fault program per link, attached when a fault first needs it.
LinkFault& ArmRun::link_fault(size_t link) {
  auto& fault = link_faults_[link];
  if (!fault) fault = std::make_unique<LinkFault>(twin_.link_interfaces(plan_.links[link]));
  return *fault;
}

void ArmRun::schedule_faults() {
  for (const FaultSpec& fault : experiment_.faults) {
    const int64_t start = origin_ + int64_t{fault.start_ms} * kMs;
    const int64_t stop = fault.duration_ms ? start + int64_t{fault.duration_ms} * kMs : end_;
    std::optional<size_t> link;
    if (!fault.link.empty()) {
      link = plan_.link_index(fault.link);
      if (!link) continue;  // the loader refuses this; nothing to do
    }
    const auto router = fault.router.empty() ? std::nullopt : plan_.index_of(fault.router);
    const std::string on = link ? "link " + fault.link : "router " + fault.router;
    switch (fault.kind) {
      case FaultKind::loss:
        steps_.push_back({start, "loss " + std::to_string(fault.loss_ppm) + " ppm on " + on,
                          [=, this] { link_fault(*link).set_loss_ppm(fault.loss_ppm); }});
        steps_.push_back(
            {stop, "loss ends on " + on, [=, this] { link_fault(*link).set_loss_ppm(0); }});
        break;
      case FaultKind::partition:
        steps_.push_back(
            {start, "partition of " + on, [=, this] { link_fault(*link).set_partitioned(true); }});
        steps_.push_back({stop, "partition of " + on + " heals",
                          [=, this] { link_fault(*link).set_partitioned(false); }});
        break;
      case FaultKind::rate_limit:
        steps_.push_back(
            {start, "rate limit " + std::to_string(fault.rate_bits_per_second) + " bit/s on " + on,
             [=, this] {
               limit_rate(twin_.link_interfaces(plan_.links[*link]), fault.rate_bits_per_second);
             }});
        steps_.push_back({stop, "rate limit ends on " + on, [=, this] {
                            remove_rate_limit(twin_.link_interfaces(plan_.links[*link]));
                          }});
        break;
      case FaultKind::link_down:
        steps_.push_back(
            {start, on + " down", [=, this] { twin_.set_link_up(plan_.links[*link], false); }});
        steps_.push_back(
            {stop, on + " up", [=, this] { twin_.set_link_up(plan_.links[*link], true); }});
        break;
      case FaultKind::agent_kill:
        steps_.push_back(
            {start, "agent of " + fault.router + " killed (SIGKILL), restarting", [=, this] {
               ++measured_.agent_kills;
               const bool back = twin_.kill_and_restart_agent(*router);
               auto status = status_of(twin_, *router);
               const bool survived = back && status && enforcing(*status);
               if (survived) ++measured_.restarts_survived;
               event(monotonic_ns(),
                     "agent of " + fault.router +
                         (survived ? " back, guard enforcing" : " did not come back enforcing"));
             }});
        break;
      case FaultKind::router_freeze:
        steps_.push_back(
            {start, fault.router + " frozen", [=, this] { twin_.freeze_router(*router, true); }});
        steps_.push_back(
            {stop, fault.router + " thawed", [=, this] { twin_.freeze_router(*router, false); }});
        break;
      case FaultKind::etcd_member_lost:
      case FaultKind::delay:
        break;  // unmodelled: the run lists them
    }
  }
  std::stable_sort(steps_.begin(), steps_.end(),
                   [](const Step& a, const Step& b) { return a.at_ns < b.at_ns; });
}

void ArmRun::schedule_apply_bursts() {
  const std::string policy_text = harness::read_text_file(options_.policy);
  for (const AttackSpec& attack : experiment_.attacks) {
    if (attack.kind != AttackKind::apply_burst) continue;
    const std::string socket = twin_.control_socket(*plan_.index_of(attack.to));
    const int64_t start = origin_ + int64_t{attack.start_ms} * kMs;
    const int64_t stop = attack.duration_ms ? start + int64_t{attack.duration_ms} * kMs : end_;
    const uint32_t pps = std::max<uint32_t>(attack.pps, 1);
    bursts_.emplace_back([=, this] {
      uint64_t applied = 0, refused = 0;
      auto stopped = [this] { return options_.stop && *options_.stop; };
      for (int64_t at = start; at < stop && !stopped(); at += 1'000'000'000 / pps) {
        while (monotonic_ns() < at && !stopped())
          std::this_thread::sleep_for(std::chrono::milliseconds(1));
        try {
          control::ApplyRequest request;
          request.policy = policy_text;
          request.source = "cradle " + attack.name;
          auto reply = control::Client(socket, std::chrono::seconds(2)).call(request);
          (reply && reply->ok() ? applied : refused)++;
        } catch (const std::exception&) {
          ++refused;
        }
      }
      event(stop, attack.name + ": " + std::to_string(applied) + " applies accepted, " +
                      std::to_string(refused) + " refused");
    });
  }
}

void ArmRun::poll_quarantines(int64_t now) {
  for (size_t r = 0; r < plan_.routers.size(); ++r) {
    try {
      auto reply = control::Client(twin_.control_socket(r), std::chrono::milliseconds(500))
                       .call(control::QuarantineListRequest{});
      if (!reply || !reply->ok()) continue;
      polls_answered_.insert(r);
      for (const auto& q : reply->value().quarantines) {
        if (measured_.quarantined_at_ms.count(q.source)) continue;
        measured_.quarantined_at_ms[q.source] = (now - origin_) / kMs;
        event(now,
              "quarantine on " + plan_.routers[r].id + ": " + q.source + " (" + q.origin + ")");
      }
    } catch (const std::exception&) {
    }
  }
}

std::string ArmRun::progress_line(int64_t now) const {
  uint64_t delivered = 0;
  for (const auto& receiver : receivers_) delivered += receiver->legit_so_far();
  uint64_t due = 0;
  for (const FlowSpec& flow : experiment_.flows)
    due += flow.pps * std::max<int64_t>(0, now - origin_) / 1'000'000'000;
  std::ostringstream line;
  line << "[" << options_.label << "] " << (now - origin_) / 1'000'000'000 << "s/"
       << experiment_.duration_ms / 1000 << "s  legitimate " << delivered << "/" << due
       << " delivered  quarantines " << measured_.quarantined_at_ms.size();
  return line.str();
}

ArmMeasurements ArmRun::run() {
  std::map<size_t, control::StatusReply> before;
  for (size_t r = 0; r < plan_.routers.size(); ++r)
    if (auto status = status_of(twin_, r)) before[r] = *status;

  origin_ = monotonic_ns() + kWarmUpNs;
  end_ = origin_ + int64_t{experiment_.duration_ms} * kMs;
  measured_.windows = {origin_, int64_t{experiment_.sample_ms} * kMs,
                       std::max<size_t>(1, experiment_.duration_ms / experiment_.sample_ms)};

  // Receivers on every port something is sent to, then the senders.
  std::set<std::pair<size_t, uint16_t>> listening;
  auto listen = [&](const std::string& router, uint16_t port) {
    const size_t r = *plan_.index_of(router);
    if (listening.insert({r, port}).second)
      receivers_.push_back(std::make_unique<Receiver>(twin_.netns(r), port, measured_.windows));
  };
  for (size_t f = 0; f < experiment_.flows.size(); ++f) {
    const FlowSpec& flow = experiment_.flows[f];
    listen(flow.to, flow.port);
    senders_.push_back(std::make_unique<Sender>(
        SendPlan{.stream = static_cast<uint16_t>(f),
                 .netns = twin_.netns(*plan_.index_of(flow.from)),
                 .source = plan_.routers[*plan_.index_of(flow.from)].node_address,
                 .destination = plan_.routers[*plan_.index_of(flow.to)].node_address,
                 .port = flow.port,
                 .pps = flow.pps,
                 .payload_bytes = flow.size_bytes,
                 .start_ns = origin_,
                 .stop_ns = end_},
        measured_.windows));
  }
  for (size_t j = 0; j < experiment_.attacks.size(); ++j) {
    const AttackSpec& attack = experiment_.attacks[j];
    if (attack.kind == AttackKind::apply_burst) continue;
    listen(attack.to, attack.port);
    const int64_t start = origin_ + int64_t{attack.start_ms} * kMs;
    senders_.push_back(std::make_unique<Sender>(
        SendPlan{
            .stream = static_cast<uint16_t>(kFirstAttackStream + j),
            .mode = attack.kind == AttackKind::spoofed_flood ? SendMode::spoofed : SendMode::udp,
            .netns = twin_.netns(*plan_.index_of(attack.from)),
            .source = attack_address(j),
            .destination = plan_.routers[*plan_.index_of(attack.to)].node_address,
            .port = attack.port,
            .pps = attack.pps,
            .pps_end = attack.kind == AttackKind::share_creep ? attack.pps_end : 0,
            .start_ns = start,
            .stop_ns = attack.duration_ms ? start + int64_t{attack.duration_ms} * kMs : end_},
        measured_.windows));
    steps_.push_back({start, "attack " + attack.name + " starts", [] {}});
  }
  schedule_faults();
  schedule_apply_bursts();
  for (auto& sender : senders_) sender->start();

  size_t next_step = 0;
  int64_t next_poll = origin_;
  int64_t next_progress = origin_ + int64_t{experiment_.sample_ms} * kMs;
  for (int64_t now = monotonic_ns(); now < end_; now = monotonic_ns()) {
    if (options_.stop && *options_.stop) {
      event(now, "interrupted");
      for (auto& sender : senders_) sender->cancel();
      break;
    }
    while (next_step < steps_.size() && steps_[next_step].at_ns <= now) {
      Step& step = steps_[next_step++];
      event(now, step.what);
      try {
        step.act();
      } catch (const std::exception& e) {
        event(monotonic_ns(), "could not apply (" + std::string(e.what()) + ")");
      }
    }
    if (now >= next_poll) {
      poll_quarantines(now);
      next_poll += kPollNs;
    }
    if (now >= next_progress) {
      options_.progress(progress_line(now));
      next_progress += int64_t{experiment_.sample_ms} * kMs;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  // Faults that last to the end are lifted before the final reading.
  for (; next_step < steps_.size(); ++next_step) {
    try {
      steps_[next_step].act();
    } catch (const std::exception&) {
    }
  }
  for (auto& sender : senders_) sender->join();
  for (auto& burst : bursts_) burst.join();
  std::this_thread::sleep_for(kDrain);
  poll_quarantines(monotonic_ns());
  for (auto& receiver : receivers_) receiver->stop();

  for (const auto& receiver : receivers_)
    for (const auto& [stream, count] : receiver->streams()) {
      StreamCount& merged = measured_.streams[stream];
      merged.delivered = count.delivered;
      merged.latency_us = count.latency_us;
    }
  for (const auto& sender : senders_) {
    StreamCount& merged = measured_.streams[sender->plan().stream];
    merged.sent = sender->sent();
    if (merged.delivered.empty()) merged.delivered.assign(measured_.windows.count, 0);
  }
  measured_.quarantines_watched = polls_answered_.size() == plan_.routers.size();
  std::map<std::string, uint64_t> drops;
  bool all_read = before.size() == plan_.routers.size();
  for (size_t r = 0; r < plan_.routers.size() && all_read; ++r) {
    auto after = status_of(twin_, r);
    if (!after) {
      all_read = false;
      break;
    }
    const auto then = drops_of(before[r]);
    for (const auto& [reason, packets] : drops_of(*after)) {
      // A restarted agent reads the same pinned counters; a smaller count means they were reset.
      const uint64_t old = then.at(reason);
      drops[reason] += packets >= old ? packets - old : packets;
    }
  }
  if (all_read) measured_.drops = drops;
  return measured_;
}

}  // namespace

ArmResult run_arm(const Experiment& experiment, const TwinPlan& plan, const ArmOptions& options) {
  ArmResult result;
  options.progress("[" + options.label +
                   "] building the twin: " + std::to_string(plan.routers.size()) + " routers, " +
                   std::to_string(plan.links.size()) + " links");
  std::optional<Twin> twin;
  const int64_t building = monotonic_ns();
  try {
    twin.emplace(plan, TwinOptions{.agent_binary = options.agent_binary,
                                   .work_dir = options.work_dir,
                                   .policy = options.policy});
    std::string not_enforcing;
    for (size_t r = 0; r < plan.routers.size(); ++r) {
      auto status = status_of(*twin, r);
      if (!status || !enforcing(*status)) not_enforcing += " " + plan.routers[r].id;
    }
    if (!not_enforcing.empty()) throw std::runtime_error("not enforcing on" + not_enforcing);
    result.twin_up = true;
    const std::string took =
        "twin up in " + std::to_string((monotonic_ns() - building) / kMs) + " ms";
    result.events.push_back("0 " + took);
    options.progress("[" + options.label + "] " + took);
  } catch (const std::exception& e) {
    result.twin_error = e.what();
    options.progress("[" + options.label + "] the twin did not come up: " + result.twin_error);
  }
  if (result.twin_up && !(options.stop && *options.stop)) {
    options.progress("[" + options.label + "] running " +
                     std::to_string(experiment.duration_ms / 1000) + " s of traffic");
    ArmMeasurements measured = ArmRun(experiment, plan, options, *twin, result).run();
    derive_signals(experiment, measured, result);
  }
  if (twin) {
    options.progress("[" + options.label + "] tearing the twin down");
    for (const std::string& left : twin->tear_down())
      result.events.push_back("left behind after teardown: " + left);
  }
  return result;
}

}  // namespace westworld::cradle

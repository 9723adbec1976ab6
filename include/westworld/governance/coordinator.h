// The rollout coordinator: one router at a time (an etcd lease held on gov/coordinator)
// starts the rollout of each passed proposal and moves its waves by the gates. Any router
// may run one; when the holder dies its lease expires and another takes over, resuming
// from the state stored in etcd. Every write is fenced: a compare-and-swap on the
// rollout's revision AND on the coordinator key's creation, so a coordinator that lost
// its lease (paused, partitioned) can no longer write anything.
//
// The coordinator only moves state. It cannot make a router apply anything: each router
// verifies the decision itself before it follows a rollout (RolloutFollower).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>

#include "westworld/common/clock.h"
#include "westworld/governance/decision.h"
#include "westworld/governance/metric_query.h"
#include "westworld/governance/rollout.h"

namespace westworld::governance {

// Where the coordinator's steps go besides etcd: the agent appends them to its audit log.
class RolloutJournal {
 public:
  virtual ~RolloutJournal() = default;
  // kind: "passed", "wave_start", "gate_verdict", "promotion", "abort", "success".
  virtual void rollout_event(const std::string& proposal, const std::string& kind,
                             const std::string& detail) = 0;
};

struct CoordinatorOptions {
  // A constructor rather than an aggregate, so callers that need no Prometheus leave it out
  // without -Wmissing-field-initializers.
  CoordinatorOptions(std::string node, std::chrono::seconds ttl = std::chrono::seconds(10),
                     std::string prometheus = {})
      : node_id(std::move(node)), lease_ttl(ttl), prometheus_url(std::move(prometheus)) {}

  std::string node_id;
  std::chrono::seconds lease_ttl;
  // Where prometheus(QUERY) gates are asked: http://IP[:PORT][/PREFIX] (--gov-prometheus).
  // Empty: nowhere, so such gates are no data and their rollouts abort at nodata_limit.
  std::string prometheus_url;
};

class Coordinator {
 public:
  // Throws std::invalid_argument when options.prometheus_url is not a usable URL.
  Coordinator(mesh::KvStore& store, const mesh::MeshKeys& keys, capability::Digest genesis,
              CoordinatorOptions options, const common::Clock& clock, RolloutJournal* journal);
  ~Coordinator();
  Coordinator(const Coordinator&) = delete;
  Coordinator& operator=(const Coordinator&) = delete;

  // Runs tick() on its own thread, as often as the genesis' sample interval says.
  void start();
  void stop();  // resigns (revokes the lease) so another router takes over at once

  // One pass: campaign when not leading; when leading, start rollouts for passed
  // proposals and sample running ones. Throws mesh::KvError when etcd fails.
  void tick();
  bool leading() const { return leading_.load(); }

 private:
  void run();
  bool campaign();
  void start_rollouts(const Genesis& genesis);
  void step_rollouts(const Genesis& genesis);
  // The proposal's targets, or for "all" the routers registered now.
  std::vector<std::string> rollout_nodes(const Proposal& proposal);
  // Stores a new rollout of `id` (over a waiting one at `revision`, 0: none yet) and
  // journals the tally (when given) and its first wave, unless it moved meanwhile.
  void begin_rollout(const std::string& id, const Proposal& proposal, common::UnixSeconds now,
                     mesh::Revision revision, const std::string& tally);
  // Writes `state` under `key` if it is still at `revision` (0: absent) and we still lead.
  bool write(const std::string& key, const RolloutState& state, mesh::Revision revision);
  std::map<std::string, RouterHealth> read_routers(const std::string& rollout_key,
                                                   std::int64_t since);
  void journal(const std::string& proposal, const std::string& kind, const std::string& detail);
  // Says once, in the log, why a prometheus(QUERY) gate can only be no data here.
  void warn_without_prometheus(const std::string& id, const Proposal& proposal,
                               std::uint32_t nodata_limit);

  mesh::KvStore& store_;
  const mesh::MeshKeys& keys_;
  GovernanceStore gov_;
  capability::Digest genesis_digest_;
  CoordinatorOptions options_;
  const common::Clock& clock_;
  RolloutJournal* journal_;
  std::unique_ptr<MetricQuery> metrics_;  // null without a Prometheus URL
  bool said_no_prometheus_ = false;       // its consequence is logged once

  mesh::LeaseId lease_ = 0;
  mesh::Revision elected_at_ = 0;  // the coordinator key's create_revision while we lead
  std::atomic<bool> leading_{false};
  std::set<std::string> settled_;  // proposals decided as failed: never rolled out
  std::chrono::seconds sample_interval_{1};
  std::string idle_reason_;  // why the last pass coordinated nothing (logged once)

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace westworld::governance

#include "westworld/mesh/mesh_member.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace westworld::mesh {

using namespace std::chrono_literals;
using Steady = std::chrono::steady_clock;

namespace {

// The watch is polled in slices this long, so stop() is heard promptly.
constexpr auto kWatchSlice = 250ms;

}  // namespace

MeshMember::MeshMember(KvStore& store, LocalRouter& router, MeshMemberOptions options,
                       const common::Clock& clock)
    : store_(store),
      router_(router),
      options_(std::move(options)),
      clock_(clock),
      keys_(options_.mesh_name) {
  check_mesh_name(options_.node_id, "node id");
  if (options_.lease_ttl < 2s) throw std::invalid_argument("mesh lease TTL must be at least 2 s");
  started_ = clock_.now().time_since_epoch().count();
}

MeshMember::~MeshMember() { stop(); }

void MeshMember::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void MeshMember::stop() {
  {
    std::lock_guard lock(mutex_);
    if (!thread_.joinable()) return;
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  // A router that stops on purpose leaves the registry now rather than at lease expiry.
  const LeaseId lease = status().lease;
  if (lease != 0) {
    try {
      store_.revoke_lease(lease);
    } catch (const KvError&) {
    }
  }
}

MeshLinkStatus MeshMember::status() const {
  std::lock_guard lock(mutex_);
  return status_;
}

bool MeshMember::wait_for_stop(std::chrono::milliseconds duration) {
  std::unique_lock lock(mutex_);
  return wake_.wait_for(lock, duration, [this] { return stopping_; });
}

void MeshMember::note_failure(const std::string& what) {
  std::lock_guard lock(mutex_);
  if (status_.connected || status_.disconnected_since == 0) {
    // Logged once per outage, not once per retry.
    spdlog::warn("mesh: lost etcd ({}); the guard keeps enforcing its last policy, retrying", what);
    ++status_.outages;
    status_.disconnected_since = clock_.now().time_since_epoch().count();
  }
  status_.connected = false;
  status_.last_error = what;
}

void MeshMember::run() {
  auto backoff = 100ms;
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    try {
      session();
      return;  // only returns when stopping
    } catch (const KvError& e) {
      if (e.kind() == KvError::Kind::lease_not_found) {
        // The registration expired (a long outage, or etcd lost it): register anew.
        std::lock_guard lock(mutex_);
        status_.lease = 0;
      }
      note_failure(e.what());
    } catch (const std::exception& e) {
      note_failure(e.what());
    }
    if (wait_for_stop(backoff)) return;
    backoff = std::min<std::chrono::milliseconds>(backoff * 2, options_.max_backoff);
    if (status().connected) backoff = 100ms;
  }
}

void MeshMember::session() {
  if (status().lease == 0) {
    const Lease lease = store_.grant_lease(options_.lease_ttl);
    std::lock_guard lock(mutex_);
    status_.lease = lease.id;
  }
  // List, then watch from just after what was listed. The router catches up on its target
  // before it (re)registers, so a registered router has seen the bundles addressed to it.
  const RangeReply listed = store_.list(keys_.policy());
  targets_.clear();
  rollouts_.clear();
  for (const KeyValue& kv : listed.kvs)
    (kv.key.starts_with(keys_.rollouts()) ? rollouts_ : targets_)[kv.key] = kv;
  rollouts_changed_ = true;
  std::unique_ptr<Watch> watch = store_.watch(keys_.policy(), listed.revision + 1);
  {
    std::lock_guard lock(mutex_);
    if (!status_.connected && status_.disconnected_since != 0)
      spdlog::info("mesh: etcd is back; catching up from revision {}", listed.revision);
    status_.connected = true;
    status_.disconnected_since = 0;
    status_.last_error.clear();
  }
  reconcile();
  publish_record();

  const auto keepalive_every =
      std::chrono::duration_cast<std::chrono::milliseconds>(options_.lease_ttl) / 3;
  auto next_keepalive = Steady::now() + keepalive_every;
  auto next_report = Steady::now() + options_.report_interval;
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    const auto now = Steady::now();
    const auto until = std::min(next_keepalive, next_report);
    const auto slice =
        std::clamp(std::chrono::duration_cast<std::chrono::milliseconds>(until - now), 0ms,
                   std::chrono::milliseconds(kWatchSlice));
    if (std::optional<WatchBatch> batch = watch->next(slice)) {
      for (WatchEvent& event : batch->events) {
        const bool rollout = event.kv.key.starts_with(keys_.rollouts());
        auto& records = rollout ? rollouts_ : targets_;
        rollouts_changed_ = rollouts_changed_ || rollout;
        if (event.kind == WatchEvent::Kind::erase)
          records.erase(event.kv.key);
        else
          records[event.kv.key] = std::move(event.kv);
      }
      reconcile();
    }
    if (Steady::now() >= next_keepalive) {
      store_.keep_alive(status().lease);
      next_keepalive = Steady::now() + keepalive_every;
    }
    if (Steady::now() >= next_report) {
      publish_record();
      next_report = Steady::now() + options_.report_interval;
    }
  }
}

void MeshMember::publish_record() {
  RouterRecord record = router_.report();
  record.id = options_.node_id;
  record.address = options_.address;
  record.version = options_.version;
  record.started = started_;
  record.heartbeat = clock_.now().time_since_epoch().count();
  record.report_interval_ms = static_cast<uint64_t>(options_.report_interval.count());
  record.insecure_open_mesh = options_.insecure_open_mesh;
  LeaseId lease = 0;
  {
    std::lock_guard lock(mutex_);
    record.refusals = status_.refusals;
    record.last_refusal = status_.last_refusal;
    lease = status_.lease;
  }
  store_.put(Put{keys_.router(options_.node_id), encode_router_record(record), lease});
  if (reports_++ % std::max(1, options_.count_every_reports) != 0) return;
  const auto registered = static_cast<uint64_t>(store_.count(keys_.routers()));
  router_.registered_routers(registered);
  std::lock_guard lock(mutex_);
  status_.registered_routers = registered;
}

void MeshMember::refuse(const KeyValue& kv, const std::string& reason) {
  spdlog::warn("mesh: refused the bundle at {} (revision {}): {}", kv.key, kv.mod_revision, reason);
  record_refusal(Refusal{kv.key, kv.mod_revision, reason, clock_.now().time_since_epoch().count()});
}

void MeshMember::record_refusal(Refusal refusal) {
  std::lock_guard lock(mutex_);
  ++status_.refusals;
  status_.last_refusal = std::move(refusal);
}

void MeshMember::reconcile() {
  reconcile_bundles();
  if (!options_.follower || !rollouts_changed_) return;
  rollouts_changed_ = false;
  std::vector<KeyValue> rollouts;
  for (const auto& [key, kv] : rollouts_) rollouts.push_back(kv);
  FollowResult result = options_.follower->follow(rollouts);
  if (result.refusal) {
    spdlog::warn("mesh: refused the rollout at {}: {}", result.refusal->key,
                 result.refusal->reason);
    record_refusal(std::move(*result.refusal));
  } else if (result.applied) {
    std::lock_guard lock(mutex_);
    ++status_.bundles_applied;
  }
  // The coordinator samples the record: tell the mesh now.
  if (result.refusal || result.applied) publish_record();
}

void MeshMember::reconcile_bundles() {
  // The newest of the bundles addressed to this router or to all.
  const KeyValue* newest = nullptr;
  for (const std::string& key : {keys_.target(kAllRouters), keys_.target(options_.node_id)}) {
    auto it = targets_.find(key);
    if (it != targets_.end() && (!newest || it->second.mod_revision > newest->mod_revision))
      newest = &it->second;
  }
  if (!newest) return;
  if (newest->key == evaluated_key_ && newest->mod_revision == evaluated_revision_) return;
  evaluated_key_ = newest->key;
  evaluated_revision_ = newest->mod_revision;
  const KeyValue& kv = *newest;
  if (options_.follower) {
    refuse(kv,
           "this router follows governance (--gov-genesis): a bundle carries no passed "
           "proposal, so it is not applied");
    publish_record();
    return;
  }

  PolicyBundle bundle;
  try {
    bundle = decode_bundle(kv.value);
  } catch (const BundleError& e) {
    refuse(kv, std::string("not a policy bundle: ") + e.what());
    return;
  }
  // The key is what routers select on; a bundle moved under another key is tampering.
  if (keys_.target(bundle.target) != kv.key) {
    refuse(kv, "bundle addressed to '" + bundle.target + "' stored under " + kv.key);
    return;
  }
  const std::string origin = "etcd:" + kv.key + "@" + std::to_string(kv.mod_revision);
  if (std::optional<std::string> refused = router_.apply(bundle, origin)) {
    refuse(kv, *refused);
    publish_record();
    return;
  }
  {
    std::lock_guard lock(mutex_);
    ++status_.bundles_applied;
  }
  // Tell the mesh now rather than at the next report: publishers wait on it.
  publish_record();
}

}  // namespace westworld::mesh

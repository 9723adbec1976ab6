// A router's membership in the mesh, run on its own thread so that etcd being slow or
// gone never stalls the agent's event loop:
// - registers `routers/<id>` under a lease it renews (keys vanish when a router dies),
//   and republishes its record every report interval;
// - list-then-watches `policy/` (Cilium's pattern: list, watch from the listed
//   revision + 1, and on any error or compaction start over with a fresh list);
// - hands the newest bundle addressed to it (its id or "all") to the router, which
//   verifies and applies it or refuses it; refusals are counted and published;
// - with governance, hands the rollouts under `policy/rollout/` to the follower instead;
// - when etcd is unreachable it keeps the router as it is (the guard keeps enforcing its
//   last policy), reports the outage, and retries with capped exponential backoff.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "westworld/common/clock.h"
#include "westworld/mesh/keys.h"
#include "westworld/mesh/kv_store.h"
#include "westworld/mesh/local_router.h"
#include "westworld/mesh/policy_follower.h"

namespace westworld::mesh {

struct MeshMemberOptions {
  std::string node_id;
  std::string mesh_name = "default";
  std::string address;
  std::string version;
  bool insecure_open_mesh = false;
  std::chrono::seconds lease_ttl{10};
  std::chrono::milliseconds report_interval{2000};
  std::chrono::milliseconds max_backoff{5000};
  // The registry is counted (for the mass-change rule's mesh size) every this many
  // reports: a count touches every registration, so counting on each report would cost
  // etcd O(routers^2) per interval across the mesh.
  int count_every_reports = 5;
  // With governance (--gov-genesis): rollouts go to the follower and bundles under
  // policy/target/ are refused, since they carry no passed proposal.
  PolicyFollower* follower = nullptr;
};

// What `wwctl status` and the metrics show about the mesh link.
struct MeshLinkStatus {
  bool connected = false;
  std::string endpoint;            // the etcd member in use
  std::string last_error;          // the latest failure, while disconnected
  int64_t disconnected_since = 0;  // Unix seconds; 0 while connected
  uint64_t outages = 0;            // connection losses since start
  LeaseId lease = 0;
  uint64_t registered_routers = 0;
  uint64_t bundles_applied = 0;
  uint64_t refusals = 0;
  std::optional<Refusal> last_refusal;
};

class MeshMember {
 public:
  MeshMember(KvStore& store, LocalRouter& router, MeshMemberOptions options,
             const common::Clock& clock);
  ~MeshMember();  // stops
  MeshMember(const MeshMember&) = delete;
  MeshMember& operator=(const MeshMember&) = delete;

  void start();
  // Stops the thread and revokes the registration (best effort: etcd may be gone).
  void stop();

  MeshLinkStatus status() const;
  const MeshKeys& keys() const { return keys_; }

 private:
  void run();
  // One connected period: register, list, watch until an error (thrown) or stop.
  void session();
  void publish_record();
  // Evaluates the newest bundle addressed to this router, once per revision.
  void reconcile();
  void reconcile_bundles();
  void refuse(const KeyValue& kv, const std::string& reason);
  void record_refusal(Refusal refusal);
  void note_failure(const std::string& what);
  bool wait_for_stop(std::chrono::milliseconds duration);

  KvStore& store_;
  LocalRouter& router_;
  MeshMemberOptions options_;
  const common::Clock& clock_;
  MeshKeys keys_;
  int64_t started_ = 0;
  int reports_ = 0;  // mesh thread only

  // Mesh thread only.
  std::map<std::string, KeyValue> targets_;   // target keys addressed to this router
  std::map<std::string, KeyValue> rollouts_;  // every rollout record
  bool rollouts_changed_ = false;
  std::string evaluated_key_;
  Revision evaluated_revision_ = 0;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  MeshLinkStatus status_;
  std::thread thread_;
};

}  // namespace westworld::mesh

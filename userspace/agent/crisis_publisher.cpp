#include "westworld/agent/crisis_publisher.h"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <vector>

#include "westworld/quests/crisis_record.h"
#include "westworld/quests/mesh_crises.h"

namespace westworld::agent {

CrisisPublisher::CrisisPublisher(std::unique_ptr<mesh::KvStore> store, const std::string& mesh_name,
                                 std::string node_id, capability::Ed25519KeyPair key,
                                 quests::CrisisBoard& board, const common::Clock& clock)
    : store_(std::move(store)),
      keys_(mesh_name),
      node_id_(std::move(node_id)),
      key_(std::move(key)),
      board_(board),
      clock_(clock) {
  mesh::check_mesh_name(node_id_, "node id");
  // The member key lives as long as the agent: keep it out of swap and core dumps' reach.
  if (sodium_mlock(&key_, sizeof key_) != 0)
    spdlog::warn("crises: could not lock the member key in memory (RLIMIT_MEMLOCK?)");
}

CrisisPublisher::~CrisisPublisher() {
  stop();
  sodium_munlock(&key_, sizeof key_);  // also wipes it
}

void CrisisPublisher::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void CrisisPublisher::stop() {
  {
    std::lock_guard lock(mutex_);
    if (!thread_.joinable()) return;
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void CrisisPublisher::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

uint64_t CrisisPublisher::published() const {
  std::lock_guard lock(mutex_);
  return published_.size();
}

void CrisisPublisher::run() {
  for (;;) {
    publish_open_crises();
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, kRetry, [this] { return stopping_ || woken_; });
    if (stopping_) return;
    woken_ = false;
  }
}

bool CrisisPublisher::publish_open_crises() {
  std::vector<quests::Crisis> open;
  try {
    open = board_.closing_after(clock_.now());
  } catch (const std::exception& e) {
    spdlog::error("crises: cannot read the board to publish them: {}", e.what());
    return false;
  }
  quests::MeshCrisisStore crises(*store_, keys_);
  for (const quests::Crisis& crisis : open) {
    {
      std::lock_guard lock(mutex_);
      if (published_.count(crisis.id)) continue;
    }
    try {
      const bool created = crises.publish(quests::signed_crisis_record(crisis, node_id_, key_));
      std::lock_guard lock(mutex_);
      published_.insert(crisis.id);
      if (failing_) spdlog::info("crises: etcd is back; publishing");
      failing_ = false;
      spdlog::info("crisis {} {} mesh '{}' as {}", crisis.id,
                   created ? "published to" : "was already published to", keys_.mesh(),
                   keys_.quest_crisis(quests::crisis_kind_name(crisis.kind),
                                      crisis.opened_at.time_since_epoch().count(), node_id_));
    } catch (const mesh::KvError& e) {
      std::lock_guard lock(mutex_);
      if (!failing_)
        spdlog::warn("crises: cannot publish crisis {} to mesh '{}' ({}); retrying every {} s",
                     crisis.id, keys_.mesh(), e.what(), kRetry.count());
      failing_ = true;
      return false;
    }
  }
  return true;
}

}  // namespace westworld::agent

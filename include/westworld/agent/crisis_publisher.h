// Publishes the crises this router's detectors open to its mesh, each signed with the router's
// member key (--node-key), so that every member that helped with a flood may claim the crisis
// quests it opened (quests/mesh_crises.h), not only this router.
//
// It runs on a thread of its own: a write to etcd blocks for up to the client's timeout, and
// crises are opened on the event loop that serves wwctl and the detectors. On start, whenever
// woken (a crisis opened) and every kRetry, it publishes each crisis on the board that is still
// open and not yet published. The key is create-only and the record deterministic (an Ed25519
// signature over the same fields), so a crisis published before a restart is simply found
// there: "already published" counts as published.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "westworld/capability/ed25519.h"
#include "westworld/common/clock.h"
#include "westworld/mesh/keys.h"
#include "westworld/mesh/kv_store.h"
#include "westworld/quests/crisis_board.h"

namespace westworld::agent {

class CrisisPublisher {
 public:
  static constexpr std::chrono::seconds kRetry{5};

  CrisisPublisher(std::unique_ptr<mesh::KvStore> store, const std::string& mesh_name,
                  std::string node_id, capability::Ed25519KeyPair key, quests::CrisisBoard& board,
                  const common::Clock& clock);
  ~CrisisPublisher();  // stops the thread
  CrisisPublisher(const CrisisPublisher&) = delete;
  CrisisPublisher& operator=(const CrisisPublisher&) = delete;

  void start();
  void stop();
  // A crisis may have opened: publish now rather than at the next retry.
  void wake();
  // Crises published (or found published) since start.
  uint64_t published() const;

 private:
  void run();
  // One pass over the board's open crises; false when etcd could not be written.
  bool publish_open_crises();

  std::unique_ptr<mesh::KvStore> store_;
  mesh::MeshKeys keys_;
  std::string node_id_;
  capability::Ed25519KeyPair key_;
  quests::CrisisBoard& board_;
  const common::Clock& clock_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool woken_ = false;
  std::set<int64_t> published_;  // board ids
  bool failing_ = false;         // logged once per outage
  std::thread thread_;
};

}  // namespace westworld::agent

// The shared state of a mesh is kept in etcd; the rest of Westworld sees it only through
// this interface, so the transport (today etcd's v3 JSON gateway) can change without
// touching the registry, the policy watcher or governance.
//
// Operations are blocking and bounded by the store's timeout: the agent runs them on its
// mesh thread, never on the event loop that serves wwctl and the detectors.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace westworld::mesh {

using Revision = int64_t;  // etcd's store revision: grows by one per write, never reused
using LeaseId = int64_t;   // 0: no lease

struct KeyValue {
  std::string key;
  std::string value;
  Revision create_revision = 0;
  Revision mod_revision = 0;
  int64_t version = 0;  // writes since creation
  LeaseId lease = 0;
};

struct RangeReply {
  std::vector<KeyValue> kvs;
  Revision revision = 0;  // the store's revision the reply was read at
};

// One condition of a transaction. Every condition must hold for the writes to happen.
struct Compare {
  enum class Field { create_revision, mod_revision };
  std::string key;
  Field field = Field::mod_revision;
  Revision equals = 0;

  // The key does not exist (create-only writes).
  static Compare absent(std::string key) { return {std::move(key), Field::create_revision, 0}; }
  // The key was last written at `revision` (compare-and-swap).
  static Compare unchanged_since(std::string key, Revision revision) {
    return {std::move(key), Field::mod_revision, revision};
  }
};

struct Put {
  std::string key;
  std::string value;
  LeaseId lease = 0;
};

struct Txn {
  std::vector<Compare> when;
  std::vector<Put> then;
};

struct TxnReply {
  bool succeeded = false;
  Revision revision = 0;
};

struct Lease {
  LeaseId id = 0;
  std::chrono::seconds ttl{0};  // what etcd granted (it may raise a short TTL)
};

struct WatchEvent {
  enum class Kind { put, erase };
  Kind kind = Kind::put;
  KeyValue kv;  // for an erase: the key and the revision of the deletion
};

struct WatchBatch {
  std::vector<WatchEvent> events;
  Revision revision = 0;  // the store's revision when the batch was sent
};

// Why an operation failed, so callers can react to what matters (re-grant a lost lease,
// re-list after a compaction, back off while the cluster is unreachable).
class KvError : public std::runtime_error {
 public:
  enum class Kind {
    unavailable,        // no endpoint answered in time, or the cluster has no quorum
    lease_not_found,    // the lease expired or was revoked
    compacted,          // the revision asked for has been compacted away: re-list
    permission_denied,  // authentication or authorization refused
    rejected,           // etcd refused the request (too large, too many operations...)
    protocol,           // a reply that does not parse as what etcd sends
  };
  KvError(Kind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

const char* kv_error_kind_name(KvError::Kind kind);

// A stream of changes under a prefix, starting at a revision. It ends (throws) on any
// error; the caller then re-lists and starts a new watch (Cilium's list-then-watch).
class Watch {
 public:
  virtual ~Watch() = default;
  // The next batch of changes; nullopt when none arrived within `timeout`. Throws
  // KvError: `compacted` when the start revision is gone, `unavailable` when the
  // stream broke.
  virtual std::optional<WatchBatch> next(std::chrono::milliseconds timeout) = 0;
};

class KvStore {
 public:
  virtual ~KvStore() = default;

  // One key (kvs has 0 or 1 element), or every key starting with `prefix`.
  virtual RangeReply get(std::string_view key) = 0;
  virtual RangeReply list(std::string_view prefix) = 0;
  // How many keys start with `prefix` (without reading them).
  virtual int64_t count(std::string_view prefix) = 0;

  virtual Revision put(const Put& put) = 0;
  // Deletes one key; returns how many keys were deleted (0 or 1).
  virtual int64_t erase(std::string_view key) = 0;
  virtual TxnReply txn(const Txn& txn) = 0;

  virtual Lease grant_lease(std::chrono::seconds ttl) = 0;
  // Renews the lease; returns its remaining TTL. Throws lease_not_found once it expired.
  virtual std::chrono::seconds keep_alive(LeaseId lease) = 0;
  virtual void revoke_lease(LeaseId lease) = 0;

  // Changes under `prefix` from revision `from` on (inclusive).
  virtual std::unique_ptr<Watch> watch(std::string_view prefix, Revision from) = 0;

  // Drops history before `revision` (operators and tests).
  virtual void compact(Revision revision) = 0;
};

// The key just after every key starting with `prefix`, etcd's range_end for a prefix.
std::string prefix_end(std::string_view prefix);

}  // namespace westworld::mesh

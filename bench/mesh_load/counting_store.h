// A KvStore that forwards to another and counts the requests it sends, so the load tool
// reports the request rate etcd serves without scraping etcd.
#pragma once

#include <atomic>
#include <cstdint>

#include "westworld/mesh/kv_store.h"

namespace westworld::mesh_load {

struct RequestCounter {
  std::atomic<uint64_t> requests{0};
  std::atomic<uint64_t> errors{0};
};

class CountingStore final : public mesh::KvStore {
 public:
  CountingStore(mesh::KvStore& inner, RequestCounter& counter) : inner_(inner), counter_(counter) {}

  mesh::RangeReply get(std::string_view key) override { return counted([&] { return inner_.get(key); }); }
  mesh::RangeReply list(std::string_view prefix) override {
    return counted([&] { return inner_.list(prefix); });
  }
  int64_t count(std::string_view prefix) override {
    return counted([&] { return inner_.count(prefix); });
  }
  mesh::Revision put(const mesh::Put& put) override {
    return counted([&] { return inner_.put(put); });
  }
  int64_t erase(std::string_view key) override { return counted([&] { return inner_.erase(key); }); }
  mesh::TxnReply txn(const mesh::Txn& txn) override {
    return counted([&] { return inner_.txn(txn); });
  }
  mesh::Lease grant_lease(std::chrono::seconds ttl) override {
    return counted([&] { return inner_.grant_lease(ttl); });
  }
  std::chrono::seconds keep_alive(mesh::LeaseId lease) override {
    return counted([&] { return inner_.keep_alive(lease); });
  }
  void revoke_lease(mesh::LeaseId lease) override {
    counted([&] {
      inner_.revoke_lease(lease);
      return 0;
    });
  }
  std::unique_ptr<mesh::Watch> watch(std::string_view prefix, mesh::Revision from) override {
    return counted([&] { return inner_.watch(prefix, from); });
  }
  void compact(mesh::Revision revision) override {
    counted([&] {
      inner_.compact(revision);
      return 0;
    });
  }

 private:
  template <typename Call>
  auto counted(Call&& call) -> decltype(call()) {
    counter_.requests.fetch_add(1, std::memory_order_relaxed);
    try {
      return call();
    } catch (...) {
      counter_.errors.fetch_add(1, std::memory_order_relaxed);
      throw;
    }
  }

  mesh::KvStore& inner_;
  RequestCounter& counter_;
};

}  // namespace westworld::mesh_load

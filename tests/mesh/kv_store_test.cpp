// The KvStore over etcd's gateway against a real etcd (Debian's etcd-server) started by the
// test on its own ports: every operation the mesh relies on, and each gateway quirk.
#include <gtest/gtest.h>

#include <thread>

#include "shared_etcd_test.h"
#include "westworld/harness/polling.h"
#include "westworld/mesh/etcd_gateway.h"

namespace westworld::mesh {
namespace {

using namespace std::chrono_literals;

class KvStoreTest : public harness::SharedEtcdTest {
 protected:
  void SetUp() override {
    EtcdOptions options;
    options.endpoints = parse_endpoints(cluster_->endpoints());
    options.timeout = 3s;
    store_ = std::make_unique<EtcdGateway>(options);
    // Each test gets its own prefix in the shared cluster.
    prefix_ =
        std::string("/t/") + ::testing::UnitTest::GetInstance()->current_test_info()->name() + "/";
  }

  std::string key(const std::string& name) const { return prefix_ + name; }

  std::unique_ptr<EtcdGateway> store_;
  std::string prefix_;
};

TEST_F(KvStoreTest, PutThenGetReturnsTheValueAndItsRevisions) {
  const Revision first = store_->put({key("a"), std::string("v1\0x", 4)});
  const Revision second = store_->put({key("a"), "v2"});
  EXPECT_GT(second, first);
  const RangeReply reply = store_->get(key("a"));
  ASSERT_EQ(reply.kvs.size(), 1u);
  EXPECT_EQ(reply.kvs[0].value, "v2");
  EXPECT_EQ(reply.kvs[0].create_revision, first);
  EXPECT_EQ(reply.kvs[0].mod_revision, second);
  EXPECT_EQ(reply.kvs[0].version, 2);
  EXPECT_GE(reply.revision, second);
  EXPECT_TRUE(store_->get(key("missing")).kvs.empty());
}

TEST_F(KvStoreTest, BinaryValuesSurviveTheRoundTrip) {
  std::string binary;
  for (int i = 0; i < 256; ++i) binary.push_back(static_cast<char>(i));
  store_->put({key("bin"), binary});
  EXPECT_EQ(store_->get(key("bin")).kvs.at(0).value, binary);
}

TEST_F(KvStoreTest, ListReturnsExactlyThePrefix) {
  store_->put({key("x/1"), "1"});
  store_->put({key("x/2"), "2"});
  store_->put({key("x0"), "outside"});  // '0' follows '/': the first key after the prefix
  const RangeReply reply = store_->list(key("x/"));
  ASSERT_EQ(reply.kvs.size(), 2u);
  EXPECT_EQ(reply.kvs[0].key, key("x/1"));
  EXPECT_EQ(reply.kvs[1].key, key("x/2"));
}

TEST_F(KvStoreTest, CreateOnlySucceedsOnce) {
  const Txn create{{Compare::absent(key("once"))}, {Put{key("once"), "first"}}};
  EXPECT_TRUE(store_->txn(create).succeeded);
  const Txn again{{Compare::absent(key("once"))}, {Put{key("once"), "second"}}};
  EXPECT_FALSE(store_->txn(again).succeeded);  // the gateway omits `succeeded` here
  EXPECT_EQ(store_->get(key("once")).kvs.at(0).value, "first");
}

TEST_F(KvStoreTest, CompareAndSwapFailsOnAStaleRevision) {
  const Revision written = store_->put({key("cas"), "0"});
  EXPECT_TRUE(store_->txn({{Compare::unchanged_since(key("cas"), written)}, {{key("cas"), "1"}}})
                  .succeeded);
  EXPECT_FALSE(store_->txn({{Compare::unchanged_since(key("cas"), written)}, {{key("cas"), "2"}}})
                   .succeeded);
  EXPECT_EQ(store_->get(key("cas")).kvs.at(0).value, "1");
}

TEST_F(KvStoreTest, EraseDeletesOneKey) {
  store_->put({key("gone"), "x"});
  EXPECT_EQ(store_->erase(key("gone")), 1);
  EXPECT_EQ(store_->erase(key("gone")), 0);
  EXPECT_TRUE(store_->get(key("gone")).kvs.empty());
}

TEST_F(KvStoreTest, LeaseKeepsItsKeyUntilRevoked) {
  const Lease lease = store_->grant_lease(30s);
  EXPECT_GT(lease.id, 0);
  EXPECT_GE(lease.ttl, 30s);
  store_->put({key("leased"), "x", lease.id});
  EXPECT_EQ(store_->get(key("leased")).kvs.at(0).lease, lease.id);
  EXPECT_GT(store_->keep_alive(lease.id), 0s);
  store_->revoke_lease(lease.id);
  EXPECT_TRUE(store_->get(key("leased")).kvs.empty());
}

TEST_F(KvStoreTest, AnExpiredLeaseIsReportedNotFound) {
  // etcd raises a short TTL to its minimum (1.5 election timeouts, 0.3 s here): 1 s holds.
  const Lease lease = store_->grant_lease(1s);
  store_->put({key("short"), "x", lease.id});
  // The keepalive on an expired lease answers without TTL and without error: it must
  // still be reported as lost, and a put on it refused as lease_not_found.
  ASSERT_TRUE(harness::eventually(10s, [&] { return store_->get(key("short")).kvs.empty(); }));
  try {
    store_->keep_alive(lease.id);
    FAIL() << "keepalive on an expired lease succeeded";
  } catch (const KvError& e) {
    EXPECT_EQ(e.kind(), KvError::Kind::lease_not_found) << e.what();
  }
  try {
    store_->put({key("short"), "y", lease.id});
    FAIL() << "put on an expired lease succeeded";
  } catch (const KvError& e) {
    EXPECT_EQ(e.kind(), KvError::Kind::lease_not_found) << e.what();
  }
}

TEST_F(KvStoreTest, WatchReplaysFromARevisionThenFollows) {
  const Revision first = store_->put({key("w/a"), "1"});
  store_->put({key("w/a"), "2"});
  auto watch = store_->watch(key("w/"), first);
  std::vector<WatchEvent> seen;
  ASSERT_TRUE(harness::eventually(5s, [&] {
    if (auto batch = watch->next(200ms))
      for (auto& event : batch->events) seen.push_back(event);
    return seen.size() >= 2;
  }));
  EXPECT_EQ(seen[0].kv.value, "1");
  EXPECT_EQ(seen[1].kv.value, "2");
  EXPECT_EQ(seen[1].kind, WatchEvent::Kind::put);  // put events carry no type on the wire

  // Nothing new: the watch times out quietly and stays usable.
  EXPECT_FALSE(watch->next(100ms).has_value());
  store_->erase(key("w/a"));
  store_->put({key("other"), "outside the prefix"});
  std::optional<WatchBatch> batch;
  ASSERT_TRUE(harness::eventually(5s, [&] { return (batch = watch->next(200ms)).has_value(); }));
  ASSERT_EQ(batch->events.size(), 1u);
  EXPECT_EQ(batch->events[0].kind, WatchEvent::Kind::erase);
  EXPECT_EQ(batch->events[0].kv.key, key("w/a"));
}

TEST_F(KvStoreTest, AnExpiringLeaseShowsAsADeleteToWatchers) {
  const Lease lease = store_->grant_lease(1s);
  const Revision at = store_->put({key("hb/node"), "alive", lease.id});
  auto watch = store_->watch(key("hb/"), at + 1);
  std::optional<WatchEvent> gone;
  ASSERT_TRUE(harness::eventually(10s, [&] {
    if (auto batch = watch->next(200ms))
      for (auto& event : batch->events)
        if (event.kind == WatchEvent::Kind::erase) gone = event;
    return gone.has_value();
  }));
  EXPECT_EQ(gone->kv.key, key("hb/node"));
}

TEST_F(KvStoreTest, WatchFromACompactedRevisionAsksForARelist) {
  const Revision old = store_->put({key("c/a"), "1"});
  const Revision now = store_->put({key("c/a"), "2"});
  store_->compact(now);
  try {
    auto watch = store_->watch(key("c/"), old);
    // etcd accepts the watch, then cancels it with the compaction revision.
    for (int i = 0; i < 50; ++i) watch->next(100ms);
    FAIL() << "a watch from a compacted revision kept running";
  } catch (const KvError& e) {
    EXPECT_EQ(e.kind(), KvError::Kind::compacted) << e.what();
  }
  // A range at a compacted revision is refused the same way, and a re-list works.
  EXPECT_EQ(store_->list(key("c/")).kvs.at(0).value, "2");
}

TEST_F(KvStoreTest, ClusterStatusNamesTheLeader) {
  const auto status = store_->cluster_status();
  EXPECT_FALSE(status.leader_id.empty());
  EXPECT_NE(status.leader_id, "0");
  EXPECT_EQ(status.leader_id, status.member_id);  // one member leads itself
  EXPECT_GT(status.revision, 0);
  EXPECT_TRUE(status.version.starts_with("3.")) << status.version;
}

TEST(KvStoreUnreachable, NoEndpointAnsweringIsUnavailableWithinTheTimeout) {
  EtcdOptions options;
  const int port = harness::free_local_port();  // nobody listens there
  options.endpoints = parse_endpoints("http://127.0.0.1:" + std::to_string(port));
  options.timeout = 500ms;
  EtcdGateway store(options);
  try {
    store.get("/x");
    FAIL();
  } catch (const KvError& e) {
    EXPECT_EQ(e.kind(), KvError::Kind::unavailable);
    EXPECT_NE(std::string(e.what()).find(std::to_string(port)), std::string::npos) << e.what();
  }
}

TEST(KvStoreCluster, LosingOneMemberOfThreeChangesNothingVisible) {
  harness::EtcdCluster cluster(harness::EtcdClusterOptions::of(3));
  EtcdOptions options;
  options.endpoints = parse_endpoints(cluster.endpoints());
  options.timeout = 2s;
  EtcdGateway store(options);
  store.put({"/t/three", "before"});
  // Kill the member this client talks to: the next call moves to another one.
  const std::string used = store.current_endpoint().url();
  int victim = 0;
  for (int i = 0; i < cluster.size(); ++i)
    if (cluster.client_url(i) == used) victim = i;
  cluster.kill(victim);
  // A leader loss needs an election (~0.2 s with the test timers): retry until it settles.
  ASSERT_TRUE(harness::eventually(10s, [&] {
    try {
      store.put({"/t/three", "after"});
      return true;
    } catch (const KvError&) {
      return false;
    }
  })) << cluster.logs();
  EXPECT_EQ(store.get("/t/three").kvs.at(0).value, "after");
  EXPECT_NE(store.current_endpoint().url(), used);
}

}  // namespace
}  // namespace westworld::mesh

// The decoder against reply bodies as etcd 3.4.23's gateway sends them (captured with curl,
// see docs/notes): omitted zero fields, int64s as strings, base64 keys and values.
#include "etcd_json.h"

#include <gtest/gtest.h>

namespace westworld::mesh::etcd_json {
namespace {

constexpr const char* kHeader =
    R"("header":{"cluster_id":"14841639068965178418","member_id":"10276657743932975437",)"
    R"("revision":"7","raft_term":"2"})";

TEST(EtcdJson, RangeReplyDecodesBase64AndStringInt64s) {
  const std::string body = std::string("{") + kHeader +
                           R"(,"kvs":[{"key":"L2EvYg==","create_revision":"5",)"
                           R"("mod_revision":"6","version":"2","value":"aGk=","lease":"42"}],)"
                           R"("count":"1"})";
  const RangeReply reply = range_reply(body);
  EXPECT_EQ(reply.revision, 7);
  ASSERT_EQ(reply.kvs.size(), 1u);
  EXPECT_EQ(reply.kvs[0].key, "/a/b");
  EXPECT_EQ(reply.kvs[0].value, "hi");
  EXPECT_EQ(reply.kvs[0].create_revision, 5);
  EXPECT_EQ(reply.kvs[0].mod_revision, 6);
  EXPECT_EQ(reply.kvs[0].version, 2);
  EXPECT_EQ(reply.kvs[0].lease, 42);
}

TEST(EtcdJson, EmptyRangeHasNoKvsField) {
  const RangeReply reply = range_reply(std::string("{") + kHeader + "}");
  EXPECT_TRUE(reply.kvs.empty());
  EXPECT_EQ(reply.revision, 7);
}

TEST(EtcdJson, AnEmptyValueIsOmitted) {
  const RangeReply reply = range_reply(std::string("{") + kHeader +
                                       R"(,"kvs":[{"key":"aw==","create_revision":"3",)"
                                       R"("mod_revision":"3","version":"1"}]})");
  ASSERT_EQ(reply.kvs.size(), 1u);
  EXPECT_EQ(reply.kvs[0].value, "");
}

TEST(EtcdJson, AFailedTxnHasNoSucceededField) {
  EXPECT_FALSE(txn_reply(std::string("{") + kHeader + R"(,"responses":[]})").succeeded);
  EXPECT_TRUE(
      txn_reply(std::string("{") + kHeader + R"(,"succeeded":true,"responses":[]})").succeeded);
}

TEST(EtcdJson, KeepAliveWithoutTtlMeansTheLeaseExpired) {
  const std::string expired = std::string(R"({"result":{)") + kHeader + R"(,"ID":"7587"}})";
  try {
    keep_alive_reply(expired, 7587);
    FAIL() << "an expired lease was reported alive";
  } catch (const KvError& e) {
    EXPECT_EQ(e.kind(), KvError::Kind::lease_not_found);
  }
  const std::string alive = std::string(R"({"result":{)") + kHeader + R"(,"ID":"7587","TTL":"5"}})";
  EXPECT_EQ(keep_alive_reply(alive, 7587), std::chrono::seconds(5));
}

TEST(EtcdJson, PutEventsHaveNoType) {
  const std::string line = std::string(R"({"result":{)") + kHeader +
                           R"(,"events":[{"kv":{"key":"YQ==","create_revision":"8",)"
                           R"("mod_revision":"8","version":"1","value":"MQ=="}},)"
                           R"({"type":"DELETE","kv":{"key":"Yg==","mod_revision":"9"}}]}})";
  const WatchMessage message = watch_message(line);
  ASSERT_EQ(message.batch.events.size(), 2u);
  EXPECT_EQ(message.batch.events[0].kind, WatchEvent::Kind::put);
  EXPECT_EQ(message.batch.events[0].kv.value, "1");
  EXPECT_EQ(message.batch.events[1].kind, WatchEvent::Kind::erase);
  EXPECT_EQ(message.batch.events[1].kv.key, "b");
  EXPECT_FALSE(message.canceled);
}

TEST(EtcdJson, CompactedWatchIsCancelledWithTheCompactRevision) {
  const WatchMessage message = watch_message(std::string(R"({"result":{)") + kHeader +
                                             R"(,"canceled":true,"compact_revision":"7"}})");
  EXPECT_TRUE(message.canceled);
  EXPECT_EQ(message.compact_revision, 7);
}

TEST(EtcdJson, ErrorRepliesMapToKinds) {
  auto kind_of = [](unsigned status, const std::string& body) {
    try {
      check_reply(status, body);
    } catch (const KvError& e) {
      return e.kind();
    }
    ADD_FAILURE() << "no error for " << body;
    return KvError::Kind::protocol;
  };
  EXPECT_EQ(kind_of(404, R"({"error":"etcdserver: requested lease not found","code":5,)"
                         R"("message":"etcdserver: requested lease not found"})"),
            KvError::Kind::lease_not_found);
  EXPECT_EQ(kind_of(400, R"({"error":"x","code":11,"message":"etcdserver: mvcc: required )"
                         R"(revision has been compacted"})"),
            KvError::Kind::compacted);
  EXPECT_EQ(kind_of(503, R"({"error":"x","code":14,"message":"etcdserver: request timed out"})"),
            KvError::Kind::unavailable);
  EXPECT_EQ(kind_of(400, R"({"error":"x","code":3,"message":"etcdserver: user name is empty"})"),
            KvError::Kind::permission_denied);
  EXPECT_EQ(
      kind_of(
          400,
          R"({"code":3,"message":"etcdserver: authentication failed, invalid user ID or password"})"),
      KvError::Kind::permission_denied);
  EXPECT_EQ(kind_of(400, R"({"error":"x","code":3,"message":"etcdserver: too many operations"})"),
            KvError::Kind::rejected);
  EXPECT_EQ(kind_of(502, "<html>bad gateway</html>"), KvError::Kind::protocol);
}

TEST(EtcdJson, MalformedRepliesAreProtocolErrorsNotZeros) {
  for (const char* body : {"not json", "[]", R"({"kvs":[{"key":"***"}]})",
                           R"({"header":{"revision":"7x"}})", R"({"kvs":"no"})"}) {
    try {
      range_reply(body);
      ADD_FAILURE() << "accepted " << body;
    } catch (const KvError& e) {
      EXPECT_EQ(e.kind(), KvError::Kind::protocol) << body;
    }
  }
}

TEST(EtcdJson, RequestsEncodeKeysAsBase64AndInt64sAsStrings) {
  EXPECT_EQ(put_request(Put{"/a", "hi", 42}), R"({"key":"L2E=","lease":"42","value":"aGk="})");
  EXPECT_EQ(txn_request(Txn{{Compare::absent("/a")}, {Put{"/a", "x", 0}}}),
            R"({"compare":[{"create_revision":"0","key":"L2E=","result":"EQUAL",)"
            R"("target":"CREATE"}],"success":[{"request_put":{"key":"L2E=","value":"eA=="}}]})");
  EXPECT_EQ(watch_request("/a/", 9),
            R"({"create_request":{"key":"L2Ev","range_end":"L2Ew","start_revision":"9"}})");
}

}  // namespace
}  // namespace westworld::mesh::etcd_json

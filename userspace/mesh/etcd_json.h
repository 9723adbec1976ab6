// The one place that writes and reads etcd's v3 gateway JSON. Keys and values travel as
// base64, int64s as decimal strings, and zero values are omitted (a failed txn has no
// `succeeded`, a PUT event no `type`, a keepalive on an expired lease no `TTL`), so every
// field is read as "absent means zero" and then checked for what it must be.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "westworld/mesh/kv_store.h"

namespace westworld::mesh::etcd_json {

// Requests: the body for each gateway path.
std::string range_request(std::string_view key, std::optional<std::string> range_end,
                          bool count_only = false);
std::string put_request(const Put& put);
std::string delete_request(std::string_view key);
std::string txn_request(const Txn& txn);
std::string lease_grant_request(std::chrono::seconds ttl);
std::string lease_id_request(LeaseId lease);
std::string watch_request(std::string_view prefix, Revision from);
std::string compaction_request(Revision revision);
std::string authenticate_request(std::string_view user, std::string_view password);

// Replies. `status` is the HTTP status; a non-200 reply (or a body with an `error`)
// throws the KvError its gRPC code maps to. Malformed replies throw KvError(protocol).
void check_reply(unsigned status, std::string_view body);
RangeReply range_reply(std::string_view body);
int64_t range_count(std::string_view body);
Revision header_revision(std::string_view body);
int64_t deleted_count(std::string_view body);
TxnReply txn_reply(std::string_view body);
Lease lease_grant_reply(std::string_view body);
// The renewed TTL; throws KvError(lease_not_found) when etcd answers without one.
std::chrono::seconds keep_alive_reply(std::string_view body, LeaseId lease);
std::string authenticate_reply(std::string_view body);

// One message of the watch stream (one line of its NDJSON body).
struct WatchMessage {
  bool created = false;
  bool canceled = false;
  Revision compact_revision = 0;
  std::string cancel_reason;
  WatchBatch batch;
};
WatchMessage watch_message(std::string_view line);

struct StatusReply {
  std::string member_id;
  std::string leader_id;
  Revision revision = 0;
  std::string version;
};
StatusReply status_reply(std::string_view body);

// The KvError for a gRPC status code and message, as etcd reports them.
KvError error_for(int grpc_code, const std::string& message);

}  // namespace westworld::mesh::etcd_json

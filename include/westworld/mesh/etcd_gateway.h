// KvStore over etcd's v3 gRPC-JSON gateway (etcd 3.4, Debian's etcd-server), spoken with
// Boost.Beast. Why the gateway rather than a generated gRPC client: each router needs one
// lease and one or two watches, every call below works on Debian's etcd 3.4, and it adds
// no dependency and no thread model next to the agent's Asio loop. The gateway's quirks
// (omitted zero fields, int64s as strings, keepalive on an expired lease "succeeding"
// without a TTL) are handled in one decoder, etcd_json.cpp.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "westworld/mesh/kv_store.h"

namespace westworld::mesh {

struct Endpoint {
  std::string host;
  std::string port;
  bool tls = false;  // https://
  std::string url() const { return (tls ? "https://" : "http://") + host + ":" + port; }
};

// "http://HOST:PORT[,http://HOST:PORT...]", or all https://; throws std::invalid_argument
// naming the bad element.
std::vector<Endpoint> parse_endpoints(std::string_view list);

// TLS to etcd (https:// endpoints): etcd's server certificate must chain to this CA and
// name the endpoint's host or address. etcd's client-certificate auth is not supported;
// its users and passwords are (EtcdOptions::user).
struct EtcdTls {
  std::string ca_file;  // PEM
};

struct EtcdOptions {
  std::vector<Endpoint> endpoints;
  EtcdTls tls;
  // etcd's own users (etcdctl user add); empty: no authentication. The password travels
  // in the clear over http://: use https:// wherever the link is not trusted.
  std::string user;
  std::string password;
  // Per attempt on one endpoint; a call tries each endpoint once before it fails.
  std::chrono::milliseconds timeout{std::chrono::seconds(3)};
};

class EtcdGateway final : public KvStore {
 public:
  explicit EtcdGateway(EtcdOptions options);
  ~EtcdGateway() override;
  EtcdGateway(const EtcdGateway&) = delete;
  EtcdGateway& operator=(const EtcdGateway&) = delete;

  RangeReply get(std::string_view key) override;
  RangeReply list(std::string_view prefix) override;
  int64_t count(std::string_view prefix) override;
  Revision put(const Put& put) override;
  int64_t erase(std::string_view key) override;
  TxnReply txn(const Txn& txn) override;
  Lease grant_lease(std::chrono::seconds ttl) override;
  std::chrono::seconds keep_alive(LeaseId lease) override;
  void revoke_lease(LeaseId lease) override;
  std::unique_ptr<Watch> watch(std::string_view prefix, Revision from) override;
  void compact(Revision revision) override;

  // The endpoint the last successful call used.
  const Endpoint& current_endpoint() const;
  // Cluster facts for `wwctl mesh status`: members' client URLs and the leader's id.
  struct ClusterStatus {
    std::string endpoint;
    std::string member_id;
    std::string leader_id;
    Revision revision = 0;
    std::string version;
  };
  ClusterStatus cluster_status();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace westworld::mesh

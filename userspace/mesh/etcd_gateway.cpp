#include "westworld/mesh/etcd_gateway.h"

#include <algorithm>
#include <optional>
#include <random>
#include <stdexcept>

#include "etcd_json.h"
#include "gateway_watch.h"
#include "http_connection.h"

namespace westworld::mesh {

std::vector<Endpoint> parse_endpoints(std::string_view list) {
  std::vector<Endpoint> endpoints;
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t comma = std::min(list.find(',', start), list.size());
    const std::string_view item = list.substr(start, comma - start);
    start = comma + 1;
    const std::string quoted = "'" + std::string(item) + "'";
    const bool tls = item.starts_with("https://");
    if (!tls && !item.starts_with("http://"))
      throw std::invalid_argument("etcd endpoint " + quoted +
                                  " must look like http://HOST:PORT or https://HOST:PORT");
    if (!endpoints.empty() && endpoints.front().tls != tls)
      throw std::invalid_argument("etcd endpoint " + quoted +
                                  ": mixes http:// and https:// (one cluster, one scheme)");
    std::string_view rest = item.substr(tls ? 8 : 7);
    if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
    const std::size_t colon = rest.rfind(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == rest.size() ||
        rest.find('/') != std::string_view::npos)
      throw std::invalid_argument("etcd endpoint " + quoted +
                                  " must look like http(s)://HOST:PORT");
    const std::string port(rest.substr(colon + 1));
    if (port.find_first_not_of("0123456789") != std::string::npos || port.size() > 5 ||
        std::stoul(port) == 0 || std::stoul(port) > 65535)
      throw std::invalid_argument("etcd endpoint " + quoted + ": bad port '" + port + "'");
    std::string host(rest.substr(0, colon));
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
      host = host.substr(1, host.size() - 2);
    endpoints.push_back(Endpoint{std::move(host), port, tls});
    if (comma == list.size()) break;
  }
  if (endpoints.empty()) throw std::invalid_argument("no etcd endpoint given");
  return endpoints;
}

std::string prefix_end(std::string_view prefix) {
  std::string end(prefix);
  // The smallest key greater than every key with this prefix: increment the last byte
  // that is not 0xff and drop what follows. An all-0xff prefix means "to the end": "\0".
  while (!end.empty()) {
    auto& last = reinterpret_cast<unsigned char&>(end.back());
    if (last < 0xff) {
      ++last;
      return end;
    }
    end.pop_back();
  }
  return std::string(1, '\0');
}

const char* kv_error_kind_name(KvError::Kind kind) {
  switch (kind) {
    case KvError::Kind::unavailable:
      return "unavailable";
    case KvError::Kind::lease_not_found:
      return "lease_not_found";
    case KvError::Kind::compacted:
      return "compacted";
    case KvError::Kind::permission_denied:
      return "permission_denied";
    case KvError::Kind::rejected:
      return "rejected";
    case KvError::Kind::protocol:
      return "protocol";
  }
  return "unknown";
}

struct EtcdGateway::Impl {
  EtcdOptions options;
  std::size_t current = 0;                         // index of the endpoint in use
  std::shared_ptr<boost::asio::ssl::context> tls;  // null for http:// endpoints
  std::optional<HttpConnection> connection;
  std::string token;  // etcd auth token, when a user is configured

  explicit Impl(EtcdOptions o) : options(std::move(o)) {
    if (options.endpoints.empty()) throw std::invalid_argument("no etcd endpoint given");
    if (options.endpoints.front().tls) tls = make_tls_context(options.tls);
    // Routers spread over the members instead of all starting on the first one.
    std::random_device seed;
    std::shuffle(options.endpoints.begin(), options.endpoints.end(), std::mt19937(seed()));
  }

  bool authenticating() const { return !options.user.empty(); }

  HttpReply post_here(std::string_view path, const std::string& body) {
    if (!connection) connection.emplace(options.endpoints[current], tls);
    return connection->post(path, body, token, options.timeout);
  }

  void authenticate() {
    const HttpReply reply = post_here(
        "/v3/auth/authenticate", etcd_json::authenticate_request(options.user, options.password));
    etcd_json::check_reply(reply.status, reply.body);
    token = etcd_json::authenticate_reply(reply.body);
  }

  // One call, on the current endpoint or, when it is unreachable, the next ones in turn.
  std::string call(std::string_view path, const std::string& body) {
    std::optional<KvError> last;
    for (std::size_t tried = 0; tried < options.endpoints.size(); ++tried) {
      try {
        if (authenticating() && token.empty()) authenticate();
        HttpReply reply = post_here(path, body);
        try {
          etcd_json::check_reply(reply.status, reply.body);
        } catch (const KvError& e) {
          // Tokens expire (simple tokens after --auth-token-ttl): authenticate once more.
          if (e.kind() != KvError::Kind::permission_denied || !authenticating()) throw;
          authenticate();
          reply = post_here(path, body);
          etcd_json::check_reply(reply.status, reply.body);
        }
        return std::move(reply.body);
      } catch (const KvError& e) {
        if (e.kind() != KvError::Kind::unavailable) throw;
        last = e;
        connection.reset();
        token.clear();
        current = (current + 1) % options.endpoints.size();
      }
    }
    throw *last;
  }
};

EtcdGateway::EtcdGateway(EtcdOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
EtcdGateway::~EtcdGateway() = default;

RangeReply EtcdGateway::get(std::string_view key) {
  return etcd_json::range_reply(impl_->call("/v3/kv/range", etcd_json::range_request(key, {})));
}

RangeReply EtcdGateway::list(std::string_view prefix) {
  return etcd_json::range_reply(
      impl_->call("/v3/kv/range", etcd_json::range_request(prefix, prefix_end(prefix))));
}

int64_t EtcdGateway::count(std::string_view prefix) {
  return etcd_json::range_count(impl_->call(
      "/v3/kv/range", etcd_json::range_request(prefix, prefix_end(prefix), /*count_only=*/true)));
}

Revision EtcdGateway::put(const Put& put) {
  return etcd_json::header_revision(impl_->call("/v3/kv/put", etcd_json::put_request(put)));
}

int64_t EtcdGateway::erase(std::string_view key) {
  return etcd_json::deleted_count(
      impl_->call("/v3/kv/deleterange", etcd_json::delete_request(key)));
}

TxnReply EtcdGateway::txn(const Txn& txn) {
  return etcd_json::txn_reply(impl_->call("/v3/kv/txn", etcd_json::txn_request(txn)));
}

Lease EtcdGateway::grant_lease(std::chrono::seconds ttl) {
  return etcd_json::lease_grant_reply(
      impl_->call("/v3/lease/grant", etcd_json::lease_grant_request(ttl)));
}

std::chrono::seconds EtcdGateway::keep_alive(LeaseId lease) {
  return etcd_json::keep_alive_reply(
      impl_->call("/v3/lease/keepalive", etcd_json::lease_id_request(lease)), lease);
}

void EtcdGateway::revoke_lease(LeaseId lease) {
  impl_->call("/v3/lease/revoke", etcd_json::lease_id_request(lease));
}

void EtcdGateway::compact(Revision revision) {
  impl_->call("/v3/kv/compaction", etcd_json::compaction_request(revision));
}

std::unique_ptr<Watch> EtcdGateway::watch(std::string_view prefix, Revision from) {
  const std::string body = etcd_json::watch_request(prefix, from);
  std::optional<KvError> last;
  for (std::size_t tried = 0; tried < impl_->options.endpoints.size(); ++tried) {
    try {
      if (impl_->authenticating() && impl_->token.empty()) impl_->authenticate();
      return std::make_unique<GatewayWatch>(impl_->options.endpoints[impl_->current], impl_->tls,
                                            body, impl_->token, impl_->options.timeout);
    } catch (const KvError& e) {
      if (e.kind() != KvError::Kind::unavailable) throw;
      last = e;
      impl_->connection.reset();
      impl_->token.clear();
      impl_->current = (impl_->current + 1) % impl_->options.endpoints.size();
    }
  }
  throw *last;
}

const Endpoint& EtcdGateway::current_endpoint() const {
  return impl_->options.endpoints[impl_->current];
}

EtcdGateway::ClusterStatus EtcdGateway::cluster_status() {
  const etcd_json::StatusReply reply =
      etcd_json::status_reply(impl_->call("/v3/maintenance/status", "{}"));
  return ClusterStatus{current_endpoint().url(), reply.member_id, reply.leader_id, reply.revision,
                       reply.version};
}

}  // namespace westworld::mesh

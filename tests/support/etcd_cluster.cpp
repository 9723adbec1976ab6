#include "etcd_cluster.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <set>
#include <stdexcept>

#include "westworld/harness/netns.h"
#include "westworld/harness/pid_tag.h"
#include "westworld/harness/polling.h"
#include "westworld/harness/text_file.h"
#include "westworld/harness/tool_paths.h"
#include "westworld/mesh/etcd_gateway.h"

namespace westworld::harness {

int free_local_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot find a free port");
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

EtcdCluster::EtcdCluster(EtcdClusterOptions options, std::chrono::milliseconds ready_timeout)
    : options_(std::move(options)) {
  if (options_.members < 1) throw std::invalid_argument("an etcd cluster needs a member");
  remove_leftovers(std::filesystem::temp_directory_path(), "ww-etcd");
  directory_ = make_tagged_directory("ww-etcd");
  token_ = directory_.filename().string();
  std::set<int> taken;
  auto distinct_port = [&] {
    int port = free_local_port();
    while (!taken.insert(port).second) port = free_local_port();
    return port;
  };
  for (int i = 0; i < options_.members; ++i) {
    Member member;
    member.name = "m" + std::to_string(i + 1);
    member.client_port = distinct_port();
    member.peer_port = distinct_port();
    member.data_dir = directory_ / (member.name + ".data");
    member.log_path = directory_ / (member.name + ".log");
    members_.push_back(std::move(member));
  }
  for (Member& member : members_) start(member, true);
  if (!wait_ready(ready_timeout)) {
    const std::string why = logs();
    throw std::runtime_error("etcd cluster did not become ready:\n" + why);
  }
}

EtcdCluster::~EtcdCluster() {
  for (Member& member : members_)
    if (member.process) member.process->kill9();
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
}

void EtcdCluster::start(Member& member, bool first_boot) {
  const std::string host = options_.host;
  auto url = [&](int port) { return "http://" + host + ":" + std::to_string(port); };
  const std::string client_url = this->client_url(static_cast<int>(&member - members_.data()));
  std::string initial_cluster;
  for (const Member& m : members_)
    initial_cluster += (initial_cluster.empty() ? "" : ",") + m.name + "=" + url(m.peer_port);
  std::vector<std::string> etcd = {
      system_tool("etcd"), "--name", member.name, "--data-dir", member.data_dir.string(),
      "--listen-client-urls", client_url, "--advertise-client-urls", client_url,
      "--listen-peer-urls", url(member.peer_port), "--initial-advertise-peer-urls",
      url(member.peer_port), "--initial-cluster", initial_cluster, "--initial-cluster-token",
      token_, "--initial-cluster-state", first_boot ? "new" : "existing",
      // Without it a leader change re-arms every lease to its full TTL (etcd 3.4).
      "--experimental-enable-lease-checkpoint", "--logger", "zap", "--log-level", "warn"};
  if (options_.tls) {
    for (const std::string& flag : {std::string("--cert-file"), options_.tls->cert_file,
                                    std::string("--key-file"), options_.tls->key_file})
      etcd.push_back(flag);
  }
  if (options_.fast_elections) {
    for (const char* flag : {"--heartbeat-interval", "20", "--election-timeout", "200"})
      etcd.emplace_back(flag);
  }
  const std::vector<std::string> argv =
      options_.netns.empty() ? etcd : in_namespace(options_.netns, etcd);
  member.process.emplace(argv, ChildIo{member.log_path, member.log_path, "/dev/null", true});
}

std::string EtcdCluster::endpoints() const {
  std::string list;
  for (int i = 0; i < size(); ++i) list += (list.empty() ? "" : ",") + client_url(i);
  return list;
}

std::string EtcdCluster::client_url(int member) const {
  return (options_.tls ? "https://" : "http://") + options_.host + ":" +
         std::to_string(members_.at(member).client_port);
}

void EtcdCluster::kill(int member) {
  Member& m = members_.at(member);
  if (m.process) m.process->kill9();
}

void EtcdCluster::restart(int member) {
  Member& m = members_.at(member);
  if (m.process && m.process->running()) throw std::logic_error(m.name + " still runs");
  start(m, false);
}

bool EtcdCluster::running(int member) {
  Member& m = members_.at(member);
  return m.process && m.process->running();
}

pid_t EtcdCluster::pid(int member) const {
  const Member& m = members_.at(member);
  return m.process ? m.process->pid() : -1;
}

bool EtcdCluster::wait_ready(std::chrono::milliseconds timeout) {
  std::optional<NetnsScope> inside;
  if (!options_.netns.empty()) inside.emplace(options_.netns);
  mesh::EtcdOptions options;
  options.endpoints = mesh::parse_endpoints(endpoints());
  if (options_.tls) options.tls.ca_file = options_.tls->ca_file;
  options.timeout = std::chrono::milliseconds(500);
  mesh::EtcdGateway probe(options);
  return eventually(timeout, [&] {
    try {
      probe.get("/westworld-test/ready");
      return true;
    } catch (const mesh::KvError&) {
      return false;
    }
  });
}

std::string EtcdCluster::logs() const {
  std::string all;
  for (const Member& m : members_) {
    all += "--- etcd " + m.name + " (" + m.log_path.string() + ")\n";
    try {
      all += read_text_file(m.log_path);
    } catch (const std::exception& e) {
      all += e.what();
    }
  }
  return all;
}

}  // namespace westworld::harness

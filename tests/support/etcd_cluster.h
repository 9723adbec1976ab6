// A throwaway etcd cluster for the tests and the mesh load tool: Debian's etcd binary, one
// process per member on loopback ports nobody else uses (never 2379/2380), data in a
// PID-tagged directory. Members are killed by PID (SIGKILL: a SIGTERMed 3-member cluster
// takes seconds to stop) and the directory removed when the object goes.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "westworld/harness/child_process.h"

namespace westworld::harness {

struct EtcdClusterOptions {
  int members = 1;
  // Run the members inside this network namespace (`ip netns exec`); empty: the host's.
  std::string netns;
  // The address members listen on, inside their namespace.
  std::string host = "127.0.0.1";
  // Short raft timers: elections in ~0.1 s instead of seconds.
  bool fast_elections = true;
  // Serve clients over TLS (https:// endpoints) with this certificate and key; the CA that
  // signed it is what wait_ready() verifies them against. Peers stay on http (loopback).
  struct Tls {
    std::string cert_file;
    std::string key_file;
    std::string ca_file;
  };
  std::optional<Tls> tls;

  static EtcdClusterOptions of(int members) {
    EtcdClusterOptions options;
    options.members = members;
    return options;
  }
};

class EtcdCluster {
 public:
  // Starts every member and waits (up to `ready_timeout`) until the cluster answers a
  // linearizable read; throws std::runtime_error with the members' logs otherwise.
  explicit EtcdCluster(EtcdClusterOptions options,
                       std::chrono::milliseconds ready_timeout = std::chrono::seconds(20));
  ~EtcdCluster();
  EtcdCluster(const EtcdCluster&) = delete;
  EtcdCluster& operator=(const EtcdCluster&) = delete;

  // "http(s)://HOST:PORT,..." for every member (for --mesh).
  std::string endpoints() const;
  std::string client_url(int member) const;
  int size() const { return static_cast<int>(members_.size()); }

  void kill(int member);     // SIGKILL, by PID, and reap
  void restart(int member);  // on its data directory, as the same member
  bool running(int member);
  pid_t pid(int member) const;  // -1 when it does not run

  // Waits until a linearizable read through the members' endpoints succeeds (probed from
  // inside their namespace).
  bool wait_ready(std::chrono::milliseconds timeout);
  const std::string& netns() const { return options_.netns; }

  std::string logs() const;

 private:
  struct Member {
    std::string name;
    int client_port = 0;
    int peer_port = 0;
    std::filesystem::path data_dir;
    std::filesystem::path log_path;
    std::optional<ChildProcess> process;
  };
  void start(Member& member, bool first_boot);

  EtcdClusterOptions options_;
  std::filesystem::path directory_;
  std::string token_;
  std::vector<Member> members_;
};

// A TCP port on 127.0.0.1 that is free right now (bound and released).
int free_local_port();

}  // namespace westworld::harness

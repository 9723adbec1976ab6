#include "lab.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <regex>
#include <stdexcept>
#include <thread>

#include "child.h"

namespace westworld::watchman_test {
namespace {

void ip(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {tool("ip")};
  argv.insert(argv.end(), args.begin(), args.end());
  RunResult result = run(argv);
  if (!result.ok()) throw std::runtime_error("lab setup failed: " + result.describe());
}

std::string prefix() { return "wwm" + std::to_string(getpid()) + "-"; }

}  // namespace

Lab::Lab(int hosts) : router_ns_(prefix() + "r"), lan_ns_(prefix() + "l") {
  remove_stale();
  try {
    create(hosts);
  } catch (...) {
    destroy();
    throw;
  }
}

Lab::~Lab() { destroy(); }

void Lab::create(int hosts) {
  ip({"netns", "add", router_ns_});
  created_router_ = true;
  ip({"netns", "add", lan_ns_});
  created_lan_ = true;
  const std::string router_mac = "02:38:00:00:00:01", lan_mac = "02:38:00:00:00:02";
  ip({"link", "add", iface(), "netns", router_ns_, "address", router_mac, "type", "veth", "peer",
      "name", "eth0", "netns", lan_ns_, "address", lan_mac});
  for (const std::string& ns : {router_ns_, lan_ns_}) ip({"-n", ns, "link", "set", "lo", "up"});

  ip({"-n", router_ns_, "addr", "add", router_address() + "/24", "dev", iface()});
  ip({"-n", router_ns_, "addr", "add", router_alias() + "/32", "dev", "lo"});
  ip({"-n", router_ns_, "link", "set", iface(), "up"});
  for (int n = 1; n <= hosts; ++n) {
    ip({"-n", lan_ns_, "addr", "add", host(n) + "/24", "dev", "eth0"});
    ip({"-n", router_ns_, "neigh", "replace", host(n), "lladdr", lan_mac, "dev", iface(), "nud",
        "permanent"});
  }
  ip({"-n", lan_ns_, "addr", "add", router_alias() + "/32", "dev", "eth0"});
  ip({"-n", lan_ns_, "link", "set", "eth0", "up"});
  ip({"-n", lan_ns_, "neigh", "replace", router_address(), "lladdr", router_mac, "dev", "eth0",
      "nud", "permanent"});
}

void Lab::destroy() noexcept {
  // Deleting a namespace deletes its veth end, and with it the programs attached there.
  for (auto [ns, created] : {std::pair{&lan_ns_, &created_lan_}, {&router_ns_, &created_router_}}) {
    if (!*created) continue;
    try {
      run({tool("ip"), "netns", "delete", *ns});
    } catch (...) {
    }
    *created = false;
  }
}

void Lab::remove_stale() {
  static const std::regex ours(R"(wwm(\d+)-.*)");
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/run/netns", ec)) {
    const std::string name = entry.path().filename().string();
    std::smatch match;
    if (!std::regex_match(name, match, ours)) continue;
    const pid_t owner = static_cast<pid_t>(std::stol(match[1].str()));
    if (owner != getpid() && (::kill(owner, 0) == 0 || errno != ESRCH)) continue;
    run({tool("ip"), "netns", "delete", name});
  }
}

std::string http_get(const std::string& ns, uint16_t port, const std::string& target) {
  std::string body, error;
  // setns() moves only the calling thread, so a short-lived thread does the request.
  std::thread worker([&] {
    const int ns_fd = open(("/run/netns/" + ns).c_str(), O_RDONLY | O_CLOEXEC);
    if (ns_fd < 0 || setns(ns_fd, CLONE_NEWNET) != 0) {
      error = "cannot enter " + ns + ": " + std::strerror(errno);
      if (ns_fd >= 0) close(ns_fd);
      return;
    }
    close(ns_fd);
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval timeout{10, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      error = "connect to 127.0.0.1:" + std::to_string(port) + ": " + std::strerror(errno);
      close(fd);
      return;
    }
    const std::string request =
        "GET " + target + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";  // 1.0: no chunked replies
    if (write(fd, request.data(), request.size()) != static_cast<ssize_t>(request.size()))
      error = "short write";
    std::string response;
    char buffer[16384];
    ssize_t n;
    while ((n = read(fd, buffer, sizeof buffer)) > 0) response.append(buffer, n);
    close(fd);
    const size_t head_end = response.find("\r\n\r\n");
    const std::string status_line = response.substr(0, response.find("\r\n"));
    if (status_line.find(" 200 ") == std::string::npos || head_end == std::string::npos) {
      error = "unexpected response: " + response.substr(0, 200);
      return;
    }
    body = response.substr(head_end + 4);
  });
  worker.join();
  if (!error.empty()) throw std::runtime_error("GET " + target + " in " + ns + ": " + error);
  return body;
}

}  // namespace westworld::watchman_test

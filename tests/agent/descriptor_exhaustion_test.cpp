// Running out of descriptors must not end a server: accept() fails with EMFILE while the
// process is at RLIMIT_NOFILE, and the server has to serve again once descriptors are free
// (issue 8, finding 2: the control socket used to stop accepting for good).
//
// Each scenario runs in a forked child, which lowers its own limit and uses up its own
// descriptors, so the test process is unaffected. The child runs the io_context on its only
// thread and reports what went wrong on a pipe ("" when all went well).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "server_harness.h"
#include "westworld/agent/control_server.h"
#include "westworld/agent/metrics_server.h"

namespace westworld::agent_test {
namespace {

using namespace std::chrono_literals;

constexpr auto kRetryAfter = 20ms;  // short, so the child sees several failed accepts soon
constexpr uint64_t kFailuresToSee = 3;

// Lowers RLIMIT_NOFILE a little above what is open now and opens descriptors until the
// process has none left; freeing the returned ones ends the shortage.
std::vector<UniqueFd> exhaust_descriptors() {
  int highest = 0;
  for (int fd = 0; fd < 4096; ++fd)
    if (::fcntl(fd, F_GETFD) != -1) highest = fd;
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = static_cast<rlim_t>(highest + 32);
  if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) return {};
  std::vector<UniqueFd> hog;
  for (;;) {
    UniqueFd fd(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    if (!fd) break;
    hog.push_back(std::move(fd));
  }
  return hog;
}

// Runs the io_context until `done` holds; false when the deadline passed first.
bool run_until(boost::asio::io_context& io, const std::function<bool()>& done) {
  const auto deadline = Clock::now() + kDeadline;
  while (!done()) {
    if (Clock::now() >= deadline) return false;
    io.run_one_for(10ms);
  }
  return true;
}

// Whether a whole line (or HTTP header) waits to be read on the non-blocking client.
bool answered(int client, std::string& received) {
  char buf[4096];
  const ssize_t n = ::recv(client, buf, sizeof buf, MSG_DONTWAIT);
  if (n > 0) received.append(buf, static_cast<size_t>(n));
  return received.find('\n') != std::string::npos || n == 0;
}

// The shared scenario: with the client connected while no descriptor is left, the server's
// accept fails repeatedly (one warning, not one per failure); once descriptors are free it
// serves the client. `server` is anything with accept_failures().
template <typename Server>
std::string recovers(boost::asio::io_context& io, const Server& server, const LogCapture& log,
                     int client, const std::function<void()>& connect_and_send,
                     const std::string& expected_reply_start) {
  std::vector<UniqueFd> hog = exhaust_descriptors();
  if (hog.empty()) return "could not use up the descriptors";
  if (UniqueFd probe(::open("/dev/null", O_RDONLY | O_CLOEXEC)); probe || errno != EMFILE)
    return "descriptors are left";
  connect_and_send();
  if (!run_until(io, [&] { return server.accept_failures() >= kFailuresToSee; }))
    return "accept never failed while descriptors were used up";
  hog.clear();

  std::string received;
  if (!run_until(io, [&] { return answered(client, received); }))
    return "no reply after descriptors were freed";
  if (received.rfind(expected_reply_start, 0) != 0) return "unexpected reply: " + received;
  if (const size_t warnings = log.count("accept failed"); warnings != 1)
    return "expected one warning for the burst of failures, got " + std::to_string(warnings) +
           ":\n" + log.text();
  if (log.count("accepting connections again") != 1) return "no recovery line in:\n" + log.text();
  return "";
}

std::string control_server_scenario() {
  LogCapture log;
  boost::asio::io_context io;
  const std::string path = unique_socket_path("agent.sock");
  agent::ControlServerOptions options;
  options.accept.retry_after = kRetryAfter;
  agent::ControlServer server(
      io, path, [](std::string_view line) { return "echo:" + std::string(line); }, options);
  UniqueFd client = unix_socket();  // made while descriptors remain
  return recovers(
      io, server, log, client.get(),
      [&] {
        connect_unix(client.get(), path);
        send_all(client.get(), "hello\n");
      },
      "echo:hello\n");
}

std::string metrics_server_scenario() {
  LogCapture log;
  boost::asio::io_context io;
  agent::MetricsServerOptions options;
  options.accept.retry_after = kRetryAfter;
  agent::MetricsServer server(
      io, "127.0.0.1:0", [] { return std::string("m 1\n"); }, options);
  const auto endpoint = server.endpoint();
  UniqueFd client(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  return recovers(
      io, server, log, client.get(),
      [&] {
        ::connect(client.get(), endpoint.data(), static_cast<socklen_t>(endpoint.size()));
        send_all(client.get(), "GET /metrics HTTP/1.1\r\nHost: test\r\n\r\n");
      },
      "HTTP/1.1 200 OK\r\n");
}

// Runs `scenario` in a child; returns what it reported. Every wait in a scenario has a
// deadline, so the child always ends.
std::string in_child(std::string (*scenario)()) {
  int report[2];
  if (::pipe2(report, O_CLOEXEC) != 0) return "pipe failed";
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(report[0]);
    std::string problem;
    try {
      problem = scenario();
    } catch (const std::exception& e) {
      problem = std::string("exception: ") + e.what();
    }
    const bool reported =
        ::write(report[1], problem.data(), problem.size()) == static_cast<ssize_t>(problem.size());
    ::_exit(problem.empty() ? 0 : reported ? 1 : 2);
  }
  ::close(report[1]);
  UniqueFd reader(report[0]);
  std::string problem;
  char buf[4096];
  for (ssize_t n; (n = ::read(reader.get(), buf, sizeof buf)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    problem.append(buf, static_cast<size_t>(n));
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (problem.empty() && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
    problem = "the child failed (status " + std::to_string(status) + ")";
  return problem;
}

TEST(DescriptorExhaustionTest, TheControlServerServesAgainOnceDescriptorsAreFree) {
  EXPECT_EQ(in_child(control_server_scenario), "");
}

TEST(DescriptorExhaustionTest, TheMetricsServerServesAgainOnceDescriptorsAreFree) {
  EXPECT_EQ(in_child(metrics_server_scenario), "");
}

}  // namespace
}  // namespace westworld::agent_test

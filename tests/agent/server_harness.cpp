#include "server_harness.h"

#include <netinet/in.h>
#include <poll.h>
#include <spdlog/sinks/ostream_sink.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace westworld::agent_test {
namespace {

std::runtime_error errno_error(const std::string& what) {
  return std::runtime_error(what + ": " + std::strerror(errno));
}

int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

// Waits for `events` on fd until the deadline; false when it passed first.
bool wait_for(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    pollfd p{.fd = fd, .events = events, .revents = 0};
    const int n = ::poll(&p, 1, remaining_ms(deadline));
    if (n > 0) return true;
    if (n == 0) return false;
    if (errno != EINTR) throw errno_error("poll");
  }
}

}  // namespace

void IoThread::start() {
  thread_ = std::thread([this] { io_.run(); });
}

void IoThread::stop() {
  work_.reset();
  io_.stop();
  if (thread_.joinable()) thread_.join();
}

bool eventually(const std::function<bool()>& done, Clock::duration deadline) {
  const auto until = Clock::now() + deadline;
  while (!done()) {
    if (Clock::now() >= until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));  // the poll interval
  }
  return true;
}

std::string unique_socket_path(const std::string& name) {
  static std::atomic<int> next{0};
  const auto dir = std::filesystem::temp_directory_path() /
                   ("ww-agent-test-" + std::to_string(::getpid()) + "-" + std::to_string(next++));
  std::filesystem::remove_all(dir);
  return (dir / name).string();
}

UniqueFd unix_socket() {
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) throw errno_error("socket");
  return fd;
}

void connect_unix(int fd, const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path) throw std::runtime_error("socket path too long");
  std::memcpy(addr.sun_path, path.data(), path.size());
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    throw errno_error("connect " + path);
}

UniqueFd connect_unix(const std::string& path) {
  UniqueFd fd = unix_socket();
  connect_unix(fd.get(), path);
  return fd;
}

UniqueFd connect_tcp(const boost::asio::ip::tcp::endpoint& endpoint) {
  UniqueFd fd(::socket(endpoint.protocol().family(), SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) throw errno_error("socket");
  if (::connect(fd.get(), endpoint.data(), static_cast<socklen_t>(endpoint.size())) != 0)
    throw errno_error("connect");
  return fd;
}

size_t send_all(int fd, std::string_view data) {
  const auto deadline = Clock::now() + kDeadline;
  size_t sent = 0;
  while (sent < data.size()) {
    if (!wait_for(fd, POLLOUT, deadline)) break;
    const ssize_t n =
        ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) break;  // closed or reset by the peer
    sent += static_cast<size_t>(n);
  }
  return sent;
}

std::string read_until(int fd, const std::function<bool(const std::string&)>& complete) {
  const auto deadline = Clock::now() + kDeadline;
  std::string text;
  char buf[4096];
  while (!complete(text) && wait_for(fd, POLLIN, deadline)) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) break;
    text.append(buf, static_cast<size_t>(n));
  }
  return text;
}

std::string read_line(int fd) {
  std::string text =
      read_until(fd, [](const std::string& t) { return t.find('\n') != std::string::npos; });
  if (const size_t nl = text.find('\n'); nl != std::string::npos) text.resize(nl);
  return text;
}

std::string read_to_end(int fd) {
  return read_until(fd, [](const std::string&) { return false; });
}

bool closed_by_peer(int fd) {
  const auto deadline = Clock::now() + kDeadline;
  char buf[4096];
  while (wait_for(fd, POLLIN, deadline)) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n == 0) return true;
    if (n < 0 && errno != EINTR && errno != EAGAIN) return true;  // reset
  }
  return false;
}

LogCapture::LogCapture() : previous_(spdlog::default_logger()) {
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(stream_);
  auto logger = std::make_shared<spdlog::logger>("capture", sink);
  logger->set_level(spdlog::level::debug);
  spdlog::set_default_logger(logger);
}

LogCapture::~LogCapture() { spdlog::set_default_logger(previous_); }

size_t LogCapture::count(std::string_view needle) const {
  const std::string all = text();
  size_t n = 0;
  for (size_t at = all.find(needle); at != std::string::npos; at = all.find(needle, at + 1)) ++n;
  return n;
}

}  // namespace westworld::agent_test

// What the server tests share: an io_context running on its own thread (the test thread is the
// client), plain blocking POSIX clients bounded by a deadline, and a log capture.
#pragma once

// clang-format off
#include <utility>  // before Asio: Boost 1.74 needs std::exchange declared under C++20
#include <boost/asio.hpp>
// clang-format on
#include <spdlog/spdlog.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>

#include "westworld/dataplane/unique_fd.h"

namespace westworld::agent_test {

using dataplane::UniqueFd;
using Clock = std::chrono::steady_clock;

// Generous: how long any single wait in these tests may take before it counts as a failure.
inline constexpr auto kDeadline = std::chrono::seconds(10);

// Runs the io_context on a thread until stop(); servers are built before start() and
// destroyed after stop(), so only the io thread ever runs their handlers.
class IoThread {
 public:
  IoThread() = default;
  ~IoThread() { stop(); }
  IoThread(const IoThread&) = delete;
  IoThread& operator=(const IoThread&) = delete;

  boost::asio::io_context& io() { return io_; }
  void start();
  void stop();

 private:
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{
      io_.get_executor()};
  std::thread thread_;
};

// Polls `done` until it holds or the deadline passes; returns whether it held.
bool eventually(const std::function<bool()>& done, Clock::duration deadline = kDeadline);

// A unique path for a test's socket, in a fresh directory under the system's temp directory.
std::string unique_socket_path(const std::string& name);

// Connected client sockets (throw std::runtime_error when they cannot connect).
UniqueFd connect_unix(const std::string& path);
UniqueFd connect_tcp(const boost::asio::ip::tcp::endpoint& endpoint);
// An unconnected socket of the family, and connecting it later (for tests that must create the
// socket before the process runs out of descriptors).
UniqueFd unix_socket();
void connect_unix(int fd, const std::string& path);

// Sends as much of `data` as the peer takes; returns how much that was (less when the peer
// closed or reset the connection).
size_t send_all(int fd, std::string_view data);

// Reads until `complete` says the text is whole, the peer closes, or the deadline passes.
std::string read_until(int fd, const std::function<bool(const std::string&)>& complete);
std::string read_line(int fd);    // without the newline; what came if the line never ended
std::string read_to_end(int fd);  // until the peer closes the connection
// Whether the peer closes the connection (EOF or reset) before the deadline; data still
// arriving is read and dropped.
bool closed_by_peer(int fd);

// Captures what spdlog's default logger writes while it lives. Read it while no other thread
// logs (after IoThread::stop(), or in a single-threaded child).
class LogCapture {
 public:
  LogCapture();
  ~LogCapture();
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  std::string text() const { return stream_.str(); }
  size_t count(std::string_view needle) const;

 private:
  std::ostringstream stream_;
  std::shared_ptr<spdlog::logger> previous_;
};

}  // namespace westworld::agent_test

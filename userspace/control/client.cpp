#include "westworld/control/client.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace westworld::control {
namespace {

using Clock = std::chrono::steady_clock;

class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

std::string errno_text(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

// Waits until `fd` is ready for `events`, or throws when the deadline passes: a
// wedged agent makes wwctl fail with a clear line instead of hanging forever.
void wait_ready(int fd, short events, Clock::time_point deadline, const std::string& path) {
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0)
      throw ClientError("the agent at " + path + " did not answer in time (wwctl --timeout)");
    pollfd p{fd, events, 0};
    const int n = ::poll(&p, 1, static_cast<int>(left.count()));
    if (n > 0) return;
    if (n < 0 && errno != EINTR) throw ClientError(errno_text("control socket poll"));
  }
}

}  // namespace

std::optional<std::string> Client::exchange(const std::string& request_line) const {
  const Clock::time_point deadline = Clock::now() + timeout_;
  Socket sock(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (sock.get() < 0) throw ClientError(errno_text("socket"));

  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (socket_path_.size() >= sizeof addr.sun_path)
    throw ClientError("control socket path too long: " + socket_path_);
  std::memcpy(addr.sun_path, socket_path_.c_str(), socket_path_.size());
  if (::connect(sock.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    if (errno == ENOENT || errno == ECONNREFUSED) return std::nullopt;
    if (errno != EAGAIN && errno != EINPROGRESS)
      throw ClientError("cannot connect to the agent at " + socket_path_ + ": " +
                        std::strerror(errno));
    wait_ready(sock.get(), POLLOUT, deadline, socket_path_);  // the agent's backlog is full
  }

  const std::string out = request_line + "\n";
  for (size_t done = 0; done < out.size();) {
    const ssize_t n = ::send(sock.get(), out.data() + done, out.size() - done, MSG_NOSIGNAL);
    if (n > 0) {
      done += static_cast<size_t>(n);
    } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      wait_ready(sock.get(), POLLOUT, deadline, socket_path_);
    } else {
      throw ClientError(errno_text("control socket write"));
    }
  }

  std::string reply;
  char buf[16384];
  for (;;) {
    const ssize_t n = ::recv(sock.get(), buf, sizeof buf, 0);
    if (n > 0) {
      reply.append(buf, static_cast<size_t>(n));
      if (auto newline = reply.find('\n'); newline != std::string::npos) {
        reply.resize(newline);
        return reply;
      }
    } else if (n == 0) {
      throw ClientError("the agent closed the control socket without a reply");
    } else if (errno == EAGAIN || errno == EINTR) {
      wait_ready(sock.get(), POLLIN, deadline, socket_path_);
    } else {
      throw ClientError(errno_text("control socket read"));
    }
  }
}

}  // namespace westworld::control

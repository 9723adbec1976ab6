#include "westworld/control/client.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace westworld::control {
namespace {

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

void write_all(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw std::runtime_error(std::string("control socket write: ") + std::strerror(errno));
    done += static_cast<size_t>(n);
  }
}

std::string read_line(int fd) {
  std::string line;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::runtime_error(std::string("control socket read: ") + std::strerror(errno));
    if (n == 0) break;
    line.append(buf, static_cast<size_t>(n));
    if (auto nl = line.find('\n'); nl != std::string::npos) {
      line.resize(nl);
      return line;
    }
  }
  if (line.empty()) throw std::runtime_error("the agent closed the control socket without a reply");
  return line;
}

}  // namespace

std::optional<nlohmann::json> call_agent(const std::string& socket_path,
                                         const nlohmann::json& request) {
  Socket sock(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (sock.get() < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));

  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (socket_path.size() >= sizeof addr.sun_path)
    throw std::runtime_error("control socket path too long: " + socket_path);
  std::strncpy(addr.sun_path, socket_path.c_str(), sizeof addr.sun_path - 1);
  if (::connect(sock.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    if (errno == ENOENT || errno == ECONNREFUSED) return std::nullopt;
    throw std::runtime_error("cannot connect to the agent at " + socket_path + ": " +
                             std::strerror(errno));
  }
  write_all(sock.get(), request.dump() + "\n");
  return nlohmann::json::parse(read_line(sock.get()));
}

}  // namespace westworld::control

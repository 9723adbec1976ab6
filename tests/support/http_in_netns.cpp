#include "http_in_netns.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>

#include "westworld/harness/netns.h"

namespace westworld::harness {
namespace {

// The reply to one request, read to the end (HTTP/1.0: no chunked replies); throws on failure.
std::string fetch(uint16_t port, const std::string& target) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval timeout{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    const int error = errno;
    close(fd);
    throw std::runtime_error("connect to 127.0.0.1:" + std::to_string(port) + ": " +
                             std::strerror(error));
  }
  const std::string request = "GET " + target + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
  const bool written =
      write(fd, request.data(), request.size()) == static_cast<ssize_t>(request.size());
  std::string response;
  char buffer[16384];
  ssize_t length;
  while (written && (length = read(fd, buffer, sizeof buffer)) > 0) {
    response.append(buffer, static_cast<size_t>(length));
  }
  close(fd);
  if (!written) {
    throw std::runtime_error("short write");
  }
  return response;
}

}  // namespace

std::string http_get(const std::string& ns, uint16_t port, const std::string& target) {
  std::string response;
  std::string error;
  // Entering a namespace moves only the calling thread, so a short-lived thread does the
  // request.
  std::thread worker([&] {
    try {
      NetnsScope scope(ns);
      response = fetch(port, target);
    } catch (const std::exception& e) {
      error = e.what();
    }
  });
  worker.join();
  const size_t head_end = response.find("\r\n\r\n");
  const std::string status_line = response.substr(0, response.find("\r\n"));
  if (error.empty() &&
      (status_line.find(" 200 ") == std::string::npos || head_end == std::string::npos)) {
    error = "unexpected response: " + response.substr(0, 200);
  }
  if (!error.empty()) {
    throw std::runtime_error("GET " + target + " in " + ns + ": " + error);
  }
  return response.substr(head_end + 4);
}

}  // namespace westworld::harness

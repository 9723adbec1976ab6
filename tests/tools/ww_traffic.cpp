// ww-traffic: traffic generator and sink for the network-namespace integration tests and the
// demo. It only ever talks to the addresses it is given, and reports one JSON line on stdout
// so a test can parse the outcome instead of scraping text.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using json = nlohmann::ordered_json;  // keys in the documented order

// A datagram waiting on a full send queue gives up after this long, which keeps a send run
// bounded by count / pps plus count times this.
constexpr milliseconds kUdpSendTimeout{100};
// Reads per wake-up, so a flood cannot keep the receiver past its deadline.
constexpr int kReceiveBatch = 1024;

// Bad arguments or a socket that cannot be set up: reported on stderr, exit status 1.
struct SetupError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] void fail(const std::string& what) {
  throw SetupError(what + ": " + std::strerror(errno));
}

class Socket {
 public:
  Socket(int domain, int type) : fd_(::socket(domain, type | SOCK_CLOEXEC, 0)) {
    if (fd_ < 0) {
      fail("socket");
    }
  }
  Socket(Socket&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  ~Socket() {
    if (fd_ >= 0) {
      close(fd_);
    }
  }
  int fd() const { return fd_; }

  template <typename Value>
  void set_option(int level, int name, const Value& value, const char* what) const {
    if (setsockopt(fd_, level, name, &value, sizeof value) != 0) {
      fail(what);
    }
  }

 private:
  int fd_;
};

struct Endpoint {
  sockaddr_storage storage{};
  socklen_t length = 0;

  int family() const { return storage.ss_family; }
  const sockaddr* address() const { return reinterpret_cast<const sockaddr*>(&storage); }
};

Endpoint parse_endpoint(const std::string& ip, uint16_t port) {
  Endpoint endpoint;
  auto& v4 = reinterpret_cast<sockaddr_in&>(endpoint.storage);
  auto& v6 = reinterpret_cast<sockaddr_in6&>(endpoint.storage);
  if (inet_pton(AF_INET, ip.c_str(), &v4.sin_addr) == 1) {
    v4.sin_family = AF_INET;
    v4.sin_port = htons(port);
    endpoint.length = sizeof v4;
  } else if (inet_pton(AF_INET6, ip.c_str(), &v6.sin6_addr) == 1) {
    v6.sin6_family = AF_INET6;
    v6.sin6_port = htons(port);
    endpoint.length = sizeof v6;
  } else {
    throw SetupError("not an IPv4 or IPv6 address: " + ip);
  }
  return endpoint;
}

// IPv4 peers of a dual-stack socket show up as ::ffff:a.b.c.d; report them as plain IPv4 so
// results do not depend on how the receiver was bound.
std::string address_text(const sockaddr_storage& peer) {
  char text[INET6_ADDRSTRLEN] = "";
  if (peer.ss_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in&>(peer).sin_addr, text, sizeof text);
    return text;
  }
  const in6_addr& address = reinterpret_cast<const sockaddr_in6&>(peer).sin6_addr;
  if (IN6_IS_ADDR_V4MAPPED(&address)) {
    inet_ntop(AF_INET, &address.s6_addr[12], text, sizeof text);
  } else {
    inet_ntop(AF_INET6, &address, text, sizeof text);
  }
  return text;
}

// ---------------------------------------------------------------------------------------------
// send

struct SendOptions {
  std::string dst;
  uint16_t dport = 0;
  std::string src;
  uint16_t sport = 0;
  std::string proto = "udp";
  uint32_t count = 1;
  uint32_t pps = 0;
  size_t size = 64;
  uint32_t connect_timeout_ms = 200;
};

Socket open_sender(const SendOptions& options, const Endpoint& destination, int type) {
  Socket socket(destination.family(), type);
  if (options.src.empty() && options.sport == 0) {
    return socket;  // the kernel picks source address and port
  }
  const std::string wildcard = destination.family() == AF_INET ? "0.0.0.0" : "::";
  const Endpoint source =
      parse_endpoint(options.src.empty() ? wildcard : options.src, options.sport);
  if (source.family() != destination.family()) {
    throw SetupError("--src and --dst must be of the same IP version");
  }
  socket.set_option(SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR");
  if (bind(socket.fd(), source.address(), source.length) != 0) {
    fail("bind " + options.src + " port " + std::to_string(options.sport));
  }
  return socket;
}

// Packets go out on an absolute schedule, so time spent sending does not lower the rate.
void wait_for_slot(Clock::time_point start, uint32_t pps, uint64_t index) {
  if (pps != 0) {
    std::this_thread::sleep_until(start + std::chrono::nanoseconds(index * 1'000'000'000 / pps));
  }
}

// Big-endian, truncated when the payload is shorter than 4 bytes.
void write_sequence(std::vector<uint8_t>& payload, uint32_t sequence) {
  for (size_t i = 0; i < std::min<size_t>(4, payload.size()); ++i) {
    payload[i] = static_cast<uint8_t>(sequence >> (24 - 8 * i));
  }
}

json send_udp(const SendOptions& options) {
  const Endpoint destination = parse_endpoint(options.dst, options.dport);
  const Socket socket = open_sender(options, destination, SOCK_DGRAM);
  const timeval send_timeout{0, std::chrono::microseconds(kUdpSendTimeout).count()};
  socket.set_option(SOL_SOCKET, SO_SNDTIMEO, send_timeout, "SO_SNDTIMEO");

  std::vector<uint8_t> payload(options.size, 0);
  uint64_t sent = 0;
  uint64_t errors = 0;
  const auto start = Clock::now();
  for (uint32_t sequence = 0; sequence < options.count; ++sequence) {
    wait_for_slot(start, options.pps, sequence);
    write_sequence(payload, sequence);
    const ssize_t written = sendto(socket.fd(), payload.data(), payload.size(), 0,
                                   destination.address(), destination.length);
    if (written == static_cast<ssize_t>(payload.size())) {
      ++sent;
    } else {
      ++errors;
    }
  }
  return {{"sent", sent}, {"errors", errors}};
}

enum class ConnectOutcome { kConnected, kTimedOut, kFailed };

ConnectOutcome try_connect(const SendOptions& options, const Endpoint& destination) {
  const Socket socket = open_sender(options, destination, SOCK_STREAM | SOCK_NONBLOCK);
  // Closing with RST skips TIME_WAIT, so repeated attempts from a fixed --sport still work.
  socket.set_option(SOL_SOCKET, SO_LINGER, linger{1, 0}, "SO_LINGER");
  if (connect(socket.fd(), destination.address(), destination.length) == 0) {
    return ConnectOutcome::kConnected;
  }
  if (errno != EINPROGRESS) {
    return ConnectOutcome::kFailed;
  }
  pollfd writable{socket.fd(), POLLOUT, 0};
  const int ready = poll(&writable, 1, static_cast<int>(options.connect_timeout_ms));
  if (ready == 0) {
    return ConnectOutcome::kTimedOut;
  }
  int error = 0;
  socklen_t error_length = sizeof error;
  const bool checked =
      ready > 0 && getsockopt(socket.fd(), SOL_SOCKET, SO_ERROR, &error, &error_length) == 0;
  return checked && error == 0 ? ConnectOutcome::kConnected : ConnectOutcome::kFailed;
}

json send_tcp(const SendOptions& options) {
  const Endpoint destination = parse_endpoint(options.dst, options.dport);
  std::map<ConnectOutcome, uint64_t> outcomes;
  const auto start = Clock::now();
  for (uint32_t attempt = 0; attempt < options.count; ++attempt) {
    wait_for_slot(start, options.pps, attempt);
    ++outcomes[try_connect(options, destination)];
  }
  return {{"sent", options.count},
          {"connected", outcomes[ConnectOutcome::kConnected]},
          {"timed_out", outcomes[ConnectOutcome::kTimedOut]},
          {"errors", outcomes[ConnectOutcome::kFailed]}};
}

// ---------------------------------------------------------------------------------------------
// recv

struct RecvOptions {
  uint16_t port = 0;
  std::string bind;
  std::string proto = "udp";
  uint32_t duration_ms = 0;
  uint32_t quiet_ms = 0;
};

struct Tally {
  uint64_t total = 0;
  uint64_t bytes = 0;
  std::map<std::string, uint64_t> by_source;

  void add(const sockaddr_storage& peer, size_t length) {
    ++total;
    bytes += length;
    ++by_source[address_text(peer)];
  }
};

// A burst sent at full speed would overflow the default receive buffer and make counts flaky.
// SO_RCVBUFFORCE (CAP_NET_ADMIN, which namespace tests run with) may exceed net.core.rmem_max.
void enlarge_receive_buffer(const Socket& socket) {
  const int bytes = 8 << 20;
  if (setsockopt(socket.fd(), SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof bytes) != 0) {
    socket.set_option(SOL_SOCKET, SO_RCVBUF, bytes, "SO_RCVBUF");
  }
}

Socket open_receiver(const RecvOptions& options, bool is_udp) {
  const bool dual_stack = options.bind.empty();
  const Endpoint local = parse_endpoint(dual_stack ? "::" : options.bind, options.port);
  Socket socket(local.family(), (is_udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_NONBLOCK);
  if (dual_stack) {
    socket.set_option(IPPROTO_IPV6, IPV6_V6ONLY, 0, "IPV6_V6ONLY");
  }
  socket.set_option(SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR");
  if (is_udp) {
    enlarge_receive_buffer(socket);
  }
  if (bind(socket.fd(), local.address(), local.length) != 0) {
    fail("bind port " + std::to_string(options.port));
  }
  if (!is_udp && listen(socket.fd(), SOMAXCONN) != 0) {
    fail("listen");
  }
  return socket;
}

// Takes what is queued without blocking; returns whether anything arrived.
bool take_datagrams(const Socket& socket, Tally& tally) {
  std::vector<uint8_t> buffer(65536);  // the largest possible datagram
  int taken = 0;
  for (; taken < kReceiveBatch; ++taken) {
    sockaddr_storage peer{};
    socklen_t peer_length = sizeof peer;
    const ssize_t length = recvfrom(socket.fd(), buffer.data(), buffer.size(), 0,
                                    reinterpret_cast<sockaddr*>(&peer), &peer_length);
    if (length < 0) {
      break;
    }
    tally.add(peer, static_cast<size_t>(length));
  }
  return taken > 0;
}

bool take_connections(const Socket& socket, Tally& tally) {
  int taken = 0;
  for (; taken < kReceiveBatch; ++taken) {
    sockaddr_storage peer{};
    socklen_t peer_length = sizeof peer;
    const int connection =
        accept4(socket.fd(), reinterpret_cast<sockaddr*>(&peer), &peer_length, SOCK_CLOEXEC);
    if (connection < 0) {
      break;
    }
    close(connection);
    tally.add(peer, 0);
  }
  return taken > 0;
}

json receive(const RecvOptions& options) {
  const bool is_udp = options.proto == "udp";
  // First thing, so a test may start the receiver, wait briefly and then send.
  const Socket socket = open_receiver(options, is_udp);

  const auto deadline = Clock::now() + milliseconds(options.duration_ms);
  std::optional<Clock::time_point> last_arrival;
  Tally tally;
  for (;;) {
    auto stop_at = deadline;
    if (options.quiet_ms != 0 && last_arrival) {
      stop_at = std::min(stop_at, *last_arrival + milliseconds(options.quiet_ms));
    }
    const auto now = Clock::now();
    if (now >= stop_at) {
      break;
    }
    pollfd readable{socket.fd(), POLLIN, 0};
    const auto wait = std::chrono::ceil<milliseconds>(stop_at - now).count();
    if (poll(&readable, 1, static_cast<int>(wait)) <= 0) {
      continue;  // timed out or interrupted: the clock check above decides
    }
    if (is_udp ? take_datagrams(socket, tally) : take_connections(socket, tally)) {
      last_arrival = Clock::now();
    }
  }
  return {{"total", tally.total}, {"bytes", tally.bytes}, {"by_source", tally.by_source}};
}

// ---------------------------------------------------------------------------------------------
// command line

CLI::App* add_send_command(CLI::App& app, SendOptions& options) {
  CLI::App* send = app.add_subcommand(
      "send",
      "UDP: send --count datagrams to --dst:--dport, paced at --pps; each payload starts with a "
      "32-bit big-endian sequence number. TCP: make --count connection attempts, each a "
      "non-blocking connect abandoned after --connect-timeout-ms and closed with RST.");
  send->add_option("--dst", options.dst, "Destination IPv4 or IPv6 address")->required();
  send->add_option("--dport", options.dport, "Destination port")->required();
  send->add_option("--src", options.src, "Source address to bind (a local address)");
  send->add_option("--sport", options.sport, "Source port to bind (0: kernel's choice)");
  send->add_option("--proto", options.proto, "udp or tcp")
      ->check(CLI::IsMember({"udp", "tcp"}))
      ->capture_default_str();
  send->add_option("--count", options.count, "Datagrams or connection attempts")
      ->capture_default_str();
  send->add_option("--pps", options.pps, "Packets (attempts) per second; 0: as fast as possible")
      ->capture_default_str();
  send->add_option("--size", options.size, "UDP payload bytes")->capture_default_str();
  send->add_option("--connect-timeout-ms", options.connect_timeout_ms,
                   "TCP: how long each attempt waits for the handshake")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  send->footer(
      "Prints {\"sent\": N, \"errors\": N}; for tcp also \"connected\" and \"timed_out\", with "
      "sent = connected + timed_out + errors. Errors are local failures (ENOBUFS, EPERM, ...) "
      "and, for tcp, refused or unreachable connections.");
  return send;
}

CLI::App* add_recv_command(CLI::App& app, RecvOptions& options) {
  CLI::App* recv = app.add_subcommand(
      "recv",
      "Count UDP datagrams (or accepted TCP connections) on --port for --duration-ms. Without "
      "--bind the socket is dual-stack [::], so IPv4 and IPv6 both arrive. Nothing is printed "
      "until the end; the socket is ready a few milliseconds after start.");
  recv->add_option("--port", options.port, "Port to listen on")->required();
  recv->add_option("--bind", options.bind, "Local address to bind instead of dual-stack [::]");
  recv->add_option("--proto", options.proto, "udp or tcp")
      ->check(CLI::IsMember({"udp", "tcp"}))
      ->capture_default_str();
  recv->add_option("--duration-ms", options.duration_ms, "Longest time to listen")->required();
  recv->add_option("--quiet-ms", options.quiet_ms,
                   "Stop early once this long passes without traffic after the first arrival "
                   "(0: never)")
      ->capture_default_str();
  recv->footer(
      "Prints {\"total\": N, \"bytes\": N, \"by_source\": {\"ADDR\": N, ...}}; bytes counts UDP "
      "payload and is 0 for tcp. IPv4-mapped peers are reported as plain IPv4.");
  return recv;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Traffic generator and sink for Westworld's namespace tests. Each run prints one "
      "JSON line on stdout; setup failures go to stderr with exit status 1."};
  app.require_subcommand(1);
  SendOptions send_options;
  RecvOptions recv_options;
  const CLI::App* send = add_send_command(app, send_options);
  add_recv_command(app, recv_options);
  CLI11_PARSE(app, argc, argv);

  try {
    json result;
    if (send->parsed()) {
      result = send_options.proto == "udp" ? send_udp(send_options) : send_tcp(send_options);
    } else {
      result = receive(recv_options);
    }
    std::cout << result.dump() << std::endl;
  } catch (const SetupError& error) {
    std::cerr << "ww-traffic: " << error.what() << '\n';
    return 1;
  }
  return 0;
}

#include "westworld/cradle/traffic.h"

#include <arpa/inet.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <random>
#include <stdexcept>

#include "westworld/cradle/twin_plan.h"
#include "westworld/harness/netns.h"
#include "westworld/policy/model.h"

namespace westworld::cradle {
namespace {

constexpr uint16_t kStampMagic = 0x5757;  // "WW"
constexpr size_t kBatch = 64;
constexpr uint16_t kSpoofedSourcePort = 40000;

// The first bytes of every datagram's payload.
struct Stamp {
  uint16_t magic;
  uint16_t stream;
  uint32_t seq;
  int64_t sent_ns;
};
static_assert(sizeof(Stamp) == 16, "the stamp is the minimum payload");

sockaddr_in ipv4(const std::string& address, uint16_t port) {
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  if (inet_pton(AF_INET, address.c_str(), &sa.sin_addr) != 1)
    throw std::invalid_argument("not an IPv4 address: " + address);
  return sa;
}

std::runtime_error socket_error(const std::string& what, const std::string& netns) {
  return std::runtime_error("cannot " + what + " in " + netns + ": " + std::strerror(errno));
}

void sleep_until(int64_t t_ns) {
  timespec ts{static_cast<time_t>(t_ns / 1'000'000'000), static_cast<long>(t_ns % 1'000'000'000)};
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) == EINTR) {
  }
}

// Datagrams due `elapsed` into a schedule of `duration` whose rate climbs linearly from
// `pps` to `pps_end` (or stays at pps): the integral of the rate.
uint64_t due(int64_t elapsed_ns, int64_t duration_ns, uint32_t pps, uint32_t pps_end) {
  const double t = static_cast<double>(elapsed_ns) / 1e9;
  double count = pps * t;
  if (pps_end > 0 && duration_ns > 0)
    count += (static_cast<double>(pps_end) - pps) * t * t / (2.0 * duration_ns / 1e9);
  return count <= 0 ? 0 : static_cast<uint64_t>(count);
}

}  // namespace

int64_t monotonic_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

size_t Windows::index(int64_t t_ns) const {
  if (t_ns <= origin_ns) return 0;
  return std::min(static_cast<size_t>((t_ns - origin_ns) / window_ns), count - 1);
}

Sender::Sender(SendPlan plan, Windows windows)
    : plan_(std::move(plan)), windows_(windows), sent_(windows.count, 0) {
  harness::NetnsScope scope(plan_.netns);
  if (plan_.mode == SendMode::spoofed) {
    // IPPROTO_RAW implies IP_HDRINCL: we write the header, the kernel its checksum and length.
    fd_ = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
    if (fd_ < 0) throw socket_error("open a raw socket", plan_.netns);
    return;
  }
  fd_ = socket(AF_INET, SOCK_DGRAM, 0);
  if (fd_ < 0) throw socket_error("open a UDP socket", plan_.netns);
  sockaddr_in local = ipv4(plan_.source, 0);
  if (bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0)
    throw socket_error("bind to " + plan_.source, plan_.netns);
}

Sender::~Sender() {
  join();
  if (fd_ >= 0) close(fd_);
}

void Sender::start() {
  thread_ = std::thread([this] { run(); });
}

void Sender::cancel() { cancelled_ = true; }

void Sender::join() {
  if (thread_.joinable()) thread_.join();
}

void Sender::run() {
  const bool spoofed = plan_.mode == SendMode::spoofed;
  const size_t header = spoofed ? sizeof(iphdr) + sizeof(udphdr) : 0;
  std::vector<uint8_t> packet(header + std::max<size_t>(plan_.payload_bytes, sizeof(Stamp)), 0);
  const sockaddr_in destination = ipv4(plan_.destination, plan_.port);
  std::mt19937 random(plan_.stream);
  if (spoofed) {
    auto* ip = reinterpret_cast<iphdr*>(packet.data());
    ip->version = 4;
    ip->ihl = 5;
    ip->ttl = 64;
    ip->protocol = IPPROTO_UDP;
    ip->daddr = destination.sin_addr.s_addr;
    auto* udp = reinterpret_cast<udphdr*>(packet.data() + sizeof(iphdr));
    udp->source = htons(kSpoofedSourcePort);
    udp->dest = htons(plan_.port);
    udp->len = htons(static_cast<uint16_t>(packet.size() - sizeof(iphdr)));
  }
  // Spoofed sources: any host of kSpoofedPrefix but its network and broadcast addresses.
  const policy::Cidr spoofed_network = *policy::parse_cidr(kSpoofedPrefix);
  uint32_t network = 0;  // network byte order
  std::memcpy(&network, spoofed_network.addr.data(), sizeof network);
  const uint32_t hosts = (uint32_t{1} << (32 - spoofed_network.length)) - 2;
  const int64_t duration = plan_.stop_ns - plan_.start_ns;
  uint64_t seq = 0;
  for (;;) {
    const int64_t now = monotonic_ns();
    if (now >= plan_.stop_ns || cancelled_) break;
    if (now < plan_.start_ns) {
      sleep_until(std::min(plan_.start_ns, now + 100'000'000));
      continue;
    }
    const uint64_t target = due(now - plan_.start_ns, duration, plan_.pps, plan_.pps_end);
    for (size_t n = 0; seq < target && n < kBatch; ++n, ++seq) {
      if (spoofed) {
        reinterpret_cast<iphdr*>(packet.data())->saddr = network | htonl(1 + random() % hosts);
      }
      const Stamp stamp{kStampMagic, plan_.stream, static_cast<uint32_t>(seq), monotonic_ns()};
      std::memcpy(packet.data() + header, &stamp, sizeof stamp);
      const ssize_t n_sent =
          sendto(fd_, packet.data(), packet.size(), 0,
                 reinterpret_cast<const sockaddr*>(&destination), sizeof destination);
      if (n_sent < 0)
        ++errors_;
      else
        ++sent_[windows_.index(stamp.sent_ns)];
    }
    if (seq >= target) sleep_until(monotonic_ns() + 1'000'000);
  }
}

Receiver::Receiver(const std::string& netns, uint16_t port, Windows windows) : windows_(windows) {
  {
    harness::NetnsScope scope(netns);
    fd_ = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd_ < 0) throw socket_error("open a UDP socket", netns);
    // A flood must not overflow the socket: its losses would be blamed on the network.
    int bytes = 8 << 20;
    setsockopt(fd_, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof bytes);
    timeval timeout{0, 100'000};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    sockaddr_in any = ipv4("0.0.0.0", port);
    if (bind(fd_, reinterpret_cast<sockaddr*>(&any), sizeof any) != 0)
      throw socket_error("bind UDP port " + std::to_string(port), netns);
  }
  thread_ = std::thread([this] { run(); });
}

Receiver::~Receiver() {
  stop();
  if (fd_ >= 0) close(fd_);
}

void Receiver::stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void Receiver::run() {
  std::vector<std::array<uint8_t, 2048>> buffers(kBatch);
  std::vector<iovec> iov(kBatch);
  std::vector<mmsghdr> messages(kBatch);
  while (!stop_) {
    for (size_t i = 0; i < kBatch; ++i) {
      iov[i] = {buffers[i].data(), buffers[i].size()};
      messages[i] = {};
      messages[i].msg_hdr.msg_iov = &iov[i];
      messages[i].msg_hdr.msg_iovlen = 1;
    }
    const int n = recvmmsg(fd_, messages.data(), kBatch, MSG_WAITFORONE, nullptr);
    if (n <= 0) continue;  // the timeout: look at stop_ again
    const int64_t arrived = monotonic_ns();
    for (int i = 0; i < n; ++i) {
      if (messages[i].msg_len < sizeof(Stamp)) continue;
      Stamp stamp;
      std::memcpy(&stamp, buffers[i].data(), sizeof stamp);
      if (stamp.magic != kStampMagic) continue;
      StreamCount& count = streams_[stamp.stream];
      if (count.delivered.empty()) {
        count.delivered.assign(windows_.count, 0);
        count.latency_us.resize(windows_.count);
      }
      const size_t window = windows_.index(stamp.sent_ns);
      ++count.delivered[window];
      if (stamp.stream < kFirstAttackStream) {
        count.latency_us[window].push_back((arrived - stamp.sent_ns) / 1000);
        ++legit_so_far_;
      }
    }
  }
}

}  // namespace westworld::cradle

// The twin's traffic, sent and counted in this process: each sender and receiver thread opens
// its socket inside a router's namespace (sockets stay in the namespace they were made in).
// Every datagram carries a stamp (stream, sequence number, send time on CLOCK_MONOTONIC, which
// all namespaces share), so delivery is counted per stream and send window, and latency is
// measured one way, not estimated.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace westworld::cradle {

// Streams are numbered by the arm: legitimate flows from 0, attacks from kFirstAttackStream.
inline constexpr uint16_t kFirstAttackStream = 1000;

int64_t monotonic_ns();

// What one stream did, by sample window (of its send time).
struct StreamCount {
  std::vector<uint64_t> sent;                    // by window
  std::vector<uint64_t> delivered;               // by window
  std::vector<std::vector<int64_t>> latency_us;  // by window; legitimate streams only
};

// Windows of `window` from `origin_ns`; counts past the last window go to the last one.
struct Windows {
  int64_t origin_ns = 0;
  int64_t window_ns = 1'000'000'000;
  size_t count = 1;
  size_t index(int64_t t_ns) const;
};

enum class SendMode : uint8_t {
  udp = 0,      // a UDP socket bound to `source`
  spoofed = 1,  // a raw IPv4 socket, a random source in kSpoofedPrefix for every datagram
};

struct SendPlan {
  uint16_t stream = 0;
  SendMode mode = SendMode::udp;
  std::string netns;
  std::string source;  // udp: the address to send from
  std::string destination;
  uint16_t port = 0;
  uint32_t pps = 0;
  uint32_t pps_end = 0;  // the rate climbs linearly to this by the end (0: constant)
  uint32_t payload_bytes = 16;
  int64_t start_ns = 0;  // monotonic
  int64_t stop_ns = 0;
};

// One thread sending one stream on its schedule; sent counts are read after join().
class Sender {
 public:
  Sender(SendPlan plan, Windows windows);  // opens the socket; throws naming the namespace
  ~Sender();
  Sender(const Sender&) = delete;
  Sender& operator=(const Sender&) = delete;

  void start();
  void cancel();  // stops before its schedule ends (the run was interrupted)
  void join();
  const SendPlan& plan() const { return plan_; }
  const std::vector<uint64_t>& sent() const { return sent_; }
  uint64_t send_errors() const { return errors_; }

 private:
  void run();
  SendPlan plan_;
  Windows windows_;
  int fd_ = -1;
  std::vector<uint64_t> sent_;
  uint64_t errors_ = 0;
  std::atomic<bool> cancelled_{false};
  std::thread thread_;
};

// Counts every stamped datagram arriving on one UDP port of one namespace until stop().
class Receiver {
 public:
  Receiver(const std::string& netns, uint16_t port, Windows windows);
  ~Receiver();
  Receiver(const Receiver&) = delete;
  Receiver& operator=(const Receiver&) = delete;

  void stop();  // joins
  // By stream: delivered and latencies by send window (no `sent`).
  const std::map<uint16_t, StreamCount>& streams() const { return streams_; }
  // Legitimate datagrams that arrived so far (read while running, for progress).
  uint64_t legit_so_far() const { return legit_so_far_.load(); }

 private:
  void run();
  Windows windows_;
  int fd_ = -1;
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> legit_so_far_{0};
  std::map<uint16_t, StreamCount> streams_;
  std::thread thread_;
};

}  // namespace westworld::cradle

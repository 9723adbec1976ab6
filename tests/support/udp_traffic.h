// UDP traffic between the test namespaces, through ww-traffic run under `ip netns exec`.
//
// A TrafficReceiver counts datagrams on one port of one namespace. To end a count without
// guessing how long to listen, finish() sends one marker datagram from the receiver's own
// namespace to 127.0.0.1: it never crosses a guarded interface, so it always arrives, and the
// receiver (started with --quiet-ms) stops shortly after it. Everything sent before finish()
// has had its chance to arrive by then, so "0 arrived" is a real observation and not a window
// that closed too early. The marker itself is not part of the result.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "westworld/harness/child_process.h"

namespace westworld::harness {

// What a receiver counted, without the end marker.
struct Received {
  uint64_t total = 0;
  std::map<std::string, uint64_t> by_source;

  // Datagrams from `address` (0 when none arrived).
  uint64_t from(const std::string& address) const;
};

class TrafficReceiver {
 public:
  // Starts `ww-traffic recv` on UDP `port` (dual-stack) in namespace `ns` and returns once its
  // socket is bound there. Throws std::runtime_error if it does not come up.
  TrafficReceiver(const std::string& ns, uint16_t port, const ChildIo& io);

  // Sends the end marker, waits for the receiver's report and returns its count. Throws
  // std::runtime_error if it fails or reports nothing.
  Received finish();

 private:
  std::string ns_;
  uint16_t port_;
  ChildProcess process_;
};

struct SendSpec {
  std::string dst;
  uint16_t dport = 0;
  uint32_t count = 1;
  uint32_t pps = 0;      // 0: as fast as possible
  std::string src = {};  // a local address to send from; empty: the kernel's choice
};

struct SendResult {
  uint64_t sent = 0;    // datagrams the kernel accepted
  uint64_t errors = 0;  // sendto failures (a tc drop on egress shows up here)
};

// `ww-traffic send` in the background; finish() waits for it.
class TrafficSender {
 public:
  TrafficSender(const std::string& ns, const SendSpec& spec, const ChildIo& io);
  // Waits for the sender and returns its report. Throws std::runtime_error if it fails.
  SendResult finish();

 private:
  ChildProcess process_;
};

// Runs `ww-traffic send` in `ns` to completion.
SendResult send_udp(const std::string& ns, const SendSpec& spec, const ChildIo& io);

}  // namespace westworld::harness

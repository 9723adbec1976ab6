// Audit events from the guard's ring buffer, read when its fd is readable
// (no polling) and logged.
#pragma once

#include <bpf/libbpf.h>

// clang-format off
#include <utility>  // before Asio: Boost 1.74 needs std::exchange declared under C++20
#include <boost/asio.hpp>
// clang-format on
#include <cstdint>

namespace westworld::agent {

class EventStream {
 public:
  EventStream(boost::asio::io_context& io, int ringbuf_map_fd);
  ~EventStream();
  EventStream(const EventStream&) = delete;
  EventStream& operator=(const EventStream&) = delete;

  uint64_t received() const { return received_; }

 private:
  static int on_event(void* ctx, void* data, size_t size);
  void wait();

  ring_buffer* ring_ = nullptr;
  boost::asio::posix::stream_descriptor descriptor_;
  uint64_t received_ = 0;
};

}  // namespace westworld::agent

// Audit events from the guard's ring buffer. The reader owns libbpf's ring
// buffer; callers wait for fd() to become readable (no polling), then consume().
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "westworld/abi.h"
#include "westworld/dataplane/guard_maps.h"

struct ring_buffer;  // libbpf's, kept out of this header

namespace westworld::dataplane {

class EventReader {
 public:
  using Sink = std::function<void(const ww_event&)>;

  // Throws Error when the ring buffer cannot be opened.
  EventReader(const GuardMaps& maps, Sink sink);
  ~EventReader();
  EventReader(const EventReader&) = delete;
  EventReader& operator=(const EventReader&) = delete;

  // Readable when events are waiting; owned by the reader.
  int fd() const;
  // Hands every waiting event to the sink; returns how many.
  size_t consume();
  uint64_t received() const { return received_; }

 private:
  static int on_event(void* ctx, void* data, size_t size);

  struct RingBufferFree {
    void operator()(ring_buffer* ring) const;
  };
  std::unique_ptr<ring_buffer, RingBufferFree> ring_;
  Sink sink_;
  uint64_t received_ = 0;
};

}  // namespace westworld::dataplane

#include "westworld/dataplane/event_reader.h"

#include <bpf/libbpf.h>

#include <cerrno>

#include "westworld/dataplane/error.h"

namespace westworld::dataplane {

void EventReader::RingBufferFree::operator()(ring_buffer* ring) const { ring_buffer__free(ring); }

EventReader::EventReader(const GuardMaps& maps, Sink sink)
    : ring_(ring_buffer__new(maps.events.get(), &EventReader::on_event, this, nullptr)),
      sink_(std::move(sink)) {
  if (!ring_) throw Error(describe_errno("cannot open the event ring buffer", errno));
}

EventReader::~EventReader() = default;

int EventReader::fd() const { return ring_buffer__epoll_fd(ring_.get()); }

size_t EventReader::consume() {
  const int n = ring_buffer__consume(ring_.get());
  return n > 0 ? static_cast<size_t>(n) : 0;
}

int EventReader::on_event(void* ctx, void* data, size_t size) {
  auto* self = static_cast<EventReader*>(ctx);
  if (size < sizeof(ww_event)) return 0;  // not ours: a record of another ABI
  ++self->received_;
  self->sink_(*static_cast<const ww_event*>(data));
  return 0;
}

}  // namespace westworld::dataplane

#include "westworld/agent/event_stream.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include "westworld/abi.h"
#include "westworld/dataplane/error.h"
#include "westworld/dataplane/events.h"

namespace westworld::agent {

EventStream::EventStream(boost::asio::io_context& io, int ringbuf_map_fd) : descriptor_(io) {
  ring_ = ring_buffer__new(ringbuf_map_fd, &EventStream::on_event, this, nullptr);
  if (!ring_) throw dataplane::Error(dataplane::describe_errno("cannot open the event ring buffer", errno));
  // The descriptor owns a duplicate, so closing it never closes libbpf's epoll fd.
  descriptor_.assign(::dup(ring_buffer__epoll_fd(ring_)));
  wait();
}

EventStream::~EventStream() {
  boost::system::error_code ec;
  descriptor_.close(ec);
  ring_buffer__free(ring_);
}

int EventStream::on_event(void* ctx, void* data, size_t size) {
  auto* self = static_cast<EventStream*>(ctx);
  if (size < sizeof(ww_event)) return 0;
  ++self->received_;
  spdlog::info("{}", dataplane::describe_event(*static_cast<const ww_event*>(data)));
  return 0;
}

void EventStream::wait() {
  descriptor_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                         [this](boost::system::error_code ec) {
                           if (ec) return;
                           ring_buffer__consume(ring_);
                           wait();
                         });
}

}  // namespace westworld::agent

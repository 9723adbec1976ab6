#include "westworld/agent/event_stream.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include "westworld/dataplane/events.h"

namespace westworld::agent {

EventStream::EventStream(boost::asio::io_context& io, const dataplane::GuardMaps& maps)
    : reader_(maps,
              [this](const ww_event& event) {
                spdlog::info("{}", dataplane::describe_event(event));
                if (event.kind == WW_EVENT_VIOLATION && on_violation_) on_violation_(event);
              }),
      descriptor_(io, ::dup(reader_.fd())) {
  // The descriptor owns a duplicate, so closing it never closes the reader's fd.
  wait();
}

EventStream::~EventStream() {
  boost::system::error_code ec;
  descriptor_.close(ec);
}

void EventStream::wait() {
  descriptor_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                         [this](boost::system::error_code ec) {
                           if (ec) return;
                           reader_.consume();
                           wait();
                         });
}

}  // namespace westworld::agent

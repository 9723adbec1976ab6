// Events from the guard's ring buffer, read when its fd is readable (no
// polling) and logged; violation events also go to whoever listens for them.
#pragma once

// clang-format off
#include <utility>  // before Asio: Boost 1.74 needs std::exchange declared under C++20
#include <boost/asio.hpp>
// clang-format on
#include <cstdint>
#include <functional>

#include "westworld/dataplane/event_reader.h"

namespace westworld::agent {

class EventStream {
 public:
  EventStream(boost::asio::io_context& io, const dataplane::GuardMaps& maps);
  ~EventStream();
  EventStream(const EventStream&) = delete;
  EventStream& operator=(const EventStream&) = delete;

  uint64_t received() const { return reader_.received(); }
  // Where WW_EVENT_VIOLATION events go, besides the log.
  void on_violation(std::function<void(const ww_event&)> sink) { on_violation_ = std::move(sink); }

 private:
  void wait();

  std::function<void(const ww_event&)> on_violation_;
  dataplane::EventReader reader_;
  boost::asio::posix::stream_descriptor descriptor_;
};

}  // namespace westworld::agent

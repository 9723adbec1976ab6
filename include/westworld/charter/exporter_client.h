// Reads one local exporter's exposition over HTTP/1.1 (Boost.Beast), asynchronously on the
// agent's io_context: a slow or silent exporter costs the gate a timeout, never its loop.
#pragma once

// clang-format off
#include <utility>  // before Asio: Boost 1.74 needs std::exchange declared under C++20
#include <boost/asio/io_context.hpp>
// clang-format on
#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

#include "westworld/policy/model.h"

namespace westworld::charter {

struct ExporterReadLimits {
  std::chrono::milliseconds timeout{3000};  // connect, request and the whole response
  size_t max_body_bytes = 8u << 20;
};

struct ExporterReply {
  std::string body;   // the exposition, when error is empty
  std::string error;  // why there is none: "connection refused", "HTTP 500", "timeout", ...
};

// GETs the exporter's path, asking for the text format, and calls `done` once, on `io`.
void read_exporter(boost::asio::io_context& io, const policy::Exporter& exporter,
                   const ExporterReadLimits& limits, std::function<void(ExporterReply)> done);

}  // namespace westworld::charter

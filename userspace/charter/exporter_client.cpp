#include "westworld/charter/exporter_client.h"

#include "westworld/common/http_get.h"

namespace westworld::charter {

void read_exporter(boost::asio::io_context& io, const policy::Exporter& exporter,
                   const ExporterReadLimits& limits, std::function<void(ExporterReply)> done) {
  common::HttpGetRequest request;
  request.host = exporter.host;
  request.port = exporter.port;
  request.target = exporter.path;
  request.accept = "text/plain;version=0.0.4";  // the text exposition format
  request.user_agent = "westworld-telemetry-gate";
  common::http_get(io, request, {limits.timeout, limits.max_body_bytes},
                   [done = std::move(done)](common::HttpGetReply reply) {
                     if (!reply.answered()) return done({{}, std::move(reply.error)});
                     // An error page is not an exposition: only a 200 is read.
                     if (reply.status != 200)
                       return done({{}, "HTTP " + std::to_string(reply.status)});
                     done({std::move(reply.body), {}});
                   });
}

}  // namespace westworld::charter

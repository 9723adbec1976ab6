#include "westworld/charter/exporter_client.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <memory>
#include <optional>

namespace westworld::charter {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// One request's state; it keeps itself alive through the handlers it hands to Beast.
class ExporterRead : public std::enable_shared_from_this<ExporterRead> {
 public:
  ExporterRead(asio::io_context& io, const policy::Exporter& exporter,
               const ExporterReadLimits& limits, std::function<void(ExporterReply)> done)
      : stream_(io), exporter_(exporter), limits_(limits), done_(std::move(done)) {}

  void start() {
    boost::system::error_code ec;
    const asio::ip::address address = asio::ip::make_address(exporter_.host, ec);
    if (ec)  // `done` is never called before read_exporter returns
      return asio::post(stream_.get_executor(), [self = shared_from_this()] {
        self->finish({{}, "'" + self->exporter_.host + "' is not an IP address"});
      });
    stream_.expires_after(limits_.timeout);  // one deadline for the whole exchange
    stream_.async_connect(tcp::endpoint(address, exporter_.port),
                          [self = shared_from_this()](beast::error_code error) {
                            if (error) return self->fail("connect", error);
                            self->send();
                          });
  }

 private:
  void send() {
    request_.version(11);
    request_.method(http::verb::get);
    request_.target(exporter_.path);
    request_.set(http::field::host, exporter_.host + ":" + std::to_string(exporter_.port));
    request_.set(http::field::user_agent, "westworld-telemetry-gate");
    request_.set(http::field::accept, "text/plain;version=0.0.4");
    request_.keep_alive(false);
    http::async_write(stream_, request_,
                      [self = shared_from_this()](beast::error_code error, size_t) {
                        if (error) return self->fail("request", error);
                        self->receive();
                      });
  }

  void receive() {
    parser_.emplace();
    parser_->body_limit(limits_.max_body_bytes);
    http::async_read(
        stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code error, size_t) {
          if (error == http::error::body_limit)
            return self->finish({{},
                                 "the exposition is larger than " +
                                     std::to_string(self->limits_.max_body_bytes) + " bytes"});
          if (error) return self->fail("response", error);
          self->deliver();
        });
  }

  void deliver() {
    auto response = parser_->release();
    if (response.result() != http::status::ok)
      return finish({{}, "HTTP " + std::to_string(response.result_int())});
    finish({std::move(response.body()), {}});
  }

  void fail(const char* stage, beast::error_code error) {
    finish({{},
            std::string(stage) + ": " +
                (error == beast::error::timeout ? std::string("timeout") : error.message())});
  }

  void finish(ExporterReply reply) {
    beast::error_code ignored;
    stream_.socket().close(ignored);
    if (done_) std::exchange(done_, nullptr)(std::move(reply));
  }

  beast::tcp_stream stream_;
  policy::Exporter exporter_;
  ExporterReadLimits limits_;
  std::function<void(ExporterReply)> done_;
  http::request<http::empty_body> request_;
  beast::flat_buffer buffer_;
  std::optional<http::response_parser<http::string_body>> parser_;
};

}  // namespace

void read_exporter(asio::io_context& io, const policy::Exporter& exporter,
                   const ExporterReadLimits& limits, std::function<void(ExporterReply)> done) {
  std::make_shared<ExporterRead>(io, exporter, limits, std::move(done))->start();
}

}  // namespace westworld::charter

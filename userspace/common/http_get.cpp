#include "westworld/common/http_get.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <memory>
#include <optional>

namespace westworld::common {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// One GET's state; it keeps itself alive through the handlers it hands to Beast.
class HttpGet : public std::enable_shared_from_this<HttpGet> {
 public:
  HttpGet(asio::io_context& io, const HttpGetRequest& request, const HttpGetLimits& limits,
          std::function<void(HttpGetReply)> done)
      : stream_(io), request_(request), limits_(limits), done_(std::move(done)) {}

  void start() {
    boost::system::error_code ec;
    const asio::ip::address address = asio::ip::make_address(request_.host, ec);
    if (ec)  // posted: `done` is never called before http_get returns
      return asio::post(stream_.get_executor(), [self = shared_from_this()] {
        self->finish({0, {}, "'" + self->request_.host + "' is not an IP address"});
      });
    stream_.expires_after(limits_.timeout);  // one deadline for the whole exchange
    stream_.async_connect(tcp::endpoint(address, request_.port),
                          [self = shared_from_this()](beast::error_code error) {
                            if (error) return self->fail("connect", error);
                            self->send();
                          });
  }

 private:
  void send() {
    message_.version(11);
    message_.method(http::verb::get);
    message_.target(request_.target);
    message_.set(http::field::host, host_header());
    message_.set(http::field::user_agent, request_.user_agent);
    if (!request_.accept.empty()) message_.set(http::field::accept, request_.accept);
    message_.keep_alive(false);
    http::async_write(stream_, message_,
                      [self = shared_from_this()](beast::error_code error, std::size_t) {
                        if (error) return self->fail("request", error);
                        self->receive();
                      });
  }

  void receive() {
    parser_.emplace();
    parser_->body_limit(limits_.max_body_bytes);
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code error, std::size_t) {
          if (error == http::error::body_limit)
            return self->finish({0,
                                 {},
                                 "the body is larger than " +
                                     std::to_string(self->limits_.max_body_bytes) + " bytes"});
          if (error) return self->fail("response", error);
          auto response = self->parser_->release();
          self->finish({response.result_int(), std::move(response.body()), {}});
        });
  }

  // "[::1]:9090" for IPv6 literals, as RFC 9110 writes them.
  std::string host_header() const {
    const bool v6 = request_.host.find(':') != std::string::npos;
    return (v6 ? "[" + request_.host + "]" : request_.host) + ":" + std::to_string(request_.port);
  }

  void fail(const char* stage, beast::error_code error) {
    finish({0,
            {},
            std::string(stage) + ": " +
                (error == beast::error::timeout ? std::string("timeout") : error.message())});
  }

  void finish(HttpGetReply reply) {
    beast::error_code ignored;
    stream_.socket().close(ignored);
    if (done_) std::exchange(done_, nullptr)(std::move(reply));
  }

  beast::tcp_stream stream_;
  HttpGetRequest request_;
  HttpGetLimits limits_;
  std::function<void(HttpGetReply)> done_;
  http::request<http::empty_body> message_;
  beast::flat_buffer buffer_;
  std::optional<http::response_parser<http::string_body>> parser_;
};

}  // namespace

void http_get(asio::io_context& io, const HttpGetRequest& request, const HttpGetLimits& limits,
              std::function<void(HttpGetReply)> done) {
  std::make_shared<HttpGet>(io, request, limits, std::move(done))->start();
}

HttpGetReply http_get(const HttpGetRequest& request, const HttpGetLimits& limits) {
  asio::io_context io;
  HttpGetReply reply;
  http_get(io, request, limits, [&reply](HttpGetReply r) { reply = std::move(r); });
  io.run();  // returns once the exchange ends; the stream's deadline bounds it
  return reply;
}

}  // namespace westworld::common

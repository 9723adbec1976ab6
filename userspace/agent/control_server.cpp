#include "westworld/agent/control_server.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <istream>

#include "westworld/common/printable.h"
#include "westworld/control/client.h"
#include "westworld/control/codec.h"
#include "westworld/dataplane/error.h"

namespace westworld::agent {

const std::string& internal_error_reply() {
  static const std::string reply = control::encode_error(
      {control::ErrorCode::internal,
       "the agent failed to handle this request; it keeps running (see its log)",
       {}});
  return reply;
}

namespace {

namespace asio = boost::asio;
using local = asio::local::stream_protocol;

std::string request_too_long_reply(size_t limit) {
  return control::encode_error(
      {control::ErrorCode::bad_request,
       "the request line is longer than " + std::to_string(limit) + " bytes",
       {}});
}

// Whether a live process listens on `path` (then it is not ours to replace); one that
// answers outside our protocol, or too slowly, is alive all the same.
bool someone_serves(const std::string& path) {
  try {
    return control::Client(path, std::chrono::seconds(2)).call(control::PingRequest{}).has_value();
  } catch (const control::ClientError&) {
    return true;
  }
}

// What an exception says may quote the request: it is logged through printable(), so it
// cannot forge log lines or carry terminal escapes.
constexpr size_t kMaxLoggedBytes = 512;

// The handler's reply, or the fixed internal error if it throws anything or breaks framing.
std::string reply_to(const ControlServer::Handler& handler, std::string_view line) {
  try {
    std::string reply = handler(line);
    if (reply.find('\n') == std::string::npos) return reply;
    spdlog::error("control: the reply to a request contains a newline; sent an internal error");
  } catch (const std::exception& e) {
    spdlog::error("control: a request failed: {}",
                  common::printable(std::string_view(e.what()).substr(0, kMaxLoggedBytes)));
  } catch (...) {
    spdlog::error("control: a request failed with an exception that is not a std::exception");
  }
  return internal_error_reply();
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(local::socket socket, std::shared_ptr<const ControlServer::Handler> handler,
          const ControlServerOptions& options, SessionSlot slot)
      : socket_(std::move(socket)),
        deadline_(socket_.get_executor()),
        buffer_(options.max_request_bytes + 1),  // the line and its newline
        handler_(std::move(handler)),
        timeout_(options.session_timeout),
        max_request_bytes_(options.max_request_bytes),
        slot_(std::move(slot)) {}

  void start() {
    arm_deadline();
    asio::async_read_until(socket_, buffer_, '\n',
                           [self = shared_from_this()](boost::system::error_code ec, size_t) {
                             if (!ec)
                               self->respond();
                             else if (ec == asio::error::not_found)  // the buffer filled up
                               self->send(request_too_long_reply(self->max_request_bytes_));
                           });
  }

 private:
  // A peer that neither sends its line nor takes its reply in time loses its connection, and
  // with it the slot it held.
  void arm_deadline() {
    deadline_.expires_after(timeout_);
    deadline_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
      auto self = weak.lock();
      if (ec || !self) return;
      spdlog::debug("control: a connection timed out");
      boost::system::error_code ignored;
      self->socket_.close(ignored);
    });
  }

  void respond() {
    std::istream in(&buffer_);
    std::string line;
    std::getline(in, line);
    send(reply_to(*handler_, line));
  }

  void send(std::string reply) {
    reply_ = std::move(reply) + "\n";
    arm_deadline();
    asio::async_write(socket_, asio::buffer(reply_),
                      [self = shared_from_this()](boost::system::error_code, size_t) {
                        self->deadline_.cancel();
                      });
  }

  local::socket socket_;
  asio::steady_timer deadline_;
  asio::streambuf buffer_;
  std::string reply_;
  std::shared_ptr<const ControlServer::Handler> handler_;
  std::chrono::milliseconds timeout_;
  size_t max_request_bytes_;
  SessionSlot slot_;
};

}  // namespace

ControlServer::ControlServer(asio::io_context& io, const std::string& path, Handler handler,
                             ControlServerOptions options)
    : path_(path),
      handler_(std::make_shared<const Handler>(std::move(handler))),
      options_(options) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  if (std::filesystem::exists(path)) {
    if (someone_serves(path)) throw dataplane::Error("another agent already serves " + path);
    std::filesystem::remove(path);
  }
  local::acceptor acceptor(io);
  acceptor.open(local());
  acceptor.bind(local::endpoint(path));
  ::chmod(path.c_str(), 0600);  // control is root's: it can change what the mesh enforces
  acceptor.listen();
  loop_.emplace(
      std::move(acceptor), "control", options_.accept,
      [this](local::socket socket, SessionSlot slot) {
        std::make_shared<Session>(std::move(socket), handler_, options_, std::move(slot))->start();
      });
}

ControlServer::~ControlServer() {
  loop_.reset();
  ::unlink(path_.c_str());
}

}  // namespace westworld::agent

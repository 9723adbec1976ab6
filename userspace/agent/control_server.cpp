#include "westworld/agent/control_server.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <istream>

#include "westworld/control/client.h"
#include "westworld/dataplane/error.h"

namespace westworld::agent {

const std::string_view kInternalErrorReply =
    R"json({"version":1,"ok":false,"error":{"code":"internal",)json"
    R"json("message":"the agent failed to handle this request; it keeps running (see its log)"}})json";

namespace {

namespace asio = boost::asio;
using local = asio::local::stream_protocol;

std::string request_too_long_reply(size_t limit) {
  return R"json({"version":1,"ok":false,"error":{"code":"bad_request",)json"
         R"json("message":"the request line is longer than )json" +
         std::to_string(limit) + R"json( bytes"}})json";
}

// What an exception says may quote the request; it goes to the log with every byte that is
// not printable ASCII escaped, so it cannot forge log lines or carry terminal escapes.
std::string printable(std::string_view text) {
  constexpr size_t kMaxLogged = 512;
  std::string out;
  for (const unsigned char c : text.substr(0, kMaxLogged)) {
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out += static_cast<char>(c);
    } else {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  if (text.size() > kMaxLogged) out += "...";
  return out;
}

// The handler's reply, or the fixed internal error if it throws anything or breaks framing.
std::string reply_to(const ControlServer::Handler& handler, std::string_view line) {
  try {
    std::string reply = handler(line);
    if (reply.find('\n') == std::string::npos) return reply;
    spdlog::error("control: the reply to a request contains a newline; sent an internal error");
  } catch (const std::exception& e) {
    spdlog::error("control: a request failed: {}", printable(e.what()));
  } catch (...) {
    spdlog::error("control: a request failed with an exception that is not a std::exception");
  }
  return std::string(kInternalErrorReply);
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
    if (control::call_agent(path, {{"cmd", "ping"}}))
      throw dataplane::Error("another agent already serves " + path);
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

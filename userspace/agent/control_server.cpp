#include "westworld/agent/control_server.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <memory>

#include "westworld/control/client.h"
#include "westworld/control/messages.h"
#include "westworld/dataplane/error.h"

namespace westworld::agent {
namespace {

namespace asio = boost::asio;
using local = asio::local::stream_protocol;

// Requests are small; a line longer than this is not a wwctl request.
constexpr size_t kMaxRequestBytes = control::kMaxRequestBytes;

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(local::socket socket, const ControlServer::Handler& handler)
      : socket_(std::move(socket)), buffer_(kMaxRequestBytes), handler_(handler) {}

  void start() {
    auto self = shared_from_this();
    asio::async_read_until(socket_, buffer_, '\n', [self](boost::system::error_code ec, size_t) {
      if (ec) return;
      self->respond();
    });
  }

 private:
  void respond() {
    std::istream in(&buffer_);
    std::string line;
    std::getline(in, line);
    reply_text_ = handler_(line) + "\n";
    auto self = shared_from_this();
    asio::async_write(socket_, asio::buffer(reply_text_),
                      [self](boost::system::error_code, size_t) {});
  }

  local::socket socket_;
  asio::streambuf buffer_;
  std::string reply_text_;
  const ControlServer::Handler& handler_;
};

}  // namespace

ControlServer::ControlServer(asio::io_context& io, const std::string& path, Handler handler)
    : acceptor_(io), path_(path), handler_(std::move(handler)) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  if (std::filesystem::exists(path)) {
    if (control::Client(path, std::chrono::seconds(2)).call(control::PingRequest{}))
      throw dataplane::Error("another agent already serves " + path);
    std::filesystem::remove(path);
  }
  acceptor_.open(local());
  acceptor_.bind(local::endpoint(path));
  ::chmod(path.c_str(), 0600);  // control is root's: it can change what the mesh enforces
  acceptor_.listen();
  accept();
}

ControlServer::~ControlServer() {
  boost::system::error_code ec;
  acceptor_.close(ec);
  ::unlink(path_.c_str());
}

void ControlServer::accept() {
  acceptor_.async_accept([this](boost::system::error_code ec, local::socket socket) {
    if (ec) return;  // the acceptor was closed
    std::make_shared<Session>(std::move(socket), handler_)->start();
    accept();
  });
}

}  // namespace westworld::agent

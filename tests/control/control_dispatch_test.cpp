// The agent's command table and the typed client, over a real Unix socket.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "westworld/control/client.h"
#include "westworld/control/dispatcher.h"

namespace westworld::control {
namespace {

using namespace std::chrono_literals;

template <typename Reply>
Result<Reply> answer(const Dispatcher& d, const std::string& line) {
  return decode_reply<Reply>(d.handle(line));
}

TEST(ControlDispatcher, RoutesEachCommandToItsHandler) {
  Dispatcher d;
  d.on<AlertsRequest>([](const AlertsRequest& r) -> Result<AlertsReply> {
    AlertsReply reply;
    reply.alerts_total = r.limit * 2;
    return reply;
  });
  d.on<DetachRequest>([](const DetachRequest& r) -> Result<DetachReply> {
    return Error{ErrorCode::not_found, "not attached to " + r.iface.value_or("?"), {}};
  });
  const auto alerts = answer<AlertsReply>(d, encode_request(AlertsRequest{21}));
  ASSERT_TRUE(alerts.ok());
  EXPECT_EQ(alerts->alerts_total, 42u);
  const auto detach = answer<DetachReply>(d, encode_request(DetachRequest{"eth9"}));
  ASSERT_FALSE(detach.ok());
  EXPECT_EQ(detach.error().code, ErrorCode::not_found);
  EXPECT_EQ(detach.error().message, "not attached to eth9");
}

TEST(ControlDispatcher, NothingEscapesAHandler) {
  Dispatcher d;
  d.on<PingRequest>([](const PingRequest&) -> Result<PingReply> { throw 42; });
  d.on<StatusRequest>(
      [](const StatusRequest&) -> Result<StatusReply> { throw std::runtime_error("map gone"); });
  auto ping = answer<PingReply>(d, encode_request(PingRequest{}));
  ASSERT_FALSE(ping.ok());
  EXPECT_EQ(ping.error().code, ErrorCode::internal);
  auto status = answer<StatusReply>(d, encode_request(StatusRequest{}));
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message, "map gone");
  // A command the table lacks, and garbage, are answered too.
  EXPECT_EQ(answer<TopReply>(d, encode_request(TopRequest{})).error().code,
            ErrorCode::unknown_command);
  EXPECT_EQ(answer<TopReply>(d, "\xff\xfe").error().code, ErrorCode::bad_request);
}

// A listening socket that accepts and never answers: a wedged agent.
class SilentServer {
 public:
  SilentServer()
      : path_(std::filesystem::temp_directory_path() /
              ("ww-silent-" + std::to_string(getpid()) + ".sock")) {
    std::filesystem::remove(path_);
    fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path_.c_str(), sizeof addr.sun_path - 1);
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(::listen(fd_, 4), 0);
  }
  ~SilentServer() {
    ::close(fd_);
    std::filesystem::remove(path_);
  }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

// Finding 9 of issue 8: wwctl hung forever on a wedged agent.
TEST(ControlClient, AWedgedAgentIsATimeoutNotAHang) {
  SilentServer server;
  Client client(server.path(), 200ms);
  EXPECT_THROW(client.call(PingRequest{}), ClientError);
}

TEST(ControlClient, NoAgentIsNothingNotAnError) {
  Client client("/nonexistent/ww-no-agent.sock", 200ms);
  EXPECT_FALSE(client.call(PingRequest{}).has_value());
}

}  // namespace
}  // namespace westworld::control

// The control server in-process: real Unix sockets, a real io_context, test handlers.
#include "westworld/agent/control_server.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <vector>

#include "server_harness.h"
#include "westworld/dataplane/error.h"

namespace westworld::agent_test {
namespace {

using agent::ControlServer;
using agent::ControlServerOptions;
using namespace std::chrono_literals;

// Echoes the line back; "ping" (how a starting agent probes the path) answers as an agent does.
std::string echo(std::string_view line) {
  if (line.find("\"ping\"") != std::string_view::npos) return R"({"ok":true})";
  return "echo:" + std::string(line);
}

bool is_printable_ascii(const std::string& text) {
  for (const unsigned char c : text)
    if (c < 0x20 || c >= 0x7f) return false;
  return true;
}

class ControlServerTest : public ::testing::Test {
 protected:
  void TearDown() override {
    io_.stop();
    servers_.clear();
    std::filesystem::remove_all(std::filesystem::path(path_).parent_path());
  }

  ControlServer& start(ControlServer::Handler handler, ControlServerOptions options = {}) {
    servers_.push_back(
        std::make_unique<ControlServer>(io_.io(), path_, std::move(handler), options));
    io_.start();
    return *servers_.back();
  }

  std::string request(std::string_view line) {
    UniqueFd client = connect_unix(path_);
    send_all(client.get(), std::string(line) + "\n");
    return read_line(client.get());
  }

  const std::string path_ = unique_socket_path("agent.sock");
  IoThread io_;
  std::vector<std::unique_ptr<ControlServer>> servers_;
};

TEST_F(ControlServerTest, AnswersEachRequestLineWithTheHandlersReplyLine) {
  start(echo);
  EXPECT_EQ(request("hello"), "echo:hello");
  EXPECT_EQ(request(R"({"cmd":"status"})"), R"(echo:{"cmd":"status"})");
}

TEST_F(ControlServerTest, AHandlerThrowingAnythingGetsTheInternalErrorAndServingGoesOn) {
  start([](std::string_view line) -> std::string {
    if (line == "int") throw 42;  // not a std::exception
    if (line == "std") throw std::runtime_error("the handler failed");
    return echo(line);
  });
  for (const char* line : {"int", "std"}) {
    const std::string reply = request(line);
    EXPECT_EQ(reply, agent::internal_error_reply()) << line;
    const auto json = nlohmann::json::parse(reply);
    EXPECT_EQ(json["ok"], false);
    EXPECT_EQ(json["error"]["code"], "internal");
  }
  EXPECT_EQ(request("hello"), "echo:hello") << "the server must keep serving";
}

TEST_F(ControlServerTest, AnExceptionQuotingRawBytesYieldsAFixedPrintableReply) {
  // What a rule name with yaml-cpp's "\N" and "\_" escapes turns into, plus a forged log line.
  start([](std::string_view) -> std::string {
    throw std::runtime_error("bad rule name '\x85\xa0\xff'\r\n2024-01-01 info forged\x1b[31m");
  });
  const std::string reply = request("anything");
  EXPECT_EQ(reply, agent::internal_error_reply());
  EXPECT_TRUE(is_printable_ascii(reply));
  EXPECT_TRUE(nlohmann::json::accept(reply));
}

TEST_F(ControlServerTest, AReplyThatWouldBreakTheFramingIsReplacedByTheInternalError) {
  start([](std::string_view) { return std::string("first line\nsecond line"); });
  EXPECT_EQ(request("anything"), agent::internal_error_reply());
}

TEST_F(ControlServerTest, ALineLongerThanTheLimitGetsAnErrorReplyNotASilentClose) {
  ControlServerOptions options;
  options.max_request_bytes = 1024;
  start([](std::string_view line) { return "length:" + std::to_string(line.size()); }, options);

  EXPECT_EQ(request(std::string(1024, 'x')), "length:1024") << "a line at the limit is served";

  const std::string reply = request(std::string(4096, 'x'));
  const auto json = nlohmann::json::parse(reply);
  EXPECT_EQ(json["ok"], false);
  EXPECT_EQ(json["error"]["code"], "bad_request");
  EXPECT_NE(json["error"]["message"].get<std::string>().find("1024"), std::string::npos) << reply;
  EXPECT_EQ(request("x"), "length:1") << "the server must keep serving";
}

TEST_F(ControlServerTest, IdleConnectionsBeyondTheCapDoNotKeepARequestFromBeingServed) {
  ControlServerOptions options;
  options.accept.max_sessions = 4;
  options.session_timeout = 200ms;
  ControlServer& server = start(echo, options);

  std::vector<UniqueFd> idle;
  for (size_t i = 0; i < 2 * options.accept.max_sessions; ++i) idle.push_back(connect_unix(path_));
  ASSERT_TRUE(eventually([&] { return server.active_sessions() == options.accept.max_sessions; }))
      << "sessions: " << server.active_sessions();

  // Queued behind every idle connection, so served only once their sessions time out.
  ASSERT_EQ(request("hello"), "echo:hello");
  for (const UniqueFd& fd : idle) EXPECT_TRUE(closed_by_peer(fd.get()));
  EXPECT_TRUE(eventually([&] { return server.active_sessions() == 0; }));
}

TEST_F(ControlServerTest, TheSocketIsRootsAloneAndGoneWhenTheServerStops) {
  start(echo);
  struct stat st {};
  ASSERT_EQ(::stat(path_.c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  io_.stop();
  servers_.clear();
  EXPECT_FALSE(std::filesystem::exists(path_));
}

TEST_F(ControlServerTest, AStaleSocketFileIsReplaced) {
  {  // a socket file nobody listens on, as a killed agent leaves it
    std::filesystem::create_directories(std::filesystem::path(path_).parent_path());
    UniqueFd stale = unix_socket();
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    path_.copy(addr.sun_path, sizeof addr.sun_path - 1);
    ASSERT_EQ(::bind(stale.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  }
  ASSERT_TRUE(std::filesystem::exists(path_));
  start(echo);
  EXPECT_EQ(request("hello"), "echo:hello");
}

TEST_F(ControlServerTest, ASecondServerOnALivePathIsRefused) {
  start(echo);
  try {
    ControlServer second(io_.io(), path_, echo);
    ADD_FAILURE() << "a second server took over a live socket";
  } catch (const dataplane::Error& e) {
    EXPECT_EQ(std::string(e.what()), "another agent already serves " + path_);
  }
  EXPECT_EQ(request("hello"), "echo:hello") << "the first server must be unaffected";
}

}  // namespace
}  // namespace westworld::agent_test

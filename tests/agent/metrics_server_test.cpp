// The metrics server in-process: real TCP on loopback, a real io_context, raw HTTP from the
// test so that it can send what no well-behaved client would.
#include "westworld/agent/metrics_server.h"

#include <gtest/gtest.h>

#include <vector>

#include "server_harness.h"

namespace westworld::agent_test {
namespace {

using agent::MetricsServer;
using agent::MetricsServerOptions;
using namespace std::chrono_literals;

constexpr const char* kExposition = "ww_test_metric 1\n";

bool has_whole_header(const std::string& text) {
  return text.find("\r\n\r\n") != std::string::npos;
}

std::string status_line(const std::string& response) {
  return response.substr(0, response.find("\r\n"));
}

class MetricsServerTest : public ::testing::Test {
 protected:
  void TearDown() override {
    io_.stop();
    server_.reset();
  }

  MetricsServer& start(MetricsServerOptions options = {}) {
    server_.emplace(
        io_.io(), "127.0.0.1:0", [] { return std::string(kExposition); }, options);
    io_.start();
    return *server_;
  }

  UniqueFd connect() { return connect_tcp(server_->endpoint()); }

  IoThread io_;
  std::optional<MetricsServer> server_;
};

TEST_F(MetricsServerTest, ServesMetricsToAGet) {
  start();
  UniqueFd client = connect();
  send_all(client.get(), "GET /metrics HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
  const std::string response = read_to_end(client.get());
  EXPECT_EQ(status_line(response), "HTTP/1.1 200 OK");
  EXPECT_NE(response.find(kExposition), std::string::npos) << response;
}

TEST_F(MetricsServerTest, KeepsTheConnectionForTheNextRequest) {
  start();
  UniqueFd client = connect();
  for (int i = 0; i < 2; ++i) {
    send_all(client.get(), "GET /metrics HTTP/1.1\r\nHost: test\r\n\r\n");
    const std::string response = read_until(client.get(), [](const std::string& text) {
      return text.find(kExposition) != std::string::npos;
    });
    EXPECT_EQ(status_line(response), "HTTP/1.1 200 OK") << "request " << i;
  }
}

TEST_F(MetricsServerTest, ALargeBodyIsRefusedWith413BeforeItIsRead) {
  start();
  UniqueFd client = connect();
  constexpr size_t kBody = 64 * 1024 * 1024;
  send_all(client.get(), "POST /metrics HTTP/1.1\r\nHost: test\r\nContent-Length: " +
                             std::to_string(kBody) + "\r\n\r\n");
  const std::string response = read_until(client.get(), has_whole_header);
  EXPECT_EQ(status_line(response), "HTTP/1.1 413 Payload Too Large");
  EXPECT_TRUE(closed_by_peer(client.get())) << "the connection must close after the 413";
  // Nobody reads the body: the peer is gone, so sending it fails long before the end.
  EXPECT_LT(send_all(client.get(), std::string(kBody, 'x')), kBody);
}

TEST_F(MetricsServerTest, EvenASmallBodyOnAGetIsRefused) {
  start();
  for (const char* request : {
           "GET /metrics HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\n\r\nhello",
           "GET /metrics HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n"
           "5\r\nhello\r\n0\r\n\r\n",
       }) {
    UniqueFd client = connect();
    send_all(client.get(), request);
    EXPECT_EQ(status_line(read_until(client.get(), has_whole_header)),
              "HTTP/1.1 413 Payload Too Large")
        << request;
  }
}

TEST_F(MetricsServerTest, AHeaderFloodBeyondTheLimitIsRefusedWith431) {
  start();
  UniqueFd client = connect();
  std::string flood = "GET /metrics HTTP/1.1\r\nHost: test\r\n";
  while (flood.size() < 2 * agent::kMetricsHeaderLimit)
    flood += "X-Filler-" + std::to_string(flood.size()) + ": " + std::string(100, 'a') + "\r\n";
  send_all(client.get(), flood);  // and never the blank line that ends a header
  const std::string response = read_until(client.get(), has_whole_header);
  EXPECT_EQ(status_line(response), "HTTP/1.1 431 Request Header Fields Too Large");
  EXPECT_TRUE(closed_by_peer(client.get()));
}

TEST_F(MetricsServerTest, IdleConnectionsBeyondTheCapDoNotKeepAScrapeFromBeingServed) {
  MetricsServerOptions options;
  options.accept.max_sessions = 4;
  options.request_timeout = 200ms;
  MetricsServer& server = start(options);

  std::vector<UniqueFd> idle;
  for (size_t i = 0; i < 2 * options.accept.max_sessions; ++i) idle.push_back(connect());
  ASSERT_TRUE(eventually([&] { return server.active_sessions() == options.accept.max_sessions; }))
      << "sessions: " << server.active_sessions();

  UniqueFd client = connect();
  send_all(client.get(), "GET /metrics HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
  ASSERT_EQ(status_line(read_to_end(client.get())), "HTTP/1.1 200 OK");
  for (const UniqueFd& fd : idle) EXPECT_TRUE(closed_by_peer(fd.get()));
}

}  // namespace
}  // namespace westworld::agent_test

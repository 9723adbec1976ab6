#include "westworld/governance/prometheus_query.h"

#include <arpa/inet.h>

#include <cctype>
#include <charconv>
#include <stdexcept>

#include "westworld/common/http_get.h"

namespace westworld::governance {
namespace {

constexpr std::string_view kScheme = "http://";
// An instant query's answer is one number or a refusal; a huge body is a wrong query.
constexpr std::size_t kMaxAnswerBytes = 4u << 20;

bool is_ip(int family, const std::string& host) {
  unsigned char address[16];
  return ::inet_pton(family, host.c_str(), address) == 1;
}

// RFC 3986: everything but the unreserved characters is percent-encoded, so a PromQL
// query's braces, quotes, '+' and '&' reach Prometheus as written.
std::string percent_encoded(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    }
  }
  return out;
}

}  // namespace

PrometheusEndpoint parse_prometheus_url(const std::string& url) {
  auto refuse = [&url](const std::string& why) {
    return std::invalid_argument("Prometheus URL '" + url + "': " + why);
  };
  if (url.starts_with("https://"))
    throw refuse(
        "https is not supported: give a plain http:// address (a Prometheus on loopback, or a "
        "local TLS proxy)");
  if (!url.starts_with(kScheme)) throw refuse("must be http://HOST[:PORT][/PREFIX]");
  const std::string rest = url.substr(kScheme.size());
  if (rest.find_first_of("?#@") != std::string::npos)
    throw refuse("no user, query string or fragment: http://HOST[:PORT][/PREFIX]");
  PrometheusEndpoint endpoint;
  endpoint.url = url;
  const std::size_t slash = rest.find('/');
  std::string host = rest.substr(0, slash), port;
  if (slash != std::string::npos) endpoint.prefix = rest.substr(slash);
  while (endpoint.prefix.ends_with('/')) endpoint.prefix.pop_back();
  if (host.starts_with('[')) {
    const std::size_t close = host.find(']');
    if (close == std::string::npos) throw refuse("an IPv6 address needs its closing ']'");
    port = host.substr(close + 1);
    host = host.substr(1, close - 1);
    if (!is_ip(AF_INET6, host)) throw refuse("'" + host + "' is not an IPv6 address");
  } else {
    if (const std::size_t colon = host.find(':'); colon != std::string::npos) {
      port = host.substr(colon);
      host = host.substr(0, colon);
    }
    if (host == "localhost") host = "127.0.0.1";
    // No host names: resolving one would block the coordinator for as long as DNS likes, and
    // whoever answers DNS would choose what the gates read.
    if (!is_ip(AF_INET, host))
      throw refuse("the host must be an IP address or localhost, not '" + host + "'");
  }
  endpoint.host = host;
  if (!port.empty()) {
    unsigned number = 0;
    const char* first = port.data() + 1;  // after the ':'
    const char* last = port.data() + port.size();
    const auto [end, error] = std::from_chars(first, last, number);
    if (port.front() != ':' || first == last || end != last || error != std::errc() ||
        number == 0 || number > 65535)
      throw refuse("the port '" + port.substr(port.front() == ':' ? 1 : 0) + "' is not 1 to 65535");
    endpoint.port = static_cast<std::uint16_t>(number);
  }
  return endpoint;
}

PrometheusQuery::PrometheusQuery(PrometheusEndpoint endpoint, std::chrono::milliseconds timeout)
    : endpoint_(std::move(endpoint)), timeout_(timeout) {}

QueryResult PrometheusQuery::query(const std::string& promql) {
  common::HttpGetRequest request;
  request.host = endpoint_.host;
  request.port = endpoint_.port;
  request.target = endpoint_.prefix + "/api/v1/query?query=" + percent_encoded(promql);
  request.accept = "application/json";
  request.user_agent = "westworld-governance";
  const common::HttpGetReply reply = common::http_get(request, {timeout_, kMaxAnswerBytes});
  if (!reply.answered())
    return {QueryResult::Kind::unanswered, 0,
            "Prometheus at " + endpoint_.url + ": " + reply.error};
  return read_prometheus_reply(reply.status, reply.body);
}

}  // namespace westworld::governance

#include "udp_traffic.h"

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "built_binaries.h"
#include "westworld/harness/command.h"
#include "westworld/harness/netns.h"
#include "westworld/harness/polling.h"
#include "westworld/harness/text_file.h"

namespace westworld::harness {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// The longest a receiver listens: only reached if its end marker got lost.
constexpr auto kReceiverLifetime = 120s;
// How long after the last datagram (normally the end marker) a receiver stops.
constexpr auto kReceiverQuiet = 1500ms;
constexpr auto kStartupTimeout = 30s;
constexpr auto kSenderTimeout = 180s;
constexpr const char* kLoopback = "127.0.0.1";

std::vector<std::string> send_command(const std::string& ns, const SendSpec& spec) {
  std::vector<std::string> argv = {kTrafficBinary, "send",
                                   "--dst",        spec.dst,
                                   "--dport",      std::to_string(spec.dport),
                                   "--count",      std::to_string(spec.count),
                                   "--pps",        std::to_string(spec.pps)};
  if (!spec.src.empty()) {
    argv.insert(argv.end(), {"--src", spec.src});
  }
  return in_namespace(ns, argv);
}

// ww-traffic prints one JSON object as its last line.
json last_json_line(const std::string& text, const std::string& context) {
  std::istringstream lines(text);
  std::string line;
  std::string last;
  while (std::getline(lines, line)) {
    if (!line.empty()) {
      last = line;
    }
  }
  json parsed = json::parse(last, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_object()) {
    throw std::runtime_error("no JSON report from " + context);
  }
  return parsed;
}

SendResult parse_send_report(ChildProcess& process) {
  const auto status = process.wait_for_exit(kSenderTimeout);
  if (!status) {
    process.kill9();
    throw std::runtime_error("sender did not finish: " + process.describe());
  }
  if (*status != 0) {
    throw std::runtime_error("sender failed: " + process.describe());
  }
  const json report = last_json_line(process.stdout_text(), process.describe());
  return {report.value("sent", uint64_t{0}), report.value("errors", uint64_t{0})};
}

// Whether /proc/<pid>/net/{udp,udp6} (the sockets of the namespace the process is in) shows a
// socket bound to `port`.
bool udp_port_bound(pid_t pid, uint16_t port) {
  char hex_port[8];
  std::snprintf(hex_port, sizeof hex_port, ":%04X", port);
  for (const char* table : {"udp", "udp6"}) {
    std::istringstream lines(read_text_file("/proc/" + std::to_string(pid) + "/net/" + table));
    std::string line;
    std::getline(lines, line);  // the header
    while (std::getline(lines, line)) {
      std::istringstream fields(line);
      std::string slot;
      std::string local_address;
      fields >> slot >> local_address;
      if (local_address.ends_with(hex_port)) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace

uint64_t Received::from(const std::string& address) const {
  const auto found = by_source.find(address);
  return found == by_source.end() ? 0 : found->second;
}

TrafficReceiver::TrafficReceiver(const std::string& ns, uint16_t port, const ChildIo& io)
    : ns_(ns),
      port_(port),
      process_(in_namespace(ns, {kTrafficBinary, "recv", "--port", std::to_string(port),
                                 "--duration-ms", std::to_string(kReceiverLifetime / 1ms),
                                 "--quiet-ms", std::to_string(kReceiverQuiet / 1ms)}),
               io) {
  // `ip netns exec` enters the namespace and then execs ww-traffic in the same process, so
  // the socket shows up in that process's view of the namespace once it is bound.
  const std::string wanted_ns = namespace_id(ns_);
  const bool listening = eventually(
      kStartupTimeout,
      [&] {
        return !process_.running() ||
               (namespace_of(process_.pid()) == wanted_ns && udp_port_bound(process_.pid(), port_));
      },
      10ms);
  if (!process_.running()) {
    throw std::runtime_error("receiver exited early: " + process_.describe());
  }
  if (!listening) {
    throw std::runtime_error("receiver did not bind its port: " + process_.describe());
  }
}

Received TrafficReceiver::finish() {
  if (process_.running()) {
    const CommandResult marker =
        run_command(in_namespace(ns_, {kTrafficBinary, "send", "--dst", kLoopback, "--dport",
                                       std::to_string(port_), "--count", "1"}));
    if (!marker.ok()) {
      throw std::runtime_error("cannot send the end marker: " + marker.describe());
    }
  }
  const auto status = process_.wait_for_exit(kReceiverLifetime + 30s);
  if (status != 0) {
    process_.kill9();
    throw std::runtime_error("receiver failed: " + process_.describe());
  }
  const json report = last_json_line(process_.stdout_text(), process_.describe());
  Received received;
  for (const auto& [source, count] : report.at("by_source").items()) {
    if (source != kLoopback) {
      received.by_source[source] = count.get<uint64_t>();
      received.total += count.get<uint64_t>();
    }
  }
  return received;
}

TrafficSender::TrafficSender(const std::string& ns, const SendSpec& spec, const ChildIo& io)
    : process_(send_command(ns, spec), io) {}

SendResult TrafficSender::finish() { return parse_send_report(process_); }

SendResult send_udp(const std::string& ns, const SendSpec& spec, const ChildIo& io) {
  ChildProcess process(send_command(ns, spec), io);
  return parse_send_report(process);
}

}  // namespace westworld::harness

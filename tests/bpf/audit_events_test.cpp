// Audit events: an audit rule passes the packet and writes an event to the ring buffer,
// at most audit_events_per_sec per CPU per second; the rest are counted as sampled. A rule
// marked `violation: true` names the packet's source in a violation event, whatever it
// does with the packet.
#include <arpa/inet.h>
#include <net/if.h>
#include <time.h>

#include <array>
#include <chrono>
#include <cstring>

#include "guard_fixture.h"
#include "westworld/dataplane/policy_writer.h"

namespace westworld::bpf_test {
namespace {

constexpr const char* kAuditPolicy = R"(
version: 1
charter:
  default: allow
  audit_events_per_sec: 100
  flows:
    - {name: allow-ssh, action: allow, proto: tcp, dst_ports: [22]}
    - {name: watch-dns, action: audit, proto: udp, dst_ports: [53]}
    - {name: watch-web6, action: audit, proto: tcp, dst: ["2001:db8:80::/48"]}
    - {name: deny-telnet, action: deny, proto: tcp, dst_ports: [23]}
)";
enum AuditRule : uint32_t { kAllowSsh, kWatchDns, kWatchWeb6, kDenyTelnet };

uint64_t monotonic_ns() {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return uint64_t(now.tv_sec) * 1'000'000'000 + uint64_t(now.tv_nsec);
}

template <size_t N>
std::array<uint8_t, N> address_bytes(int family, const char* text) {
  std::array<uint8_t, N> bytes{};
  EXPECT_EQ(inet_pton(family, text, bytes.data()), 1) << text;
  return bytes;
}

std::string policy_with_budget(int events_per_second) {
  return "version: 1\ncharter:\n  audit_events_per_sec: " + std::to_string(events_per_second) +
         "\n  flows:\n    - {name: watch-all, action: audit}\n";
}

class AuditEventsTest : public GuardTest {};

TEST_F(AuditEventsTest, AnIpv4AuditEventDescribesThePacket) {
  apply(kAuditPolicy);
  const uint64_t generation = dataplane::read_active_policy(maps()).config.generation;
  const Frame frame = udp4("10.0.0.1", "192.0.2.53", 4000, 53, 10);

  const uint64_t before_sending = monotonic_ns();
  EXPECT_EQ(run_xdp(frame), Verdict::pass);
  const uint64_t after_sending = monotonic_ns();
  const std::vector<ww_event> events = drain_events();

  ASSERT_EQ(events.size(), 1u);
  const ww_event& event = events[0];
  EXPECT_EQ(event.kind, uint32_t{WW_EVENT_AUDIT});
  EXPECT_EQ(event.rule, uint32_t{kWatchDns});
  EXPECT_EQ(event.generation, generation);
  EXPECT_EQ(event.length, frame.size());
  EXPECT_EQ(event.direction, kIngress);
  EXPECT_EQ(event.family, WW_FAMILY_IPV4);
  EXPECT_EQ(event.protocol, IPPROTO_UDP);
  EXPECT_EQ(event.src_port, 4000);
  EXPECT_EQ(event.dst_port, 53);
  // BPF_PROG_TEST_RUN runs XDP as if received on the loopback device.
  EXPECT_EQ(event.ifindex, if_nametoindex("lo"));
  EXPECT_GE(event.timestamp_ns, before_sending);
  EXPECT_LE(event.timestamp_ns, after_sending);

  std::array<uint8_t, 16> expected_src{}, expected_dst{};
  const auto src4 = address_bytes<4>(AF_INET, "10.0.0.1");
  const auto dst4 = address_bytes<4>(AF_INET, "192.0.2.53");
  std::memcpy(expected_src.data(), src4.data(), 4);  // IPv4 fills the first 4 bytes, rest zero
  std::memcpy(expected_dst.data(), dst4.data(), 4);
  EXPECT_EQ(0, std::memcmp(event.src, expected_src.data(), 16));
  EXPECT_EQ(0, std::memcmp(event.dst, expected_dst.data(), 16));
}

TEST_F(AuditEventsTest, AnIpv6EgressAuditEventDescribesThePacket) {
  apply(kAuditPolicy);
  const Frame frame = tcp6("2001:db8::1", "2001:db8:80::443", 51000, 443);
  const CounterSnapshot before = counters();
  EXPECT_EQ(run_tc(frame), Verdict::pass);
  const std::vector<ww_event> events = drain_events();

  ASSERT_EQ(events.size(), 1u);
  const ww_event& event = events[0];
  EXPECT_EQ(event.rule, uint32_t{kWatchWeb6});
  EXPECT_EQ(event.direction, kEgress);
  EXPECT_EQ(event.family, WW_FAMILY_IPV6);
  EXPECT_EQ(event.protocol, IPPROTO_TCP);
  EXPECT_EQ(event.src_port, 51000);
  EXPECT_EQ(event.dst_port, 443);
  EXPECT_EQ(event.length, frame.size());
  const auto src = address_bytes<16>(AF_INET6, "2001:db8::1");
  const auto dst = address_bytes<16>(AF_INET6, "2001:db8:80::443");
  EXPECT_EQ(0, std::memcmp(event.src, src.data(), 16));
  EXPECT_EQ(0, std::memcmp(event.dst, dst.data(), 16));
  EXPECT_EQ(since(before).stat(WW_STAT_EVENTS_SENT, kEgress), 1u);
}

TEST_F(AuditEventsTest, AllowDenyAndDefaultDecisionsWriteNoEvents) {
  apply(kAuditPolicy);
  const CounterSnapshot before = counters();
  EXPECT_EQ(run_xdp(tcp4("10.0.0.1", "192.0.2.1", 5000, 22)), Verdict::pass);
  EXPECT_EQ(run_xdp(tcp4("10.0.0.1", "192.0.2.1", 5000, 23)), Verdict::drop);
  EXPECT_EQ(run_xdp(tcp4("10.0.0.1", "192.0.2.1", 5000, 24)), Verdict::pass);
  EXPECT_TRUE(drain_events().empty());
  const CounterDelta delta = since(before);
  EXPECT_EQ(delta.stat(WW_STAT_EVENTS_SENT), 0u);
  EXPECT_EQ(delta.stat(WW_STAT_EVENTS_SAMPLED), 0u);
}

// The sampler's budget is per CPU and per second of ktime: pinned to one CPU, 50 audit
// packets within a second produce exactly the budget of 10 events.
TEST_F(AuditEventsTest, TheSamplerCapsEventsPerCpuPerSecond) {
  apply(policy_with_budget(10));
  const StayOnThisCpu one_cpu;
  const CounterSnapshot before = counters();
  const auto start = std::chrono::steady_clock::now();
  int passed = 0;
  for (int i = 0; i < 50; ++i) {
    passed += run_xdp(udp4("10.0.0.1", "192.0.2.1", 1000 + i, 53)) == Verdict::pass;
  }
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_LT(elapsed, std::chrono::milliseconds(900))
      << "50 test runs took most of a second; the budget window may have rolled over";

  EXPECT_EQ(passed, 50) << "sampling must never affect the verdict";
  const std::vector<ww_event> events = drain_events();
  EXPECT_EQ(events.size(), 10u);
  const CounterDelta delta = since(before);
  EXPECT_EQ(delta.stat(WW_STAT_EVENTS_SENT), 10u);
  EXPECT_EQ(delta.stat(WW_STAT_EVENTS_SAMPLED), 40u);
  EXPECT_EQ(delta.stat(WW_STAT_EVENTS_LOST), 0u);
  EXPECT_EQ(delta.stat(WW_STAT_ACTION_AUDIT), 50u);
  // The first packets of the window are the ones reported.
  for (size_t i = 0; i < events.size(); ++i) EXPECT_EQ(events[i].src_port, 1000 + i);
}

TEST_F(AuditEventsTest, AZeroBudgetSendsNoEvents) {
  apply(policy_with_budget(0));
  const CounterSnapshot before = counters();
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(run_xdp(udp4("10.0.0.1", "192.0.2.1", 1, 53)), Verdict::pass);
  EXPECT_TRUE(drain_events().empty());
  const CounterDelta delta = since(before);
  EXPECT_EQ(delta.stat(WW_STAT_EVENTS_SENT), 0u);
  EXPECT_EQ(delta.stat(WW_STAT_EVENTS_SAMPLED), 5u);
}

TEST_F(AuditEventsTest, AViolationRuleNamesTheSourceOfEveryPacketItMatches) {
  apply(R"(
version: 1
charter:
  default: allow
  flows:
    - {name: tracker, action: deny, proto: udp, dst_ports: [7777], violation: true}
    - {name: watched, action: audit, proto: udp, dst_ports: [7778], violation: true}
    - {name: plain-deny, action: deny, proto: udp, dst_ports: [7779]}
)");
  EXPECT_EQ(run_xdp(udp4("10.0.0.7", "192.0.2.1", 4000, 7777, 10)), Verdict::drop);
  EXPECT_EQ(run_xdp(udp4("10.0.0.8", "192.0.2.1", 4000, 7778, 10)), Verdict::pass);
  EXPECT_EQ(run_xdp(udp4("10.0.0.9", "192.0.2.1", 4000, 7779, 10)), Verdict::drop);
  const std::vector<ww_event> events = drain_events();

  // The dropped packet's source is named too; an audit rule that is also a violation rule
  // writes one event, the violation; a plain deny writes none.
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].kind, uint32_t{WW_EVENT_VIOLATION});
  EXPECT_EQ(events[0].rule, 0u);
  EXPECT_EQ(std::memcmp(events[0].src, address_bytes<4>(AF_INET, "10.0.0.7").data(), 4), 0);
  EXPECT_EQ(events[1].kind, uint32_t{WW_EVENT_VIOLATION});
  EXPECT_EQ(events[1].rule, 1u);
  EXPECT_EQ(std::memcmp(events[1].src, address_bytes<4>(AF_INET, "10.0.0.8").data(), 4), 0);
}

}  // namespace
}  // namespace westworld::bpf_test

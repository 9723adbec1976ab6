#include "guard_fixture.h"

#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "map_keys.h"
#include "westworld/dataplane/error.h"
#include "westworld/dataplane/policy_writer.h"
#include "westworld/policy/loader.h"

namespace westworld::bpf_test {
namespace {

std::string unique_pin_root() {
  static std::atomic<int> next{0};
  return "/sys/fs/bpf/westworld-test-" + std::to_string(::getpid()) + "-" + std::to_string(next++);
}

// A load refused for lack of privilege is an environment problem, not a test failure.
bool is_permission_error(const std::string& message) {
  return message.find(std::strerror(EPERM)) != std::string::npos ||
         message.find(std::strerror(EACCES)) != std::string::npos;
}

ww_source_key source_key(const std::string& identity_address) {
  ww_source_key key{};
  const bool v6 = identity_address.find(':') != std::string::npos;
  key.family = v6 ? WW_FAMILY_IPV6 : WW_FAMILY_IPV4;
  if (inet_pton(v6 ? AF_INET6 : AF_INET, identity_address.c_str(), key.addr) != 1) {
    throw std::invalid_argument("not an address: " + identity_address);
  }
  return key;
}

int ring_buffer_collect(void* ctx, void* data, size_t size) {
  auto* events = static_cast<std::vector<ww_event>*>(ctx);
  ww_event event{};
  std::memcpy(&event, data, std::min(size, sizeof event));
  events->push_back(event);
  return 0;
}

}  // namespace

std::ostream& operator<<(std::ostream& out, Verdict verdict) {
  switch (verdict) {
    case Verdict::pass:
      return out << "pass";
    case Verdict::drop:
      return out << "drop";
    case Verdict::error:
      return out << "error";
  }
  return out << "?";
}

uint64_t CounterDelta::all_drops(uint8_t dir) const {
  uint64_t total = 0;
  for (int reason = 0; reason < WW_DROP_MAX; ++reason) {
    total += drops(static_cast<ww_drop_reason>(reason), dir);
  }
  return total;
}

policy::CompiledPolicy compile_yaml(const std::string& yaml) {
  policy::LoadResult result = policy::load_policy_text(yaml, "test.yaml");
  for (const policy::Diagnostic& diagnostic : result.diagnostics) {
    if (diagnostic.severity == policy::Severity::error) ADD_FAILURE() << diagnostic.format();
  }
  if (!result.policy) throw std::runtime_error("the test policy does not load:\n" + yaml);
  return policy::compile(*result.policy);
}

void GuardTest::SetUp() {
  if (::geteuid() != 0) GTEST_SKIP() << "BPF tests need root (CAP_BPF, CAP_NET_ADMIN)";
  pin_root_ = unique_pin_root();
  try {
    guard_.emplace(dataplane::Guard::load({.pin_root = pin_root_, .max_sources = max_sources()}));
  } catch (const dataplane::Error& e) {
    dataplane::Guard::unpin(pin_root_);
    if (is_permission_error(e.what())) GTEST_SKIP() << "cannot load BPF programs: " << e.what();
    FAIL() << "loading the guard failed: " << e.what();
  }
}

void GuardTest::TearDown() {
  guard_.reset();
  if (!pin_root_.empty()) dataplane::Guard::unpin(pin_root_);
}

const policy::CompiledPolicy& GuardTest::apply(const std::string& yaml) {
  compiled_ = compile_yaml(yaml);
  dataplane::apply_policy(maps(), compiled_);
  return compiled_;
}

Verdict GuardTest::run_xdp(const Frame& frame) const {
  LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame.data(),
              .data_size_in = static_cast<uint32_t>(frame.size()), .repeat = 1);
  if (bpf_prog_test_run_opts(guard_->programs().xdp.get(), &opts) != 0) {
    ADD_FAILURE() << "XDP test run failed: " << std::strerror(errno);
    return Verdict::error;
  }
  if (opts.retval == XDP_PASS) return Verdict::pass;
  if (opts.retval == XDP_DROP) return Verdict::drop;
  ADD_FAILURE() << "unexpected XDP return value " << opts.retval;
  return Verdict::error;
}

Verdict GuardTest::run_tc(const Frame& frame) const {
  // No ctx_in: the kernel builds the __sk_buff itself (loopback device, protocol from the
  // Ethernet header), which is all the guard reads.
  LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame.data(),
              .data_size_in = static_cast<uint32_t>(frame.size()), .repeat = 1);
  if (bpf_prog_test_run_opts(guard_->programs().tc.get(), &opts) != 0) {
    ADD_FAILURE() << "tc test run failed: " << std::strerror(errno);
    return Verdict::error;
  }
  if (opts.retval == TC_ACT_OK) return Verdict::pass;
  if (opts.retval == TC_ACT_SHOT) return Verdict::drop;
  ADD_FAILURE() << "unexpected tc return value " << opts.retval;
  return Verdict::error;
}

void GuardTest::expect_decision(uint8_t dir, const Frame& frame, Verdict verdict,
                                std::optional<uint32_t> rule) {
  const size_t n_rules = compiled_.rules.size();
  std::vector<dataplane::CounterSum> rules_before(n_rules);
  for (uint32_t i = 0; i < n_rules; ++i) rules_before[i] = rule_counter(i);
  const CounterSnapshot before = counters();

  EXPECT_EQ(run(dir, frame), verdict);

  const CounterDelta delta = since(before);
  for (uint32_t i = 0; i < n_rules; ++i) {
    const dataplane::CounterSum now = rule_counter(i);
    const bool hit = rule == i;
    EXPECT_EQ(now.packets - rules_before[i].packets, hit ? 1u : 0u)
        << "packets of rule " << i << " (" << compiled_.rules[i].name << ")";
    EXPECT_EQ(now.bytes - rules_before[i].bytes, hit ? frame.size() : 0u)
        << "bytes of rule " << i << " (" << compiled_.rules[i].name << ")";
  }
  EXPECT_EQ(delta.stat(WW_STAT_DEFAULT, dir), rule ? 0u : 1u) << "default counter";
  EXPECT_EQ(delta.all_drops(dir), verdict == Verdict::drop ? 1u : 0u) << "drops";
  if (verdict == Verdict::drop) {
    std::string counted;  // enum ww_drop_reason values, for the failure message
    for (int reason = 0; reason < WW_DROP_MAX; ++reason) {
      if (delta.drops(static_cast<ww_drop_reason>(reason), dir)) counted += std::to_string(reason);
    }
    EXPECT_EQ(delta.drops(rule ? WW_DROP_RULE : WW_DROP_DEFAULT, dir), 1u)
        << "the drop was counted with ww_drop_reason " << counted;
  }
  EXPECT_EQ(delta.stat(WW_STAT_SEEN, 1 - dir), 0u) << "the other direction saw the frame";
}

CounterSnapshot GuardTest::counters() const { return dataplane::read_guard_counters(maps()); }

uint32_t GuardTest::active_gen() const { return dataplane::read_active_policy(maps()).gen; }

dataplane::CounterSum GuardTest::rule_counter(uint32_t rule) const {
  return rule_counter_in(active_gen(), rule);
}

dataplane::CounterSum GuardTest::rule_counter_in(uint32_t gen, uint32_t rule) const {
  return dataplane::read_rule_counter(maps(), gen, rule);
}

std::optional<ww_source> GuardTest::source(const std::string& identity_address) const {
  const ww_source_key key = source_key(identity_address);
  ww_source value{};
  if (bpf_map_lookup_elem(maps().sources.get(), &key, &value) != 0) return std::nullopt;
  return value;
}

void GuardTest::age_source(const std::string& identity_address, uint64_t ns) const {
  const ww_source_key key = source_key(identity_address);
  ww_source value{};
  ASSERT_EQ(bpf_map_lookup_elem(maps().sources.get(), &key, &value), 0)
      << "no source " << identity_address;
  ASSERT_GE(value.packet_tat_ns, ns) << "cannot age a source past the clock's start";
  value.packet_tat_ns -= ns;
  value.byte_tat_ns -= std::min<uint64_t>(value.byte_tat_ns, ns);
  ASSERT_EQ(bpf_map_update_elem(maps().sources.get(), &key, &value, BPF_EXIST), 0)
      << std::strerror(errno);
}

void GuardTest::age_share_windows(uint64_t ns) const {
  const int fd = maps().iface_win.get();
  const std::vector<uint32_t> ifindexes = dataplane::map_keys<uint32_t>(fd);
  ASSERT_FALSE(ifindexes.empty()) << "no interface has a share window yet";
  for (uint32_t ifindex : ifindexes) {
    ww_iface_window window{};
    ASSERT_EQ(bpf_map_lookup_elem(fd, &ifindex, &window), 0);
    ASSERT_GE(window.window_start_ns, ns) << "cannot age a window past the clock's start";
    window.window_start_ns -= ns;
    ASSERT_EQ(bpf_map_update_elem(fd, &ifindex, &window, BPF_EXIST), 0) << std::strerror(errno);
  }
}

size_t GuardTest::source_count() const {
  size_t count = 0;
  ww_source_key key{}, next{};
  const ww_source_key* cursor = nullptr;
  while (bpf_map_get_next_key(maps().sources.get(), cursor, &next) == 0) {
    ++count;
    key = next;
    cursor = &key;
  }
  return count;
}

std::vector<ww_event> GuardTest::drain_events() const {
  std::vector<ww_event> events;
  ring_buffer* ring = ring_buffer__new(maps().events.get(), ring_buffer_collect, &events, nullptr);
  if (!ring) {
    ADD_FAILURE() << "ring_buffer__new: " << std::strerror(errno);
    return events;
  }
  if (ring_buffer__consume(ring) < 0) ADD_FAILURE() << "ring_buffer__consume failed";
  ring_buffer__free(ring);
  return events;
}

StayOnThisCpu::StayOnThisCpu() {
  if (sched_getaffinity(0, sizeof saved_, &saved_) != 0) return;
  const int cpu = sched_getcpu();
  if (cpu < 0) return;
  cpu_set_t only{};
  CPU_SET(cpu, &only);
  restore_ = sched_setaffinity(0, sizeof only, &only) == 0;
}

StayOnThisCpu::~StayOnThisCpu() {
  if (restore_) sched_setaffinity(0, sizeof saved_, &saved_);
}

Frame udp4(const std::string& src, const std::string& dst, uint16_t sport, uint16_t dport,
           size_t payload) {
  return PacketBuilder().ethernet().ipv4(src, dst).udp(sport, dport).payload(payload).build();
}

Frame tcp4(const std::string& src, const std::string& dst, uint16_t sport, uint16_t dport) {
  return PacketBuilder().ethernet().ipv4(src, dst).tcp(sport, dport).build();
}

Frame udp6(const std::string& src, const std::string& dst, uint16_t sport, uint16_t dport) {
  return PacketBuilder().ethernet().ipv6(src, dst).udp(sport, dport).build();
}

Frame tcp6(const std::string& src, const std::string& dst, uint16_t sport, uint16_t dport) {
  return PacketBuilder().ethernet().ipv6(src, dst).tcp(sport, dport).build();
}

}  // namespace westworld::bpf_test

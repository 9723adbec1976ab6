#include "traffic_generator.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include <algorithm>
#include <cerrno>
#include <chrono>

#include "bpf_programs.h"
#include "westworld/dataplane/error.h"
#include "ww_trafficgen.skel.h"

namespace westworld::bench {
namespace {

using Clock = std::chrono::steady_clock;

// Calls are sized to take about this long, so a run ends close to its
// deadline whatever the receiver's speed (from millions of packets per second
// through XDP down to thousands through a long nft chain).
constexpr double kCallSeconds = 0.05;
constexpr uint64_t kFirstCall = 256;
constexpr uint64_t kMaxCall = 20'000'000;

double seconds_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

}  // namespace

TrafficGenerator::TrafficGenerator() : skel_(ww_trafficgen__open_and_load()) {
  if (!skel_) throw dataplane::Error(dataplane::describe_errno("cannot load ww_trafficgen", errno));
}

TrafficGenerator::~TrafficGenerator() { ww_trafficgen__destroy(skel_); }

uint64_t TrafficGenerator::send(const std::vector<uint8_t>& frame, uint32_t tx_ifindex,
                                uint32_t packets) {
  xdp_md ctx{};
  ctx.data_end = static_cast<uint32_t>(frame.size());
  ctx.ingress_ifindex = tx_ifindex;
  LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame.data(),
              .data_size_in = static_cast<uint32_t>(frame.size()), .ctx_in = &ctx,
              .ctx_size_in = sizeof ctx, .repeat = static_cast<int>(packets),
              .flags = BPF_F_TEST_XDP_LIVE_FRAMES);
  if (bpf_prog_test_run_opts(bpf_program__fd(skel_->progs.ww_trafficgen_xdp), &opts) != 0)
    throw dataplane::Error(
        dataplane::describe_errno("live-frames BPF_PROG_TEST_RUN of the generator failed", errno));
  return packets;
}

GeneratorRun TrafficGenerator::run_for(const std::vector<uint8_t>& frame, uint32_t tx_ifindex,
                                       const ww_gen_config& config, double seconds) {
  skel_->bss->config = config;
  skel_->bss->sent = 0;
  const Clock::time_point start = Clock::now();
  uint64_t call = kFirstCall;
  double elapsed = 0;
  while (elapsed < seconds) {
    const Clock::time_point before = Clock::now();
    send(frame, tx_ifindex, static_cast<uint32_t>(call));
    const Clock::time_point after = Clock::now();
    elapsed = seconds_between(start, after);
    const double rate = double(call) / std::max(1e-6, seconds_between(before, after));
    const double wanted = std::min(kCallSeconds, std::max(0.0, seconds - elapsed));
    call = std::clamp<uint64_t>(uint64_t(rate * wanted), 1, kMaxCall);
  }
  return {skel_->bss->sent, elapsed};
}

GeneratorRun TrafficGenerator::run_count(const std::vector<uint8_t>& frame, uint32_t tx_ifindex,
                                         const ww_gen_config& config, uint64_t packets) {
  skel_->bss->config = config;
  skel_->bss->sent = 0;
  const Clock::time_point start = Clock::now();
  for (uint64_t done = 0; done < packets;) {
    const uint64_t call = std::min<uint64_t>(packets - done, kMaxCall);
    done += send(frame, tx_ifindex, static_cast<uint32_t>(call));
  }
  return {skel_->bss->sent, seconds_between(start, Clock::now())};
}

nlohmann::json TrafficGenerator::info() const {
  return program_info(bpf_program__fd(skel_->progs.ww_trafficgen_xdp));
}

}  // namespace westworld::bench

// The live traffic generator: ww_trafficgen_xdp run by BPF_PROG_TEST_RUN with
// BPF_F_TEST_XDP_LIVE_FRAMES on the sender's veth (see trafficgen.bpf.c).
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "trafficgen.h"

struct ww_trafficgen;

namespace westworld::bench {

struct GeneratorRun {
  uint64_t packets = 0;  // frames the generator sent
  double seconds = 0;
};

class TrafficGenerator {
 public:
  TrafficGenerator();  // loads the program; throws dataplane::Error
  ~TrafficGenerator();
  TrafficGenerator(const TrafficGenerator&) = delete;
  TrafficGenerator& operator=(const TrafficGenerator&) = delete;

  // The calling thread must be in the sender's network namespace: the kernel
  // resolves tx_ifindex there. Packet numbering restarts at 0 on every run.
  GeneratorRun run_for(const std::vector<uint8_t>& frame, uint32_t tx_ifindex,
                       const ww_gen_config& config, double seconds);
  GeneratorRun run_count(const std::vector<uint8_t>& frame, uint32_t tx_ifindex,
                         const ww_gen_config& config, uint64_t packets);

  nlohmann::json info() const;

 private:
  uint64_t send(const std::vector<uint8_t>& frame, uint32_t tx_ifindex, uint32_t packets);
  ww_trafficgen* skel_ = nullptr;
};

}  // namespace westworld::bench

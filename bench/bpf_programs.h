// BPF_PROG_TEST_RUN of one frame, and what the kernel says about a program.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

namespace westworld::bench {

struct TestRun {
  uint32_t retval = 0;      // the XDP verdict of the last run
  uint32_t ns_per_run = 0;  // the kernel's average over `repeat` runs
};

// Runs the program `repeat` times on one frame (not live: nothing is sent).
TestRun test_run(int prog_fd, const std::vector<uint8_t>& frame, uint32_t repeat);

// id, name, translated and JITed size, instructions the verifier processed.
nlohmann::json program_info(int prog_fd);

}  // namespace westworld::bench

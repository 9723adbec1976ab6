#include "bpf_programs.h"

#include <bpf/bpf.h>

#include <cerrno>

#include "westworld/dataplane/error.h"

namespace westworld::bench {

TestRun test_run(int prog_fd, const std::vector<uint8_t>& frame, uint32_t repeat) {
  LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame.data(),
              .data_size_in = static_cast<uint32_t>(frame.size()),
              .repeat = static_cast<int>(repeat));
  if (bpf_prog_test_run_opts(prog_fd, &opts) != 0)
    throw dataplane::Error(dataplane::describe_errno("BPF_PROG_TEST_RUN failed", errno));
  return {opts.retval, opts.duration};
}

nlohmann::json program_info(int prog_fd) {
  bpf_prog_info info{};
  uint32_t len = sizeof info;
  if (bpf_obj_get_info_by_fd(prog_fd, &info, &len) != 0) return nlohmann::json::object();
  return {{"id", info.id},
          {"name", info.name},
          {"xlated_insns", info.xlated_prog_len / 8},
          {"jited_bytes", info.jited_prog_len},
          {"verified_insns", info.verified_insns}};
}

}  // namespace westworld::bench

// The verifier's cost of the guard. The kernel refuses a program whose verification processes
// more than 1,000,000 instructions, and the count moves with every change to bpf/ (an unrolled
// loop, one more branch in the parser, a helper that splits states). Each program gets a
// budget well under the limit, so a change that eats the headroom fails here, in review,
// instead of failing to load on a router with a newer compiler or kernel.
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "ww_guard.skel.h"

namespace westworld::bpf_test {
namespace {

// Measured on Linux 6.18 with clang 14 (Debian 12): ww_guard_xdp 310,849 and ww_guard_tc
// 141,468 (289,504 and 111,023 before the IPv6 walk learned AH and mobility headers). The
// budgets leave about a quarter on top, for verifiers that count differently (older kernels
// prune less) and small changes, and stay at 40% and 20% of the kernel's limit: a change that
// needs more must raise its budget here, on purpose and with the limit in view.
constexpr uint64_t kKernelLimit = 1'000'000;  // BPF_COMPLEXITY_LIMIT_INSNS
const std::map<std::string, uint64_t> kBudgets = {
    {"ww_guard_xdp", 400'000},
    {"ww_guard_tc", 200'000},
};

// BPF_LOG_STATS of the kernel's bpf_verifier.h (not in the uapi headers): only the summary
// lines, among them "processed N insns (limit 1000000) ...".
constexpr uint32_t kLogStats = 4;
constexpr size_t kLogBytes = 64 * 1024;

struct SkeletonDeleter {
  void operator()(ww_guard* skel) const { ww_guard__destroy(skel); }
};

std::optional<uint64_t> processed_insns(const std::string& log) {
  static const std::regex processed(R"(processed (\d+) insns)");
  std::smatch match;
  if (!std::regex_search(log, match, processed)) return std::nullopt;
  return std::stoull(match[1].str());
}

TEST(VerifierBudget, EveryGuardProgramStaysWithinItsBudget) {
  if (::geteuid() != 0) GTEST_SKIP() << "loading BPF programs needs root (CAP_BPF)";
  std::unique_ptr<ww_guard, SkeletonDeleter> skel(ww_guard__open());
  ASSERT_TRUE(skel) << std::strerror(errno);
  // Nothing is pinned: only the verifier's verdict matters. The LRU's size does not change
  // what is verified, only how much memory the load takes.
  bpf_map* map = nullptr;
  bpf_object__for_each_map(map, skel->obj) { ASSERT_EQ(bpf_map__set_pin_path(map, nullptr), 0); }
  ASSERT_EQ(bpf_map__set_max_entries(skel->maps.ww_sources, 4096), 0);

  std::map<std::string, std::vector<char>> logs;
  bpf_program* prog = nullptr;
  bpf_object__for_each_program(prog, skel->obj) {
    std::vector<char>& log = logs[bpf_program__name(prog)];
    log.assign(kLogBytes, '\0');
    ASSERT_EQ(bpf_program__set_log_level(prog, kLogStats), 0);
    ASSERT_EQ(bpf_program__set_log_buf(prog, log.data(), log.size()), 0);
  }
  ASSERT_EQ(ww_guard__load(skel.get()), 0) << "the guard does not load: " << std::strerror(errno);

  bpf_object__for_each_program(prog, skel->obj) {
    const std::string name = bpf_program__name(prog);
    SCOPED_TRACE(name);
    const std::string log(logs[name].data());
    const std::optional<uint64_t> processed = processed_insns(log);
    ASSERT_TRUE(processed) << "no instruction count in the verifier log:\n" << log;

    // The kernel keeps the same count with the program; the log was read right.
    bpf_prog_info info{};
    uint32_t info_len = sizeof info;
    ASSERT_EQ(bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &info_len), 0);
    if (info.verified_insns) {  // reported since Linux 5.16
      EXPECT_EQ(*processed, info.verified_insns);
    }

    const auto budget = kBudgets.find(name);
    ASSERT_NE(budget, kBudgets.end()) << "a new program: state its verifier budget in kBudgets";
    std::cout << name << ": the verifier processed " << *processed << " instructions (budget "
              << budget->second << ", kernel limit " << kKernelLimit << ")\n";
    EXPECT_LE(*processed, budget->second)
        << "the verifier's cost grew past its budget; if the growth is worth it, raise the "
           "budget in this file and say why";
    EXPECT_LT(budget->second, kKernelLimit);
  }
}

}  // namespace
}  // namespace westworld::bpf_test

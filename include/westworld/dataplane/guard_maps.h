// Handles to the pinned guard: its maps and programs, whether this process
// loaded them or adopted what an earlier agent left pinned.
#pragma once

#include <cstdint>
#include <string>

#include "westworld/dataplane/unique_fd.h"

namespace westworld::dataplane {

struct GuardMaps {
  UniqueFd active, config, rules;
  UniqueFd src_lpm, dst_lpm, port_index, port_vec, proto_vec;
  UniqueFd class_lpm, classes;
  UniqueFd sources, iface_win, ifaces;
  UniqueFd stats, drop_stats, rule_stats;
  UniqueFd events, event_budget;
  UniqueFd quarantine;
  UniqueFd node, bypass;  // the charter's telemetry guard
};

struct GuardPrograms {
  UniqueFd xdp;
  UniqueFd tc;
};

class Guard {
 public:
  struct LoadOptions {
    std::string pin_root = "/sys/fs/bpf/westworld";
    uint32_t max_sources = 1048576;
  };

  // Loads the BPF object and pins maps and programs under pin_root. A
  // verifier rejection throws Error carrying the tail of the verifier log.
  static Guard load(const LoadOptions& options);
  // Opens what is pinned under pin_root. Throws Error if nothing is, or if the guard speaks
  // another map ABI than this binary (ww_abi): the message says how to recover.
  static Guard adopt(const std::string& pin_root);
  // Opens only what removing the guard needs (its programs and ww_ifaces), whatever map ABI
  // it speaks: the way out of a mismatch. Every other map handle stays empty.
  static Guard adopt_to_remove(const std::string& pin_root);
  static bool is_pinned(const std::string& pin_root);
  // Removes every pin under pin_root (the kernel frees what nothing else holds).
  static void unpin(const std::string& pin_root);

  const GuardMaps& maps() const { return maps_; }
  const GuardPrograms& programs() const { return programs_; }
  const std::string& pin_root() const { return pin_root_; }
  uint32_t xdp_program_id() const;
  uint32_t tc_program_id() const;
  uint32_t max_sources() const;

 private:
  std::string pin_root_;
  GuardMaps maps_;
  GuardPrograms programs_;
};

}  // namespace westworld::dataplane

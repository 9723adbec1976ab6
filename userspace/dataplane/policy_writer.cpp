#include "westworld/dataplane/policy_writer.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>
#include <vector>

#include "bitvec.h"
#include "map_keys.h"
#include "westworld/common/clock.h"
#include "westworld/dataplane/error.h"

namespace westworld::dataplane {
namespace {

using policy::Cidr;
using policy::CompiledPolicy;

void update(int fd, const void* key, const void* value, const char* what) {
  if (bpf_map_update_elem(fd, key, value, BPF_ANY) != 0)
    throw Error(describe_errno(std::string("cannot write ") + what, errno));
}

// Deletes every key of generation `gen` from a hash or LPM map whose keys
// carry a generation byte.
template <typename Key>
void clear_generation(int fd, uint32_t gen, uint8_t Key::*gen_field, const char* what) {
  for (const Key& key : map_keys<Key>(fd)) {
    if (key.*gen_field != gen) continue;
    if (bpf_map_delete_elem(fd, &key) != 0 && errno != ENOENT)
      throw Error(describe_errno(std::string("cannot clear ") + what, errno));
  }
}

ww_lpm_key lpm_key(uint32_t gen, const Cidr& cidr) {
  ww_lpm_key key{};
  key.prefixlen = WW_LPM_KEY_BITS(cidr.length);
  key.gen = static_cast<uint8_t>(gen);
  key.family = static_cast<uint8_t>(cidr.family);
  std::memcpy(key.addr, cidr.addr.data(), sizeof key.addr);
  return key;
}

void write_prefixes(int fd, uint32_t gen, const std::vector<policy::PrefixEntry>& entries,
                    const char* what) {
  clear_generation(fd, gen, &ww_lpm_key::gen, what);
  for (const auto& entry : entries) {
    ww_lpm_key key = lpm_key(gen, entry.prefix);
    update(fd, &key, to_bitvec(entry.rules).get(), what);
  }
}

void write_ports(const GuardMaps& maps, uint32_t gen, uint32_t field,
                 const policy::PortTable& table) {
  // port -> interval, one batch for the whole half
  std::vector<uint32_t> keys(WW_PORT_SPACE);
  std::vector<uint32_t> intervals(WW_PORT_SPACE);
  for (uint32_t port = 0; port < WW_PORT_SPACE; ++port) {
    keys[port] = WW_PORT_INDEX(gen, field, port);
    intervals[port] = table.interval_of(static_cast<uint16_t>(port));
  }
  uint32_t count = WW_PORT_SPACE;
  LIBBPF_OPTS(bpf_map_batch_opts, opts);
  if (bpf_map_update_batch(maps.port_index.get(), keys.data(), intervals.data(), &count, &opts) !=
      0)
    throw Error(describe_errno("cannot write ww_port_index", errno));

  for (uint32_t i = 0; i < table.rules.size(); ++i) {
    ww_port_vec_key key{static_cast<uint8_t>(gen), static_cast<uint8_t>(field), 0, i};
    update(maps.port_vec.get(), &key, to_bitvec(table.rules[i]).get(), "ww_port_vec");
  }
  ww_port_vec_key none{static_cast<uint8_t>(gen), static_cast<uint8_t>(field), 0, WW_PORT_NONE};
  update(maps.port_vec.get(), &none, to_bitvec(table.no_ports).get(), "ww_port_vec");
}

void write_protocols(const GuardMaps& maps, uint32_t gen, const CompiledPolicy& compiled) {
  for (uint32_t dir = 0; dir < WW_DIR_MAX; ++dir) {
    for (uint32_t proto = 0; proto < 256; ++proto) {
      uint32_t index = WW_PROTO_INDEX(gen, dir, proto);
      update(maps.proto_vec.get(), &index, to_bitvec(compiled.protocols[dir][proto]).get(),
             "ww_proto_vec");
    }
  }
}

void write_rules(const GuardMaps& maps, uint32_t gen, const CompiledPolicy& compiled) {
  // Counters of this half belonged to the policy two applies ago: zero them.
  const int cpus = libbpf_num_possible_cpus();
  const std::vector<ww_counter> zero(cpus > 0 ? cpus : 1);
  for (uint32_t i = 0; i < compiled.rules.size(); ++i) {
    uint32_t index = WW_RULE_INDEX(gen, i);
    ww_rule rule{};
    rule.action = static_cast<uint8_t>(compiled.rules[i].action);
    rule.origin = static_cast<uint8_t>(compiled.rules[i].origin);
    rule.flags = compiled.rules[i].violation ? WW_RULE_F_VIOLATION : 0;
    update(maps.rules.get(), &index, &rule, "ww_rules");
    update(maps.rule_stats.get(), &index, zero.data(), "ww_rule_stats");
  }
}

void write_classes(const GuardMaps& maps, uint32_t gen, const CompiledPolicy& compiled) {
  if (compiled.classes.size() > WW_MAX_CLASSES) throw Error("policy has too many quota classes");
  clear_generation(maps.class_lpm.get(), gen, &ww_lpm_key::gen, "ww_class_lpm");
  for (uint32_t id = 0; id < compiled.classes.size(); ++id) {
    uint32_t index = WW_CLASS_INDEX(gen, id);
    update(maps.classes.get(), &index, &compiled.classes[id].quota, "ww_classes");
    for (const Cidr& cidr : compiled.classes[id].src) {
      ww_lpm_key key = lpm_key(gen, cidr);
      update(maps.class_lpm.get(), &key, &id, "ww_class_lpm");
    }
  }
}

// The inactive half stopped being live when the active half was flipped in.
// A packet that read the old generation just before that flip finishes within
// microseconds (XDP runs to completion with preemption disabled); waiting a
// grace period past the flip before rewriting the half makes that certain
// even for back-to-back applies.
// The flip time is on the monotonic clock (the kernel's bpf_ktime_get_ns), so
// neither a wall-clock step nor another process's clock can stretch the wait.
void wait_for_readers_of_previous_half(uint64_t flipped_at_mono_ns) {
  constexpr uint64_t kGraceNs = 10'000'000;
  const uint64_t now = common::system_clock().monotonic_ns();
  if (now < flipped_at_mono_ns + kGraceNs)
    std::this_thread::sleep_for(
        std::chrono::nanoseconds(std::min(flipped_at_mono_ns + kGraceNs - now, kGraceNs)));
}

}  // namespace

std::string ActivePolicy::digest_hex() const {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (uint8_t b : config.digest) {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

ActivePolicy read_active_policy(const GuardMaps& maps) {
  ActivePolicy result;
  uint32_t zero = 0;
  ww_active active{};
  if (bpf_map_lookup_elem(maps.active.get(), &zero, &active) != 0)
    throw Error(describe_errno("cannot read ww_active", errno));
  result.valid = active.valid != 0;
  result.gen = active.gen & 1;
  if (result.valid && bpf_map_lookup_elem(maps.config.get(), &result.gen, &result.config) != 0)
    throw Error(describe_errno("cannot read ww_config", errno));
  return result;
}

ww_policy_config apply_policy(const GuardMaps& maps, const CompiledPolicy& compiled) {
  const ActivePolicy running = read_active_policy(maps);
  const uint32_t target = running.valid ? 1 - running.gen : 0;
  if (running.valid) wait_for_readers_of_previous_half(running.config.applied_at_mono_ns);

  write_prefixes(maps.src_lpm.get(), target, compiled.src, "ww_src_lpm");
  write_prefixes(maps.dst_lpm.get(), target, compiled.dst, "ww_dst_lpm");
  clear_generation(maps.port_vec.get(), target, &ww_port_vec_key::gen, "ww_port_vec");
  write_ports(maps, target, WW_FIELD_SRC_PORT, compiled.src_ports);
  write_ports(maps, target, WW_FIELD_DST_PORT, compiled.dst_ports);
  write_protocols(maps, target, compiled);
  write_rules(maps, target, compiled);
  write_classes(maps, target, compiled);

  ww_policy_config config = compiled.config;
  config.generation = running.valid ? running.config.generation + 1 : 1;
  config.applied_at_unix_ns = common::system_clock().unix_ns();
  config.applied_at_mono_ns = common::system_clock().monotonic_ns();
  update(maps.config.get(), &target, &config, "ww_config");

  // The flip: one 8-byte store that every later packet observes whole.
  uint32_t zero = 0;
  ww_active active{target, 1};
  update(maps.active.get(), &zero, &active, "ww_active");
  return config;
}

}  // namespace westworld::dataplane

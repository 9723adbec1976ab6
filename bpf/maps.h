/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/* Every map of the guard. All are pinned by name under the pin root the
 * loader chooses (/sys/fs/bpf/westworld), so a restarted agent, wwctl and
 * bpftool all see the same state. */
#ifndef WW_BPF_MAPS_H
#define WW_BPF_MAPS_H

#include <stdbool.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#ifndef READ_ONCE
#define READ_ONCE(x) (*(volatile typeof(x) *)&(x))
#endif

#include "westworld/abi.h"

#define WW_PINNED __uint(pinning, LIBBPF_PIN_BY_NAME)

/* The map ABI this guard speaks, stamped and frozen by the loader; no program reads it, so it
 * costs the packet path nothing (see struct ww_abi). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_RDONLY_PROG);
	__type(key, __u32);
	__type(value, struct ww_abi);
	WW_PINNED;
} ww_abi SEC(".maps");

/* --- policy, double-buffered by generation --- */

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ww_active);
	WW_PINNED;
} ww_active SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct ww_policy_config);
	WW_PINNED;
} ww_config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2 * WW_MAX_RULES);
	__type(key, __u32);
	__type(value, struct ww_rule);
	WW_PINNED;
} ww_rules SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 2 * WW_MAX_PREFIXES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct ww_lpm_key);
	__type(value, struct ww_bitvec);
	WW_PINNED;
} ww_src_lpm SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 2 * WW_MAX_PREFIXES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct ww_lpm_key);
	__type(value, struct ww_bitvec);
	WW_PINNED;
} ww_dst_lpm SEC(".maps");

/* port -> elementary interval, per generation and field */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2 * WW_PORT_FIELDS * WW_PORT_SPACE);
	__type(key, __u32);
	__type(value, __u32);
	WW_PINNED;
} ww_port_index SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 2 * WW_PORT_FIELDS * WW_MAX_INTERVALS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct ww_port_vec_key);
	__type(value, struct ww_bitvec);
	WW_PINNED;
} ww_port_vec SEC(".maps");

/* (generation, direction, IP protocol) -> rules; direction folds in here */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2 * WW_DIR_MAX * 256);
	__type(key, __u32);
	__type(value, struct ww_bitvec);
	WW_PINNED;
} ww_proto_vec SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 2 * WW_MAX_PREFIXES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct ww_lpm_key);
	__type(value, __u32);
	WW_PINNED;
} ww_class_lpm SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2 * WW_MAX_CLASSES);
	__type(key, __u32);
	__type(value, struct ww_quota);
	WW_PINNED;
} ww_classes SEC(".maps");

/* --- per-source and per-interface state --- */

/* Sized from the policy's max_sources before load. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1048576);
	__type(key, struct ww_source_key);
	__type(value, struct ww_source);
	WW_PINNED;
} ww_sources SEC(".maps");

/* Sources the agent holds in quarantine; entries outlive agent restarts. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, WW_MAX_QUARANTINE);
	__type(key, struct ww_source_key);
	__type(value, struct ww_quarantine);
	WW_PINNED;
} ww_quarantine SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, WW_MAX_IFACES);
	__type(key, __u32);
	__type(value, struct ww_iface_window);
	WW_PINNED;
} ww_iface_win SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, WW_MAX_IFACES);
	__type(key, __u32);
	__type(value, struct ww_iface_info);
	WW_PINNED;
} ww_ifaces SEC(".maps");

/* --- counters and events --- */

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, WW_DIR_MAX * WW_STAT_MAX);
	__type(key, __u32);
	__type(value, struct ww_counter);
	WW_PINNED;
} ww_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, WW_DIR_MAX * WW_DROP_MAX);
	__type(key, __u32);
	__type(value, struct ww_counter);
	WW_PINNED;
} ww_drop_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2 * WW_MAX_RULES);
	__type(key, __u32);
	__type(value, struct ww_counter);
	WW_PINNED;
} ww_rule_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, WW_RINGBUF_BYTES);
	WW_PINNED;
} ww_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ww_event_budget);
	WW_PINNED;
} ww_event_budget SEC(".maps");

/* --- the charter's telemetry guard --- */

/* What this node's agent adds to any policy (the telemetry gate's port). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ww_node);
	WW_PINNED;
} ww_node SEC(".maps");

/* Who sent telemetry around the gate: socket uid -> packets dropped. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, WW_MAX_BYPASS_SENDERS);
	__type(key, __u32);
	__type(value, __u64);
	WW_PINNED;
} ww_bypass SEC(".maps");

#endif /* WW_BPF_MAPS_H */

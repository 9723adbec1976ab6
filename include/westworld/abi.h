/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The map ABI between the Westworld data plane (bpf/) and its control plane
 * (userspace/). Both sides include this header and nothing else to agree on
 * what lives in the maps, so a change here is a change of the ABI: bump
 * WW_ABI_VERSION.
 *
 * Classification follows the bpf-iptables scheme: every field lookup returns
 * a bit vector over the rules that can match on that field, the vectors are
 * ANDed, and the lowest set bit (the earliest rule in file order) wins.
 *
 * Double buffering: every policy table holds two generations side by side,
 * selected by a `gen` (0 or 1) inside the key or index. A packet reads the
 * active generation once; userspace writes the inactive half, then flips
 * ww_active.gen with a single store.
 */
#ifndef WESTWORLD_ABI_H
#define WESTWORLD_ABI_H

#include <linux/types.h>

/* 3: the version itself is pinned (ww_abi); the enums are generated from tables.
 * 4: rule origins and the telemetry drop reasons (charter.telemetry), ww_node, ww_bypass.
 * 5: ww_rule.flags (violation rules), violation events, the charter quarantine origin.
 * 6: the reverse-path check (ww_policy_config.reverse_path, WW_DROP_REVERSE_PATH). */
#define WW_ABI_VERSION 6

#define WW_MAX_RULES 16384
#define WW_RULE_WORDS (WW_MAX_RULES / 64)
/* One summary bit per rule word: word i can hold a match only if bit i is set. */
#define WW_SUMMARY_WORDS (WW_RULE_WORDS / 64)
#define WW_MAX_CLASSES 1024
#define WW_MAX_PREFIXES 131072
#define WW_PORT_SPACE 65536
/* Elementary port intervals per field; plus one vector for "no L4 ports". */
#define WW_MAX_INTERVALS (2 * WW_MAX_RULES + 2)
#define WW_PORT_NONE 0xffffffffu
#define WW_MAX_IFACES 256
#define WW_IPV6_MAX_EXT_HEADERS 8
#define WW_RINGBUF_BYTES (256 * 1024)
#define WW_RULE_NONE 0xffffffffu
/* Sources the agent (or an operator) holds in quarantine at once. */
#define WW_MAX_QUARANTINE 4096

/* Asserts that hold for the BPF programs (C) and the control plane (C++) alike. */
#ifdef __cplusplus
#define WW_STATIC_ASSERT(cond, message) static_assert(cond, message)
#else
#define WW_STATIC_ASSERT(cond, message) _Static_assert(cond, message)
#endif
#define WW_IS_POWER_OF_TWO(x) ((x) != 0 && ((x) & ((x)-1)) == 0)

/* The verifier accepts an index only once it is provably in bounds; the programs bound them
 * with `& (N - 1)`, which is only a bound when N is a power of two. */
WW_STATIC_ASSERT(WW_IS_POWER_OF_TWO(WW_MAX_RULES),
		 "ww_rules index is masked with WW_MAX_RULES - 1");
WW_STATIC_ASSERT(WW_IS_POWER_OF_TWO(WW_RULE_WORDS), "rule words are masked with WW_RULE_WORDS - 1");
WW_STATIC_ASSERT(WW_IS_POWER_OF_TWO(WW_MAX_CLASSES),
		 "class ids are masked with WW_MAX_CLASSES - 1");
/* Every summary bit stands for exactly one whole rule word, every word for 64 rules. */
WW_STATIC_ASSERT(WW_RULE_WORDS * 64 == WW_MAX_RULES, "WW_MAX_RULES is a multiple of 64");
WW_STATIC_ASSERT(WW_SUMMARY_WORDS * 64 == WW_RULE_WORDS, "WW_RULE_WORDS is a multiple of 64");
/* The kernel takes only a power-of-two number of pages for a ring buffer. */
WW_STATIC_ASSERT(WW_IS_POWER_OF_TWO(WW_RINGBUF_BYTES) && WW_RINGBUF_BYTES % 4096 == 0,
		 "ww_events must be a power-of-two multiple of the page size");

/*
 * The enums stored in or indexing pinned maps, each as ONE table: X(enumerator, value, name).
 * The C enums below and the C++ name lookups (westworld/abi_names.h) are generated from these
 * tables, so a value and its name cannot drift apart.
 * - Values are explicit: the maps outlive the binaries. Append, never renumber (and bump
 *   WW_ABI_VERSION).
 * - Names are what status JSON, logs and metric labels print: never rename one.
 * - Enums that index a map (directions, actions, drop reasons, stats) must be dense from 0;
 *   abi_names.h asserts it.
 * The tables keep one row per line, so clang-format stays out of them.
 */
/* clang-format off */
#define WW_ABI_ENUMERATOR(enumerator, value, name) enumerator = value,
#define WW_ABI_COUNT(enumerator, value, name) +1

/* Indexes ww_stats and ww_drop_stats (per direction) and ww_proto_vec. */
#define WW_DIRECTIONS(X)                \
	X(WW_DIR_INGRESS, 0, "ingress") \
	X(WW_DIR_EGRESS, 1, "egress")

enum ww_direction {
	WW_DIRECTIONS(WW_ABI_ENUMERATOR)
	WW_DIR_MAX = 0 WW_DIRECTIONS(WW_ABI_COUNT),
};

/* struct ww_rule.action and ww_policy_config.default_action. */
#define WW_ACTIONS(X)                  \
	X(WW_ACTION_ALLOW, 0, "allow") \
	X(WW_ACTION_DENY, 1, "deny")   \
	X(WW_ACTION_AUDIT, 2, "audit") /* allow, plus a sampled event */

enum ww_action {
	WW_ACTIONS(WW_ABI_ENUMERATOR)
	WW_ACTION_MAX = 0 WW_ACTIONS(WW_ABI_COUNT),
};
/* clang-format on */

enum ww_fragment_mode {
	WW_FRAGMENTS_DENY = 0,
	WW_FRAGMENTS_L3_ONLY = 1,
};

enum ww_on_exceed {
	WW_EXCEED_DROP = 0,
	WW_EXCEED_COUNT = 1,
};

/* clang-format off */
/* ww_policy_config.reverse_path: the reverse-path check on ingress (RFC 3704), run before any
 * per-source state is touched, so a spoofed packet never spends or quarantines another's. */
#define WW_REVERSE_PATH_MODES(X)                                                                   \
	X(WW_REVERSE_PATH_OFF,    0, "off")    /* no check */                                     \
	X(WW_REVERSE_PATH_LOOSE,  1, "loose")  /* the router has a route back to the source */    \
	X(WW_REVERSE_PATH_STRICT, 2, "strict") /* ... and it leaves by the ingress interface */

enum ww_reverse_path_mode {
	WW_REVERSE_PATH_MODES(WW_ABI_ENUMERATOR)
};
/* clang-format on */

enum ww_port_field {
	WW_FIELD_SRC_PORT = 0,
	WW_FIELD_DST_PORT = 1,
	WW_PORT_FIELDS = 2,
};

enum ww_family {
	WW_FAMILY_IPV4 = 4,
	WW_FAMILY_IPV6 = 6,
};

/* clang-format off */
/* Why a packet was dropped; counted per direction in ww_drop_stats. */
#define WW_DROP_REASONS(X)                                                                         \
	X(WW_DROP_TRUNCATED,   0, "truncated")   /* a header runs past the end of the frame */     \
	X(WW_DROP_MALFORMED,   1, "malformed")   /* bad version, header length or total length */  \
	X(WW_DROP_EXT_HEADERS, 2, "ext_headers") /* more IPv6 extension headers than we walk */    \
	X(WW_DROP_FRAGMENT,    3, "fragment")    /* non-first fragment under `fragments: deny` */  \
	X(WW_DROP_RULE,        4, "rule")        /* a charter flow rule said deny */               \
	X(WW_DROP_DEFAULT,     5, "default")     /* no rule matched and the default is deny */     \
	X(WW_DROP_QUOTA,       6, "quota")       /* the source exceeded its pps or bps quota */    \
	X(WW_DROP_SHARE,       7, "share")       /* the source exceeded its share of the iface */  \
	X(WW_DROP_NO_POLICY,   8, "no_policy")   /* no policy has been applied yet: fail closed */ \
	X(WW_DROP_QUARANTINE,  9, "quarantine")  /* the source is quarantined (ww_quarantine) */ \
	X(WW_DROP_TELEMETRY_SCRAPE, 10, "telemetry_scrape") /* a collector scraping an exporter */ \
	X(WW_DROP_TELEMETRY_BYPASS, 11, "telemetry_bypass") /* to a collector, not from the gate */ \
	X(WW_DROP_REVERSE_PATH, 12, "reverse_path")         /* no route back to the source by its iface */

enum ww_drop_reason {
	WW_DROP_REASONS(WW_ABI_ENUMERATOR)
	WW_DROP_MAX = 0 WW_DROP_REASONS(WW_ABI_COUNT),
};

/* Packet and byte counters, per direction, in ww_stats. */
#define WW_STATS(X)                                                                                \
	X(WW_STAT_SEEN,            0, "seen")           /* every frame the program saw */          \
	X(WW_STAT_PASS,            1, "pass")           /* final verdict pass */                   \
	X(WW_STAT_DROP,            2, "drop")           /* final verdict drop (any reason) */      \
	X(WW_STAT_NON_IP,          3, "non_ip")         /* ARP and other non-IP frames, passed */  \
	X(WW_STAT_ACTION_ALLOW,    4, "action_allow")   /* charter: allow (rule or default) */     \
	X(WW_STAT_ACTION_DENY,     5, "action_deny")    /* charter: deny (rule or default) */      \
	X(WW_STAT_ACTION_AUDIT,    6, "action_audit")   /* charter: audit */                       \
	X(WW_STAT_DEFAULT,         7, "default")        /* no rule matched: the default applied */ \
	X(WW_STAT_QUOTA_EXCEEDED,  8, "quota_exceeded") /* over quota: dropped, or only counted */ \
	X(WW_STAT_SHARE_EXCEEDED,  9, "share_exceeded") /* over the share cap: same */             \
	X(WW_STAT_SOURCES_NEW,    10, "sources_new")    /* sources inserted into ww_sources */     \
	X(WW_STAT_EVENTS_SENT,    11, "events_sent")    /* audit events put in the ring buffer */  \
	X(WW_STAT_EVENTS_SAMPLED, 12, "events_sampled") /* audit events the sampler skipped */     \
	X(WW_STAT_EVENTS_LOST,    13, "events_lost")    /* ring buffer full; the packet is fine */

enum ww_stat {
	WW_STATS(WW_ABI_ENUMERATOR)
	WW_STAT_MAX = 0 WW_STATS(WW_ABI_COUNT),
};
/* clang-format on */

struct ww_counter {
	__u64 packets;
	__u64 bytes;
};

struct ww_bitvec {
	__u64 summary[WW_SUMMARY_WORDS];
	__u64 word[WW_RULE_WORDS];
};

/* Address-keyed LPM tries (rule src/dst, quota classes). prefixlen counts
 * the gen and family bytes too, so generations and families never mix. */
struct ww_lpm_key {
	__u32 prefixlen;
	__u8 gen;
	__u8 family;
	__u8 addr[16];
} __attribute__((packed));

#define WW_LPM_KEY_BITS(addr_bits) (16 + (addr_bits))

struct ww_port_vec_key {
	__u8 gen;
	__u8 field; /* enum ww_port_field */
	__u16 pad;
	__u32 interval; /* or WW_PORT_NONE for packets without L4 ports */
};

/* Where a rule comes from (ww_rule.origin): the policy's flow rules, or the guard rules its
 * charter.telemetry section implies, which drop with their own reasons. */
/* clang-format off */
#define WW_RULE_ORIGINS(X)                                                                         \
	X(WW_RULE_FLOW,             0, "flow")             /* a flow rule of the policy */         \
	X(WW_RULE_TELEMETRY_SCRAPE, 1, "telemetry_scrape") /* ingress: collector -> exporter */    \
	X(WW_RULE_TELEMETRY_BYPASS, 2, "telemetry_bypass") /* egress: -> collector, not the gate */

enum ww_rule_origin {
	WW_RULE_ORIGINS(WW_ABI_ENUMERATOR)
};
/* clang-format on */

/* ww_rule.flags */
#define WW_RULE_F_VIOLATION 0x1 /* a hit is a charter violation of its source: sampled event */

struct ww_rule {
	__u8 action; /* enum ww_action */
	__u8 origin; /* enum ww_rule_origin */
	__u8 flags;  /* WW_RULE_F_* */
	__u8 pad;
};

/* GCRA parameters for one quota class. All-zero intervals mean unlimited. */
struct ww_quota {
	__u64 packet_interval_ns; /* 1e9 / pps */
	__u64 packet_tolerance_ns; /* burst * packet_interval_ns */
	__u64 byte_interval_fp16; /* (1e9 << 16) / bytes per second; 0 = no byte rate */
	__u64 byte_tolerance_ns; /* burst_bytes * byte interval */
	__u8 unlimited;
	__u8 pad[7];
};

struct ww_policy_config {
	__u32 abi_version;
	__u32 n_rules;
	__u32 n_words; /* rule words in use: ceil(n_rules / 64) */
	__u32 n_summary_words;
	__u64 generation; /* monotonically increasing apply counter */
	__u8 digest[32]; /* SHA-256 of the compiled policy */
	__u8 default_action; /* enum ww_action */
	__u8 fragments; /* enum ww_fragment_mode */
	__u8 on_exceed; /* enum ww_on_exceed */
	__u8 ipv4_prefix; /* source identity prefix lengths */
	__u8 ipv6_prefix;
	__u8 has_classes;
	__u8 reverse_path; /* enum ww_reverse_path_mode */
	__u8 pad;
	__u32 max_share_ppm; /* 0 disables the share cap */
	__u32 audit_events_per_sec; /* per CPU */
	__u64 share_floor_packets; /* per window: share_floor_pps * window */
	__u64 share_window_ns;
	__u64 applied_at_unix_ns;
	/* CLOCK_MONOTONIC (bpf_ktime_get_ns) at the flip: the grace period before the
	 * other half is rewritten is measured on it, so a wall-clock step cannot stretch it. */
	__u64 applied_at_mono_ns;
};

struct ww_active {
	__u32 gen; /* which half of every table is live; 0 or 1 */
	__u32 valid; /* 0 until the first policy is applied */
};

struct ww_source_key {
	__u8 family;
	__u8 pad[3];
	__u8 addr[16]; /* masked to the identity prefix */
};

/* Per-source state, shared by all CPUs. Quota state is updated in place
 * without locks; counters use atomic adds. */
struct ww_source {
	__u64 packet_tat_ns; /* GCRA theoretical arrival time, packets */
	__u64 byte_tat_ns; /* GCRA theoretical arrival time, bytes */
	__u64 window_start_ns;
	__u64 window_packets;
	__u64 packets;
	__u64 bytes;
	__u64 dropped_quota;
	__u64 dropped_share;
	__u64 first_seen_ns;
	__u64 last_seen_ns;
	__u32 class_id;
	__u32 class_generation_low; /* config generation the class was looked up in */
	__u32 last_ifindex; /* interface of the latest packet: the agent's per-interface shares */
	__u32 pad;
};

/* clang-format off */
/* What a quarantine does to the source's ingress traffic (ww_quarantine.action). */
#define WW_QUARANTINE_ACTIONS(X)                                                                   \
	X(WW_QUARANTINE_DROP,  0, "drop")  /* every packet */                                      \
	X(WW_QUARANTINE_LIMIT, 1, "limit") /* packets beyond a tighter GCRA quota (ww_quarantine) */

enum ww_quarantine_action {
	WW_QUARANTINE_ACTIONS(WW_ABI_ENUMERATOR)
};

/* Who put the source in quarantine (ww_quarantine.origin); informational, for people and a
 * restarted agent. */
#define WW_QUARANTINE_ORIGINS(X)                          \
	X(WW_QUARANTINE_MANUAL,      0, "manual")         \
	X(WW_QUARANTINE_RATE_JUMP,   1, "rate_jump")      \
	X(WW_QUARANTINE_SHARE_CREEP, 2, "share_creep")    \
	X(WW_QUARANTINE_CHARTER,     3, "charter") /* 3rd violation: held until a decision */

enum ww_quarantine_origin {
	WW_QUARANTINE_ORIGINS(WW_ABI_ENUMERATOR)
};
/* clang-format on */

/* ww_quarantine: struct ww_source_key -> this. Written by the agent; the data
 * plane enforces it while bpf_ktime_get_ns() < until_ns, so a ban ends on
 * time even without an agent, and the agent extends it while the source
 * stays loud. */
struct ww_quarantine {
	__u64 until_ns; /* CLOCK_MONOTONIC, like bpf_ktime_get_ns() */
	__u64 since_ns;
	__u32 action; /* enum ww_quarantine_action */
	__u32 origin; /* enum ww_quarantine_origin */
	__u64 packet_interval_ns; /* WW_QUARANTINE_LIMIT: 1e9 / pps */
	__u64 packet_tolerance_ns; /* WW_QUARANTINE_LIMIT: burst * packet_interval_ns */
	__u64 packet_tat_ns; /* WW_QUARANTINE_LIMIT: GCRA state, written by the data plane */
	__u64 dropped; /* packets this entry dropped (atomic adds) */
};

/* Per-interface share window, written by the data plane. */
struct ww_iface_window {
	__u64 window_start_ns;
	__u64 window_packets;
	__u64 previous_window_packets;
};

/* What the control plane attached where; written by userspace only, so that
 * `wwctl status` and bpftool can explain the running state without an agent. */
struct ww_iface_info {
	char name[16];
	__u32 xdp_mode; /* 1 native, 2 generic (skb), 3 offload */
	__u32 xdp_prog_id;
	__u32 tc_prog_id;
	__u32 pad;
};

/* ww_node: one entry, what this node's agent adds to any policy: written at every agent start,
 * not double-buffered (one aligned store), not part of a policy's digest. */
struct ww_node {
	__u16 telemetry_gate_port; /* the gate's TCP port, host order; 0: no gate runs */
	__u16 pad[3];
};

/* ww_bypass: socket uid -> packets the tc program dropped as telemetry_bypass, so the agent can
 * name who tried to send telemetry around the gate. An LRU: a flood of uids cannot fill it. */
#define WW_MAX_BYPASS_SENDERS 1024

/* ww_abi: one entry, written by the loader before it pins the programs, then frozen. Tells
 * an adopter which map ABI the pinned guard speaks, so it can refuse one it would misread. */
struct ww_abi {
	__u32 version; /* WW_ABI_VERSION of the binary that loaded the guard */
};

enum ww_event_kind {
	WW_EVENT_AUDIT = 1,     /* a rule with action audit matched */
	WW_EVENT_VIOLATION = 2, /* a rule flagged WW_RULE_F_VIOLATION matched */
};

struct ww_event {
	__u64 timestamp_ns;
	__u32 kind; /* enum ww_event_kind */
	__u32 rule; /* rule index in the generation below */
	__u32 ifindex;
	__u32 length;
	__u64 generation;
	__u8 direction;
	__u8 family;
	__u8 protocol;
	__u8 pad;
	__u16 src_port;
	__u16 dst_port;
	__u8 src[16];
	__u8 dst[16];
};

/* Per-CPU sampler state for audit events. */
struct ww_event_budget {
	__u64 window_start_ns;
	__u32 sent;
	__u32 pad;
};

/* The layouts both sides agree on: a change here is a change of the ABI. */
WW_STATIC_ASSERT(sizeof(struct ww_counter) == 16, "ww_counter layout");
WW_STATIC_ASSERT(sizeof(struct ww_bitvec) == 8 * (WW_SUMMARY_WORDS + WW_RULE_WORDS),
		 "ww_bitvec layout");
WW_STATIC_ASSERT(sizeof(struct ww_lpm_key) == 22, "ww_lpm_key layout (packed)");
WW_STATIC_ASSERT(sizeof(struct ww_port_vec_key) == 8, "ww_port_vec_key layout");
WW_STATIC_ASSERT(sizeof(struct ww_rule) == 4, "ww_rule layout");
WW_STATIC_ASSERT(sizeof(struct ww_quota) == 40, "ww_quota layout");
WW_STATIC_ASSERT(sizeof(struct ww_policy_config) == 104, "ww_policy_config layout");
WW_STATIC_ASSERT(sizeof(struct ww_active) == 8, "ww_active layout");
WW_STATIC_ASSERT(sizeof(struct ww_source_key) == 20, "ww_source_key layout");
WW_STATIC_ASSERT(sizeof(struct ww_source) == 96, "ww_source layout");
WW_STATIC_ASSERT(sizeof(struct ww_quarantine) == 56, "ww_quarantine layout");
WW_STATIC_ASSERT(sizeof(struct ww_iface_window) == 24, "ww_iface_window layout");
WW_STATIC_ASSERT(sizeof(struct ww_iface_info) == 32, "ww_iface_info layout");
WW_STATIC_ASSERT(sizeof(struct ww_abi) == 4, "ww_abi layout");
WW_STATIC_ASSERT(sizeof(struct ww_node) == 8, "ww_node layout");
WW_STATIC_ASSERT(sizeof(struct ww_event) == 72, "ww_event layout");
WW_STATIC_ASSERT(sizeof(struct ww_event_budget) == 16, "ww_event_budget layout");

#define WW_STATS_INDEX(dir, stat) ((dir) * WW_STAT_MAX + (stat))
#define WW_DROP_INDEX(dir, reason) ((dir) * WW_DROP_MAX + (reason))
#define WW_RULE_INDEX(gen, rule) ((gen) * WW_MAX_RULES + (rule))
#define WW_PROTO_INDEX(gen, dir, proto) (((gen) * WW_DIR_MAX + (dir)) * 256 + (proto))
#define WW_PORT_INDEX(gen, field, port) \
	(((gen) * WW_PORT_FIELDS + (field)) * WW_PORT_SPACE + (port))
#define WW_CLASS_INDEX(gen, class_id) ((gen) * WW_MAX_CLASSES + (class_id))

#endif /* WESTWORLD_ABI_H */

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

#define WW_ABI_VERSION 2

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

enum ww_direction {
	WW_DIR_INGRESS = 0,
	WW_DIR_EGRESS = 1,
	WW_DIR_MAX,
};

enum ww_action {
	WW_ACTION_ALLOW = 0,
	WW_ACTION_DENY = 1,
	WW_ACTION_AUDIT = 2, /* allow, plus a sampled event */
	WW_ACTION_MAX,
};

enum ww_fragment_mode {
	WW_FRAGMENTS_DENY = 0,
	WW_FRAGMENTS_L3_ONLY = 1,
};

enum ww_on_exceed {
	WW_EXCEED_DROP = 0,
	WW_EXCEED_COUNT = 1,
};

enum ww_port_field {
	WW_FIELD_SRC_PORT = 0,
	WW_FIELD_DST_PORT = 1,
	WW_PORT_FIELDS,
};

enum ww_family {
	WW_FAMILY_IPV4 = 4,
	WW_FAMILY_IPV6 = 6,
};

/* Why a packet was dropped; counted per direction in ww_drop_stats. */
enum ww_drop_reason {
	WW_DROP_TRUNCATED = 0,  /* a header runs past the end of the frame */
	WW_DROP_MALFORMED,      /* bad version, header length or total length */
	WW_DROP_EXT_HEADERS,    /* more IPv6 extension headers than we walk */
	WW_DROP_FRAGMENT,       /* non-first fragment under `fragments: deny` */
	WW_DROP_RULE,           /* a charter flow rule said deny */
	WW_DROP_DEFAULT,        /* no rule matched and the default is deny */
	WW_DROP_QUOTA,          /* the source exceeded its pps or bps quota */
	WW_DROP_SHARE,          /* the source exceeded its share of the interface */
	WW_DROP_NO_POLICY,      /* no policy has been applied yet: fail closed */
	WW_DROP_QUARANTINE,     /* the source is quarantined (ww_quarantine) */
	WW_DROP_MAX,
};

/* Packet and byte counters, per direction, in ww_stats. */
enum ww_stat {
	WW_STAT_SEEN = 0,       /* every frame the program saw */
	WW_STAT_PASS,           /* final verdict pass */
	WW_STAT_DROP,           /* final verdict drop (any reason) */
	WW_STAT_NON_IP,         /* ARP and other non-IP frames, passed */
	WW_STAT_ACTION_ALLOW,   /* charter decision allow (rule or default) */
	WW_STAT_ACTION_DENY,    /* charter decision deny (rule or default) */
	WW_STAT_ACTION_AUDIT,   /* charter decision audit */
	WW_STAT_DEFAULT,        /* no rule matched: the default applied */
	WW_STAT_QUOTA_EXCEEDED, /* over quota, dropped or (on_exceed: count) only counted */
	WW_STAT_SHARE_EXCEEDED, /* over the share cap, dropped or only counted */
	WW_STAT_SOURCES_NEW,    /* sources inserted into ww_sources */
	WW_STAT_EVENTS_SENT,    /* audit events written to the ring buffer */
	WW_STAT_EVENTS_SAMPLED, /* audit events skipped by the in-kernel sampler */
	WW_STAT_EVENTS_LOST,    /* ring buffer full: event lost, packet unaffected */
	WW_STAT_MAX,
};

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

struct ww_rule {
	__u8 action; /* enum ww_action */
	__u8 pad[3];
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
	__u8 pad[2];
	__u32 max_share_ppm; /* 0 disables the share cap */
	__u32 audit_events_per_sec; /* per CPU */
	__u64 share_floor_packets; /* per window: share_floor_pps * window */
	__u64 share_window_ns;
	__u64 applied_at_unix_ns;
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

/* What a quarantine does to the source's ingress traffic. */
enum ww_quarantine_action {
	WW_QUARANTINE_DROP = 0,  /* every packet */
	WW_QUARANTINE_LIMIT = 1, /* packets beyond a tighter GCRA quota (packet_interval_ns) */
};

/* Who put the source in quarantine; informational, for people and a restarted agent. */
enum ww_quarantine_origin {
	WW_QUARANTINE_MANUAL = 0,
	WW_QUARANTINE_RATE_JUMP = 1,
	WW_QUARANTINE_SHARE_CREEP = 2,
};

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

enum ww_event_kind {
	WW_EVENT_AUDIT = 1,
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

#define WW_STATS_INDEX(dir, stat) ((dir) * WW_STAT_MAX + (stat))
#define WW_DROP_INDEX(dir, reason) ((dir) * WW_DROP_MAX + (reason))
#define WW_RULE_INDEX(gen, rule) ((gen) * WW_MAX_RULES + (rule))
#define WW_PROTO_INDEX(gen, dir, proto) (((gen) * WW_DIR_MAX + (dir)) * 256 + (proto))
#define WW_PORT_INDEX(gen, field, port) \
	(((gen) * WW_PORT_FIELDS + (field)) * WW_PORT_SPACE + (port))
#define WW_CLASS_INDEX(gen, class_id) ((gen) * WW_MAX_CLASSES + (class_id))

#endif /* WESTWORLD_ABI_H */

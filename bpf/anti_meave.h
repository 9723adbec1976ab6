/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/* Anti-Meave: no single source may take over an interface. Each source (an
 * address masked to the identity prefix) gets a GCRA quota in packets and,
 * optionally, bytes, plus a cap on its share of the interface's packets per
 * window.
 *
 * Lock-free by design: state is written in place, and concurrent CPUs may
 * race on a theoretical arrival time. The race can only let a few extra
 * packets through at the moment two CPUs serve one source, never block a
 * source that is within its quota, and costs no lock on the fast path. */
#ifndef WW_BPF_ANTI_MEAVE_H
#define WW_BPF_ANTI_MEAVE_H

#include "anti_meave_math.h"
#include "counters.h"
#include "parse.h"

/* ww_anti_meave's answer for a packet that may pass: not a drop reason, and out of range of
 * ww_drop_stats should it ever be counted as one by mistake. */
#define WW_NO_DROP ((enum ww_drop_reason)0xff)

static __always_inline void ww_mask_address(__u8 *addr, __u32 prefix, __u32 bytes)
{
#pragma unroll
	for (__u32 i = 0; i < 16; i++) {
		__u32 bit = i * 8;

		if (i >= bytes || bit >= prefix)
			addr[i] = 0;
		else if (prefix - bit < 8)
			addr[i] &= (__u8)(0xff << (8 - (prefix - bit)));
	}
}

static __always_inline struct ww_source *ww_source_of(const struct ww_policy_config *cfg,
						      const struct ww_packet *pkt, __u8 dir, __u32 len,
						      __u64 now, struct ww_source_key *key)
{
	struct ww_source *src;
	bool v4 = pkt->family == WW_FAMILY_IPV4;

	key->family = pkt->family;
	__builtin_memcpy(key->addr, pkt->src, 16);
	ww_mask_address(key->addr, v4 ? cfg->ipv4_prefix : cfg->ipv6_prefix, v4 ? 4 : 16);

	src = bpf_map_lookup_elem(&ww_sources, key);
	if (src)
		return src;

	struct ww_source fresh = {
		.packet_tat_ns = now,
		.byte_tat_ns = now,
		.first_seen_ns = now,
		.class_generation_low = ~(__u32)cfg->generation,
	};
	/* A full LRU evicts its coldest entry here; userspace derives the
	 * eviction count from SOURCES_NEW minus the entries still present. */
	if (bpf_map_update_elem(&ww_sources, key, &fresh, BPF_NOEXIST) == 0)
		ww_count_stat(dir, WW_STAT_SOURCES_NEW, len);
	return bpf_map_lookup_elem(&ww_sources, key);
}

static __always_inline const struct ww_quota *ww_quota_of(const struct ww_policy_config *cfg, __u32 gen,
							  struct ww_source *src,
							  const struct ww_source_key *key)
{
	__u32 class_id = 0;

	if (cfg->has_classes) {
		/* Cached per source until the next policy generation. */
		if (src->class_generation_low != (__u32)cfg->generation) {
			struct ww_lpm_key lpm = {
				.prefixlen = WW_LPM_KEY_BITS(key->family == WW_FAMILY_IPV4 ? 32 : 128),
				.gen = gen,
				.family = key->family,
			};
			__u32 *found;

			__builtin_memcpy(lpm.addr, key->addr, 16);
			found = bpf_map_lookup_elem(&ww_class_lpm, &lpm);
			src->class_id = found ? *found : 0;
			src->class_generation_low = (__u32)cfg->generation;
		}
		class_id = src->class_id & (WW_MAX_CLASSES - 1);
	}
	__u32 index = WW_CLASS_INDEX(gen, class_id);
	return bpf_map_lookup_elem(&ww_classes, &index);
}

/* The interface's share window, created on its first packet. */
static __always_inline bool ww_within_share(const struct ww_policy_config *cfg, struct ww_source *src,
					    __u32 ifindex, __u64 now)
{
	struct ww_iface_window *win = bpf_map_lookup_elem(&ww_iface_win, &ifindex);

	if (!win) {
		struct ww_iface_window fresh = { .window_start_ns = now };

		bpf_map_update_elem(&ww_iface_win, &ifindex, &fresh, BPF_NOEXIST);
		win = bpf_map_lookup_elem(&ww_iface_win, &ifindex);
		if (!win)
			return true;
	}
	return ww_share_admits(cfg, win, src, now);
}

/* Quarantine: the agent's response to a detector, or an operator's. Checked
 * after the source's counters, so the agent keeps seeing what a quarantined
 * source offers: that decides when it is released. */
static __always_inline bool ww_quarantine_passes(const struct ww_source_key *key, __u64 now)
{
	struct ww_quarantine *q = bpf_map_lookup_elem(&ww_quarantine, key);

	return !q || ww_quarantine_admits(q, now);
}

/* Returns WW_NO_DROP when the packet may pass, else the drop reason. */
static __always_inline enum ww_drop_reason ww_anti_meave(const struct ww_policy_config *cfg, __u32 gen,
							 const struct ww_packet *pkt, __u32 ifindex,
							 __u8 dir, __u32 len, __u64 now)
{
	struct ww_source_key key = {};
	struct ww_source *src = ww_source_of(cfg, pkt, dir, len, now, &key);
	const struct ww_quota *quota;

	if (!src)
		return WW_NO_DROP; /* the LRU always makes room; this is unreachable in practice */
	__sync_fetch_and_add(&src->packets, 1);
	__sync_fetch_and_add(&src->bytes, len);
	src->last_seen_ns = now;
	src->last_ifindex = ifindex;

	/* A quarantine is an explicit response, so it drops even under on_exceed: count. */
	if (!ww_quarantine_passes(&key, now))
		return WW_DROP_QUARANTINE;

	quota = ww_quota_of(cfg, gen, src, &key);
	if (quota && !quota->unlimited && !ww_within_quota(quota, src, len, now)) {
		ww_count_stat(dir, WW_STAT_QUOTA_EXCEEDED, len);
		if (cfg->on_exceed == WW_EXCEED_DROP) {
			__sync_fetch_and_add(&src->dropped_quota, 1);
			return WW_DROP_QUOTA;
		}
	}
	if (cfg->max_share_ppm && !ww_within_share(cfg, src, ifindex, now)) {
		ww_count_stat(dir, WW_STAT_SHARE_EXCEEDED, len);
		if (cfg->on_exceed == WW_EXCEED_DROP) {
			__sync_fetch_and_add(&src->dropped_share, 1);
			return WW_DROP_SHARE;
		}
	}
	return WW_NO_DROP;
}

#endif /* WW_BPF_ANTI_MEAVE_H */

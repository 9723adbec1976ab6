/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/* The arithmetic of Anti-Meave without the maps around it: GCRA quotas, the share window and
 * a quarantine's limit, as pure functions of the state they update and the `now` they are
 * given. The guard passes bpf_ktime_get_ns(); the host unit tests
 * (tests/bpf/anti_meave_math_test.cpp) compile this same header as C++ and pass a clock they
 * control. So: nothing here but abi.h and compiler builtins, no helper call, no map. */
#ifndef WW_BPF_ANTI_MEAVE_MATH_H
#define WW_BPF_ANTI_MEAVE_MATH_H

#ifndef __cplusplus
#include <stdbool.h>
#endif

#include "westworld/abi.h"

#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif

/* GCRA: conforming while the theoretical arrival time, advanced by this
 * packet's cost, stays within the burst tolerance of now. Only conforming
 * packets advance it, so a source over quota recovers at exactly its rate. */
static __always_inline bool ww_gcra_conforms(__u64 tat, __u64 cost, __u64 tolerance, __u64 now,
					     __u64 *next_tat)
{
	__u64 start = tat > now ? tat : now;

	*next_tat = start + cost;
	return *next_tat - now <= tolerance;
}

static __always_inline bool ww_within_quota(const struct ww_quota *q, struct ww_source *src,
					    __u32 len, __u64 now)
{
	__u64 next_packet_tat, next_byte_tat = 0;

	if (!ww_gcra_conforms(src->packet_tat_ns, q->packet_interval_ns, q->packet_tolerance_ns,
			      now, &next_packet_tat))
		return false;
	if (q->byte_interval_fp16) {
		__u64 cost = ((__u64)len * q->byte_interval_fp16) >> 16;

		if (!ww_gcra_conforms(src->byte_tat_ns, cost, q->byte_tolerance_ns, now,
				      &next_byte_tat))
			return false;
		src->byte_tat_ns = next_byte_tat;
	}
	src->packet_tat_ns = next_packet_tat;
	return true;
}

/* Share cap: a source may pass at most max_share of what the interface
 * carried in the previous window, while that exceeded the floor. Windows
 * are per interface; a source's count restarts when the interface's does. */
static __always_inline bool ww_share_admits(const struct ww_policy_config *cfg,
					    struct ww_iface_window *win, struct ww_source *src,
					    __u64 now)
{
	if (now - win->window_start_ns >= cfg->share_window_ns) {
		/* Racing CPUs may both roll the window; either result is a
		 * valid window boundary. */
		win->previous_window_packets = win->window_packets;
		win->window_packets = 0;
		win->window_start_ns = now;
	}
	__sync_fetch_and_add(&win->window_packets, 1);

	if (src->window_start_ns != win->window_start_ns) {
		src->window_start_ns = win->window_start_ns;
		src->window_packets = 0;
	}

	__u64 previous = win->previous_window_packets;

	if (previous < cfg->share_floor_packets || previous == 0)
		return true;
	if (src->window_packets * 1000000 >= previous * cfg->max_share_ppm)
		return false;
	__sync_fetch_and_add(&src->window_packets, 1);
	return true;
}

/* A quarantine holds until until_ns: every packet is dropped, or with
 * WW_QUARANTINE_LIMIT only those beyond its own GCRA quota. */
static __always_inline bool ww_quarantine_admits(struct ww_quarantine *q, __u64 now)
{
	__u64 next_tat;

	if (now >= q->until_ns)
		return true;
	if (q->action == WW_QUARANTINE_LIMIT &&
	    ww_gcra_conforms(q->packet_tat_ns, q->packet_interval_ns, q->packet_tolerance_ns, now,
			     &next_tat)) {
		q->packet_tat_ns = next_tat;
		return true;
	}
	__sync_fetch_and_add(&q->dropped, 1);
	return false;
}

#endif /* WW_BPF_ANTI_MEAVE_MATH_H */

/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/* Per-CPU counter bumps: no atomics needed, userspace sums the CPUs. */
#ifndef WW_BPF_COUNTERS_H
#define WW_BPF_COUNTERS_H

#include "maps.h"

static __always_inline void ww_count(void *map, __u32 index, __u32 bytes)
{
	struct ww_counter *c = bpf_map_lookup_elem(map, &index);

	if (c) {
		c->packets++;
		c->bytes += bytes;
	}
}

static __always_inline void ww_count_stat(__u8 dir, enum ww_stat stat, __u32 bytes)
{
	ww_count(&ww_stats, WW_STATS_INDEX(dir, stat), bytes);
}

static __always_inline void ww_count_drop(__u8 dir, enum ww_drop_reason reason, __u32 bytes)
{
	ww_count(&ww_drop_stats, WW_DROP_INDEX(dir, reason), bytes);
}

#endif /* WW_BPF_COUNTERS_H */

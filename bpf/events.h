/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/* Events through the ring buffer (audit rules, violation rules), sampled per
 * CPU: at most audit_events_per_sec per CPU reach userspace, so a flood that
 * matches such a rule costs the agent nothing. A full ring buffer loses the
 * event, never the packet. */
#ifndef WW_BPF_EVENTS_H
#define WW_BPF_EVENTS_H

#include "counters.h"
#include "parse.h"

#define WW_NSEC_PER_SEC 1000000000ULL

static __always_inline bool ww_event_budget_allows(const struct ww_policy_config *cfg, __u64 now)
{
	__u32 zero = 0;
	struct ww_event_budget *budget = bpf_map_lookup_elem(&ww_event_budget, &zero);

	if (!budget)
		return false;
	if (now - budget->window_start_ns >= WW_NSEC_PER_SEC) {
		budget->window_start_ns = now;
		budget->sent = 0;
	}
	if (budget->sent >= cfg->audit_events_per_sec)
		return false;
	budget->sent++;
	return true;
}

static __always_inline void ww_emit_event(const struct ww_policy_config *cfg, const struct ww_packet *pkt,
					  __u32 kind, __u32 rule, __u32 ifindex, __u8 dir, __u32 len, __u64 now)
{
	struct ww_event *ev;

	if (!ww_event_budget_allows(cfg, now)) {
		ww_count_stat(dir, WW_STAT_EVENTS_SAMPLED, len);
		return;
	}
	ev = bpf_ringbuf_reserve(&ww_events, sizeof(*ev), 0);
	if (!ev) {
		ww_count_stat(dir, WW_STAT_EVENTS_LOST, len);
		return;
	}
	ev->timestamp_ns = now;
	ev->kind = kind;
	ev->rule = rule;
	ev->ifindex = ifindex;
	ev->length = len;
	ev->generation = cfg->generation;
	ev->direction = dir;
	ev->family = pkt->family;
	ev->protocol = pkt->protocol;
	ev->pad = 0;
	ev->src_port = pkt->src_port;
	ev->dst_port = pkt->dst_port;
	__builtin_memcpy(ev->src, pkt->src, 16);
	__builtin_memcpy(ev->dst, pkt->dst, 16);
	bpf_ringbuf_submit(ev, 0);
	ww_count_stat(dir, WW_STAT_EVENTS_SENT, len);
}

#endif /* WW_BPF_EVENTS_H */

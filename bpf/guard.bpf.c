// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/* The Westworld guard: one pipeline, two hooks.
 *
 *   parse -> reverse path (ingress) -> charter flow rules -> anti-meave quota and share cap
 *   -> verdict
 *
 * ww_guard_xdp runs on every protected interface's ingress; ww_guard_tc runs
 * on tc egress for traffic the router itself sends, where only the charter
 * rules apply (quotas protect the router from others, not from itself). */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

#include "anti_meave.h"
#include "classify.h"
#include "counters.h"
#include "events.h"
#include "maps.h"
#include "parse.h"
#include "reverse_path.h"
#include "telemetry_guard.h"

enum ww_verdict {
	WW_VERDICT_PASS,
	WW_VERDICT_DROP,
};

static __always_inline enum ww_verdict ww_drop(__u8 dir, enum ww_drop_reason reason, __u32 len)
{
	ww_count_drop(dir, reason, len);
	ww_count_stat(dir, WW_STAT_DROP, len);
	return WW_VERDICT_DROP;
}

static __always_inline enum ww_verdict ww_pass(__u8 dir, __u32 len)
{
	ww_count_stat(dir, WW_STAT_PASS, len);
	return WW_VERDICT_PASS;
}

static __always_inline enum ww_stat ww_action_stat(__u8 action)
{
	switch (action) {
	case WW_ACTION_DENY:
		return WW_STAT_ACTION_DENY;
	case WW_ACTION_AUDIT:
		return WW_STAT_ACTION_AUDIT;
	default:
		return WW_STAT_ACTION_ALLOW;
	}
}

static __always_inline enum ww_drop_reason ww_rule_drop_reason(__u8 origin)
{
	switch (origin) {
	case WW_RULE_TELEMETRY_SCRAPE:
		return WW_DROP_TELEMETRY_SCRAPE;
	case WW_RULE_TELEMETRY_BYPASS:
		return WW_DROP_TELEMETRY_BYPASS;
	default:
		return WW_DROP_RULE;
	}
}

/* len is the whole packet's length, which on tc can exceed the linear data_end - data.
 * xdp is the ingress packet (for the reverse-path lookup), NULL on tc; skb is the egress
 * packet (for its socket's uid), NULL on XDP. */
static __always_inline enum ww_verdict ww_guard(void *data, void *data_end, __u32 len,
						__u32 ifindex, __u8 dir, struct xdp_md *xdp,
						struct __sk_buff *skb)
{
	struct ww_packet pkt = {};
	__u32 zero = 0;

	ww_count_stat(dir, WW_STAT_SEEN, len);

	switch (ww_parse(data, data_end, &pkt)) {
	case WW_PARSE_NON_IP:
		ww_count_stat(dir, WW_STAT_NON_IP, len);
		return ww_pass(dir, len);
	case WW_PARSE_DROP:
		return ww_drop(dir, pkt.drop_reason, len);
	}

	/* One read of the generation: everything below uses this half. */
	struct ww_active *active = bpf_map_lookup_elem(&ww_active, &zero);
	if (!active || !active->valid)
		return ww_drop(dir, WW_DROP_NO_POLICY, len);
	__u32 gen = READ_ONCE(active->gen) & 1;
	struct ww_policy_config *cfg = bpf_map_lookup_elem(&ww_config, &gen);
	if (!cfg)
		return ww_drop(dir, WW_DROP_NO_POLICY, len);

	if (pkt.non_first_fragment && cfg->fragments == WW_FRAGMENTS_DENY)
		return ww_drop(dir, WW_DROP_FRAGMENT, len);

	if (xdp && !ww_reverse_path_ok(xdp, &pkt, ifindex, cfg->reverse_path))
		return ww_drop(dir, WW_DROP_REVERSE_PATH, len);

	__u32 rule = ww_classify(&pkt, gen, dir, cfg->n_summary_words);
	__u8 action = cfg->default_action;
	__u8 origin = WW_RULE_FLOW;
	__u8 flags = 0;

	if (rule != WW_RULE_NONE) {
		__u32 index = WW_RULE_INDEX(gen, rule & (WW_MAX_RULES - 1));
		struct ww_rule *r = bpf_map_lookup_elem(&ww_rules, &index);

		if (r) {
			action = r->action;
			origin = r->origin;
			flags = r->flags;
		}
		/* The telemetry gate's own replies pass the rule that stops everyone else. */
		if (origin == WW_RULE_TELEMETRY_BYPASS && ww_from_telemetry_gate(&pkt))
			action = WW_ACTION_ALLOW;
		ww_count(&ww_rule_stats, index, len);
	} else {
		ww_count_stat(dir, WW_STAT_DEFAULT, len);
	}
	ww_count_stat(dir, ww_action_stat(action), len);

	/* One event at most per packet: a violation rule names the source whatever it does
	 * with the packet (dropped ones included), an audit rule reports what it let pass. */
	__u32 event = (flags & WW_RULE_F_VIOLATION) ? WW_EVENT_VIOLATION
		      : action == WW_ACTION_AUDIT   ? WW_EVENT_AUDIT
						    : 0;

	if (action == WW_ACTION_DENY) {
		if (origin == WW_RULE_TELEMETRY_BYPASS && skb)
			ww_count_bypass(bpf_get_socket_uid(skb));
		if (event)
			ww_emit_event(cfg, &pkt, event, rule, ifindex, dir, len, bpf_ktime_get_ns());
		return ww_drop(
		    dir, rule != WW_RULE_NONE ? ww_rule_drop_reason(origin) : WW_DROP_DEFAULT, len);
	}

	/* The one clock read of a passing packet serves the event and the quotas. */
	__u64 now = bpf_ktime_get_ns();

	if (event)
		ww_emit_event(cfg, &pkt, event, rule, ifindex, dir, len, now);

	if (dir == WW_DIR_INGRESS) {
		enum ww_drop_reason reason = ww_anti_meave(cfg, gen, &pkt, ifindex, dir, len, now);

		if (reason != WW_NO_DROP)
			return ww_drop(dir, reason, len);
	}
	return ww_pass(dir, len);
}

SEC("xdp")
int ww_guard_xdp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;

	enum ww_verdict verdict =
	    ww_guard(data, data_end, data_end - data, ctx->ingress_ifindex, WW_DIR_INGRESS, ctx, NULL);

	return verdict == WW_VERDICT_PASS ? XDP_PASS : XDP_DROP;
}

SEC("tc")
int ww_guard_tc(struct __sk_buff *skb)
{
	/* Direct packet access sees only the linear part of an skb, and some egress paths leave
	 * headers in page fragments (a packet socket's large frames, for one). Pull what the
	 * parser reads, but never more than the packet holds (a longer pull fails outright), and
	 * only when it is not linear already: most packets need no helper call at all. */
	__u32 want = skb->len < WW_PARSE_PULL_BYTES ? skb->len : WW_PARSE_PULL_BYTES;
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;

	if (data + want > data_end) {
		bpf_skb_pull_data(skb, want);
		data = (void *)(long)skb->data;
		data_end = (void *)(long)skb->data_end;
	}

	enum ww_verdict verdict =
	    ww_guard(data, data_end, skb->len, skb->ifindex, WW_DIR_EGRESS, NULL, skb);

	return verdict == WW_VERDICT_PASS ? TC_ACT_OK : TC_ACT_SHOT;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

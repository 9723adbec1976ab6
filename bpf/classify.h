/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/* Charter flow-rule classification without a linear scan over rules: five
 * lookups (protocol+direction, source prefix, destination prefix, two port
 * intervals) each return the bit vector of rules that match on that field;
 * the first bit set in all five is the first matching rule in file order.
 * A summary word per 64 rule words lets the AND skip words that cannot hold
 * a match, so a policy of 10,000 rules costs close to one of 10. */
#ifndef WW_BPF_CLASSIFY_H
#define WW_BPF_CLASSIFY_H

#include "maps.h"
#include "parse.h"

#define WW_FIELDS 5

/* Index of the lowest set bit; BPF has no ctz instruction. */
static __always_inline __u32 ww_ctz64(__u64 x)
{
	__u32 n = 0;

	if (!(x & 0xffffffffULL)) { n += 32; x >>= 32; }
	if (!(x & 0xffffULL)) { n += 16; x >>= 16; }
	if (!(x & 0xffULL)) { n += 8; x >>= 8; }
	if (!(x & 0xfULL)) { n += 4; x >>= 4; }
	if (!(x & 0x3ULL)) { n += 2; x >>= 2; }
	if (!(x & 0x1ULL)) { n += 1; }
	return n;
}

static __always_inline struct ww_bitvec *ww_lookup_prefix(void *lpm, __u32 gen, const struct ww_packet *pkt,
							  const __u8 *addr)
{
	struct ww_lpm_key key = {
		.prefixlen = WW_LPM_KEY_BITS(pkt->family == WW_FAMILY_IPV4 ? 32 : 128),
		.gen = gen,
		.family = pkt->family,
	};

	__builtin_memcpy(key.addr, addr, 16);
	return bpf_map_lookup_elem(lpm, &key);
}

static __always_inline struct ww_bitvec *ww_lookup_port(__u32 gen, __u32 field, __u8 has_ports, __u16 port)
{
	struct ww_port_vec_key key = { .gen = gen, .field = field, .interval = WW_PORT_NONE };

	if (has_ports) {
		__u32 index = WW_PORT_INDEX(gen, field, port);
		__u32 *interval = bpf_map_lookup_elem(&ww_port_index, &index);

		if (!interval)
			return NULL;
		key.interval = *interval;
	}
	return bpf_map_lookup_elem(&ww_port_vec, &key);
}

struct ww_and_walk {
	struct ww_bitvec *vec[WW_FIELDS];
	__u32 n_summary;
	__u32 summary_index; /* next summary word to load */
	__u64 candidates; /* words of the current summary word still to try */
	__u32 rule; /* result */
};

/* One step of the walk: either try the next candidate word, or load the
 * next summary word. Returning 1 stops bpf_loop. */
static long ww_and_step(__u32 step, struct ww_and_walk *walk)
{
	if (!walk->candidates) {
		__u32 s = walk->summary_index;

		if (s >= walk->n_summary || s >= WW_SUMMARY_WORDS)
			return 1;
		walk->candidates = walk->vec[0]->summary[s] & walk->vec[1]->summary[s] &
				   walk->vec[2]->summary[s] & walk->vec[3]->summary[s] &
				   walk->vec[4]->summary[s];
		walk->summary_index = s + 1;
		return 0;
	}

	__u32 w = ((walk->summary_index - 1) * 64 + ww_ctz64(walk->candidates)) & (WW_RULE_WORDS - 1);
	__u64 match = walk->vec[0]->word[w] & walk->vec[1]->word[w] & walk->vec[2]->word[w] &
		      walk->vec[3]->word[w] & walk->vec[4]->word[w];

	if (match) {
		walk->rule = w * 64 + ww_ctz64(match);
		return 1;
	}
	walk->candidates &= walk->candidates - 1;
	return 0;
}

/* Returns the index of the first matching rule, or WW_RULE_NONE.
 *
 * A global (non-inlined) function: the verifier checks it once, on its own,
 * instead of once for every path through the parser that reaches it; the
 * AND walk runs under bpf_loop so its body is verified once too. */
__noinline __u32 ww_classify(const struct ww_packet *pkt, __u32 gen, __u32 dir, __u32 n_summary)
{
	struct ww_and_walk walk = { .n_summary = n_summary, .rule = WW_RULE_NONE };
	__u32 proto_index;

	if (!pkt)
		return WW_RULE_NONE;
	gen &= 1;
	proto_index = WW_PROTO_INDEX(gen, dir & 1, pkt->protocol);

	walk.vec[0] = bpf_map_lookup_elem(&ww_proto_vec, &proto_index);
	walk.vec[1] = ww_lookup_prefix(&ww_src_lpm, gen, pkt, pkt->src);
	walk.vec[2] = ww_lookup_prefix(&ww_dst_lpm, gen, pkt, pkt->dst);
	walk.vec[3] = ww_lookup_port(gen, WW_FIELD_SRC_PORT, pkt->has_ports, pkt->src_port);
	walk.vec[4] = ww_lookup_port(gen, WW_FIELD_DST_PORT, pkt->has_ports, pkt->dst_port);
	if (!walk.vec[0] || !walk.vec[1] || !walk.vec[2] || !walk.vec[3] || !walk.vec[4])
		return WW_RULE_NONE;

	/* At most one step per summary word plus one per rule word. */
	bpf_loop(WW_SUMMARY_WORDS + WW_RULE_WORDS, ww_and_step, &walk, 0);
	return walk.rule;
}

#endif /* WW_BPF_CLASSIFY_H */

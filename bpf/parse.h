/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/* Header parsing: Ethernet, up to two VLAN tags, IPv4 (options, fragments),
 * IPv6 (bounded walk over hop-by-hop, routing, fragment, destination options,
 * AH and mobility headers), TCP, UDP, ICMP, ICMPv6. Every read is
 * bounds-checked; what cannot be read is a drop with a reason. */
#ifndef WW_BPF_PARSE_H
#define WW_BPF_PARSE_H

#include <stdbool.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "westworld/abi.h"

#define WW_ETH_P_8021AD 0x88A8
#define WW_IP_MF 0x2000
#define WW_IP_OFFSET 0x1FFF

/* Ethernet, two VLAN tags, IPv4 with the most options and TCP (102 bytes): what the parser
 * reads of any packet without IPv6 extension headers (IPv6 and TCP take 82), with room left
 * for a few short extension headers. The tc program makes this much linear. */
#define WW_PARSE_PULL_BYTES 128

enum ww_parse_result {
	WW_PARSE_IP = 0,
	WW_PARSE_NON_IP,
	WW_PARSE_DROP, /* see ww_packet.drop_reason */
};

struct ww_packet {
	__u8 family; /* enum ww_family */
	__u8 protocol; /* L4 protocol after any IPv6 extension headers */
	__u8 has_ports;
	__u8 non_first_fragment;
	__u8 drop_reason;
	__u16 src_port; /* host byte order */
	__u16 dst_port;
	__u8 src[16];
	__u8 dst[16];
};

struct ww_vlan_hdr {
	__be16 tci;
	__be16 encapsulated_proto;
};

/* The first two bytes of every walked extension header but the fragment header. */
struct ww_ipv6_opt_hdr {
	__u8 nexthdr;
	__u8 hdrlen; /* in 8-byte units, not counting the first 8 bytes; AH: see below */
};

struct ww_ipv6_frag_hdr {
	__u8 nexthdr;
	__u8 reserved;
	__be16 frag_off; /* offset in 8-byte units << 3, low bit: more fragments */
	__be32 identification;
};

static __always_inline int ww_drop_parse(struct ww_packet *pkt, enum ww_drop_reason reason)
{
	pkt->drop_reason = reason;
	return WW_PARSE_DROP;
}

static __always_inline int ww_parse_l4(void *cursor, void *data_end, struct ww_packet *pkt)
{
	if (pkt->non_first_fragment)
		return WW_PARSE_IP; /* no L4 header in this fragment */

	switch (pkt->protocol) {
	case IPPROTO_TCP: {
		struct tcphdr *th = cursor;

		if ((void *)(th + 1) > data_end)
			return ww_drop_parse(pkt, WW_DROP_TRUNCATED);
		if (th->doff < 5)
			return ww_drop_parse(pkt, WW_DROP_MALFORMED);
		pkt->src_port = bpf_ntohs(th->source);
		pkt->dst_port = bpf_ntohs(th->dest);
		pkt->has_ports = 1;
		return WW_PARSE_IP;
	}
	case IPPROTO_UDP: {
		struct udphdr *uh = cursor;

		if ((void *)(uh + 1) > data_end)
			return ww_drop_parse(pkt, WW_DROP_TRUNCATED);
		pkt->src_port = bpf_ntohs(uh->source);
		pkt->dst_port = bpf_ntohs(uh->dest);
		pkt->has_ports = 1;
		return WW_PARSE_IP;
	}
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		/* type, code, checksum: anything shorter is not ICMP */
		if (cursor + 4 > data_end)
			return ww_drop_parse(pkt, WW_DROP_TRUNCATED);
		return WW_PARSE_IP;
	default:
		return WW_PARSE_IP;
	}
}

static __always_inline int ww_parse_ipv4(void *cursor, void *data_end, struct ww_packet *pkt)
{
	struct iphdr *iph = cursor;
	__u32 header_len;

	if ((void *)(iph + 1) > data_end)
		return ww_drop_parse(pkt, WW_DROP_TRUNCATED);
	if (iph->version != 4 || iph->ihl < 5)
		return ww_drop_parse(pkt, WW_DROP_MALFORMED);
	header_len = iph->ihl * 4;
	if (bpf_ntohs(iph->tot_len) < header_len)
		return ww_drop_parse(pkt, WW_DROP_MALFORMED);
	if (cursor + header_len > data_end)
		return ww_drop_parse(pkt, WW_DROP_TRUNCATED);

	pkt->family = WW_FAMILY_IPV4;
	pkt->protocol = iph->protocol;
	pkt->non_first_fragment = (bpf_ntohs(iph->frag_off) & WW_IP_OFFSET) != 0;
	__builtin_memcpy(pkt->src, &iph->saddr, 4);
	__builtin_memcpy(pkt->dst, &iph->daddr, 4);
	return ww_parse_l4(cursor + header_len, data_end, pkt);
}

static __always_inline bool ww_ipv6_is_extension(__u8 nexthdr)
{
	return nexthdr == IPPROTO_HOPOPTS || nexthdr == IPPROTO_ROUTING ||
	       nexthdr == IPPROTO_DSTOPTS || nexthdr == IPPROTO_FRAGMENT || nexthdr == IPPROTO_AH ||
	       nexthdr == IPPROTO_MH;
}

static __always_inline int ww_parse_ipv6(void *cursor, void *data_end, struct ww_packet *pkt)
{
	struct ipv6hdr *ip6h = cursor;
	__u8 nexthdr;

	if ((void *)(ip6h + 1) > data_end)
		return ww_drop_parse(pkt, WW_DROP_TRUNCATED);
	if (ip6h->version != 6)
		return ww_drop_parse(pkt, WW_DROP_MALFORMED);

	pkt->family = WW_FAMILY_IPV6;
	__builtin_memcpy(pkt->src, &ip6h->saddr, 16);
	__builtin_memcpy(pkt->dst, &ip6h->daddr, 16);
	nexthdr = ip6h->nexthdr;
	cursor = ip6h + 1;

#pragma unroll
	for (int i = 0; i < WW_IPV6_MAX_EXT_HEADERS; i++) {
		switch (nexthdr) {
		case IPPROTO_HOPOPTS:
		case IPPROTO_ROUTING:
		case IPPROTO_DSTOPTS:
		case IPPROTO_MH: {
			struct ww_ipv6_opt_hdr *opt = cursor;

			if (cursor + 8 > data_end)
				return ww_drop_parse(pkt, WW_DROP_TRUNCATED);
			nexthdr = opt->nexthdr;
			cursor += (opt->hdrlen + 1) * 8;
			break;
		}
		case IPPROTO_AH: {
			struct ww_ipv6_opt_hdr *ah = cursor;

			/* next header, length, reserved, SPI: the fixed part */
			if (cursor + 8 > data_end)
				return ww_drop_parse(pkt, WW_DROP_TRUNCATED);
			nexthdr = ah->nexthdr;
			/* RFC 4302: in 4-octet units, minus 2 (as the kernel reads it) */
			cursor += (ah->hdrlen + 2) * 4;
			break;
		}
		case IPPROTO_FRAGMENT: {
			struct ww_ipv6_frag_hdr *frag = cursor;

			if ((void *)(frag + 1) > data_end)
				return ww_drop_parse(pkt, WW_DROP_TRUNCATED);
			nexthdr = frag->nexthdr;
			if (bpf_ntohs(frag->frag_off) & ~7)
				pkt->non_first_fragment = 1;
			cursor = frag + 1;
			break;
		}
		default:
			goto l4;
		}
	}
	/* The walk may end exactly after the last header it allows. */
	if (ww_ipv6_is_extension(nexthdr))
		return ww_drop_parse(pkt, WW_DROP_EXT_HEADERS);
l4:
	pkt->protocol = nexthdr;
	return ww_parse_l4(cursor, data_end, pkt);
}

static __always_inline int ww_parse(void *data, void *data_end, struct ww_packet *pkt)
{
	struct ethhdr *eth = data;
	void *cursor = eth + 1;
	__u16 proto;

	if (cursor > data_end)
		return ww_drop_parse(pkt, WW_DROP_TRUNCATED);
	proto = bpf_ntohs(eth->h_proto);

#pragma unroll
	for (int i = 0; i < 2; i++) {
		struct ww_vlan_hdr *vlan = cursor;

		if (proto != ETH_P_8021Q && proto != WW_ETH_P_8021AD)
			break;
		if ((void *)(vlan + 1) > data_end)
			return ww_drop_parse(pkt, WW_DROP_TRUNCATED);
		proto = bpf_ntohs(vlan->encapsulated_proto);
		cursor = vlan + 1;
	}

	switch (proto) {
	case ETH_P_IP:
		return ww_parse_ipv4(cursor, data_end, pkt);
	case ETH_P_IPV6:
		return ww_parse_ipv6(cursor, data_end, pkt);
	case ETH_P_8021Q:
	case WW_ETH_P_8021AD:
		/* a third tag: more than we promise to look through */
		return ww_drop_parse(pkt, WW_DROP_MALFORMED);
	default:
		return WW_PARSE_NON_IP;
	}
}

#endif /* WW_BPF_PARSE_H */

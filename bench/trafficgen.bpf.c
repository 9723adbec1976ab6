// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/* The bench's traffic generator, built the way xdp-trafficgen works: the
 * harness runs it with BPF_PROG_TEST_RUN, BPF_F_TEST_XDP_LIVE_FRAMES and a
 * large repeat count on one template frame, with the sender's veth as the
 * ingress interface, and XDP_TX puts every frame on that veth's wire, to
 * the receiver under test.
 *
 * Each frame gets its source address and destination port from a packet
 * counter (see trafficgen.h), so a run walks round-robin over N sources and
 * sends a known pattern of pass- and drop-intended packets: the harness can
 * compute exactly how many drops the receiver owes. In live mode the kernel
 * fills a frame's page once and then recycles it, so every field that
 * varies is written on every packet. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "trafficgen.h"

struct ww_gen_config config = {};
/* Packets generated since the harness last zeroed it. Live runs stay on the
 * CPU that called test_run, so a plain increment is exact. */
__u64 sent = 0;

static __always_inline __u16 ww_ipv4_checksum(const __u16 *header)
{
	__u32 sum = 0;

#pragma unroll
	for (int i = 0; i < 10; i++)
		sum += i == 5 ? 0 : header[i]; /* word 5 is the checksum itself */
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

static __always_inline int ww_rewrite_ipv4(void *l3, void *data_end, __u32 source, __u16 port)
{
	struct iphdr *iph = l3;
	struct udphdr *uh = l3 + sizeof(*iph);

	if ((void *)(uh + 1) > data_end)
		return XDP_ABORTED;
	iph->saddr = bpf_htonl(WW_GEN_IPV4_SOURCE_BASE + source);
	iph->check = ww_ipv4_checksum((const __u16 *)iph);
	uh->dest = bpf_htons(port);
	uh->check = 0; /* optional over IPv4, and nobody on the path checks it */
	return XDP_TX;
}

static __always_inline int ww_rewrite_ipv6(void *l3, void *data_end, __u32 source, __u16 port)
{
	struct ipv6hdr *ip6h = l3;
	struct udphdr *uh = l3 + sizeof(*ip6h);

	if ((void *)(uh + 1) > data_end)
		return XDP_ABORTED;
	/* bytes 4..7 of the address: inside the /64 that is the source's identity */
	ip6h->saddr.in6_u.u6_addr16[2] = bpf_htons(source >> 16);
	ip6h->saddr.in6_u.u6_addr16[3] = bpf_htons(source & 0xffff);
	/* The UDP checksum goes stale: the receivers under test never check it. */
	uh->dest = bpf_htons(port);
	return XDP_TX;
}

SEC("xdp")
int ww_trafficgen_xdp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u64 n = sent;
	__u32 n_sources = config.n_sources ? config.n_sources : 1;
	__u32 period = config.period ? config.period : 1;

	sent = n + 1;
	__u32 source = n % n_sources;
	__u16 port = (n % period) < config.drop_count ? config.drop_port : config.pass_port;
	void *l3 = data + (config.vlan ? ETH_HLEN + 4 : ETH_HLEN);

	if (config.ipv6)
		return ww_rewrite_ipv6(l3, data_end, source, port);
	return ww_rewrite_ipv4(l3, data_end, source, port);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

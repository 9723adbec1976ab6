/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/* The reverse-path check (RFC 3704, unicast RPF): a packet's source is believed only if the
 * router would route a reply to it back out of the interface the packet came in on (strict),
 * or at all (loose). A host on one link sending in the name of an address that lives behind
 * another link fails strict; one sending from an unroutable or local address fails both.
 *
 * It runs before any per-source state is read or written, so a spoofed packet neither spends
 * its victim's quota nor counts toward a detector that could quarantine the victim.
 *
 * One bpf_fib_lookup in the kernel's input path (iif = the ingress interface), the same table
 * the kernel's own rp_filter consults. That lookup needs forwarding enabled on the ingress
 * interface (it answers "forwarding disabled" otherwise): on a router it is. Any answer but a
 * route fails the check, so a check that cannot be made drops (fail closed).
 *
 * Unchecked: sources that never leave their link and so say nothing about paths, IPv4 0.0.0.0
 * (a DHCP client before it has an address) and IPv6 :: and fe80::/10 (neighbour discovery);
 * spoofing on the same link is for neighbour binding to catch. */
#ifndef WW_BPF_REVERSE_PATH_H
#define WW_BPF_REVERSE_PATH_H

#include <stdbool.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "parse.h"

#define WW_AF_INET 2
#define WW_AF_INET6 10

static __always_inline bool ww_source_is_link_only(const struct ww_packet *pkt)
{
	if (pkt->family == WW_FAMILY_IPV4)
		return (pkt->src[0] | pkt->src[1] | pkt->src[2] | pkt->src[3]) == 0;
	if (pkt->src[0] == 0xfe && (pkt->src[1] & 0xc0) == 0x80)
		return true; /* fe80::/10 */
	__u8 any = 0;
	for (int i = 0; i < 16; i++)
		any |= pkt->src[i];
	return any == 0;
}

static __always_inline bool ww_reverse_path_ok(struct xdp_md *ctx, const struct ww_packet *pkt,
					       __u32 ifindex, __u8 mode)
{
	struct bpf_fib_lookup fib = {};

	if (mode == WW_REVERSE_PATH_OFF || ww_source_is_link_only(pkt))
		return true;
	fib.ifindex = ifindex;
	if (pkt->family == WW_FAMILY_IPV4) {
		fib.family = WW_AF_INET;
		__builtin_memcpy(&fib.ipv4_src, pkt->dst, 4);
		__builtin_memcpy(&fib.ipv4_dst, pkt->src, 4);
	} else {
		fib.family = WW_AF_INET6;
		__builtin_memcpy(fib.ipv6_src, pkt->dst, 16);
		__builtin_memcpy(fib.ipv6_dst, pkt->src, 16);
	}
	/* The route is found before the neighbour: an unresolved next hop still names the
	 * interface the reply would leave by. */
	long rc = bpf_fib_lookup(ctx, &fib, sizeof(fib), 0);

	if (rc != BPF_FIB_LKUP_RET_SUCCESS && rc != BPF_FIB_LKUP_RET_NO_NEIGH)
		return false;
	return mode == WW_REVERSE_PATH_LOOSE || fib.ifindex == ifindex;
}

#endif /* WW_BPF_REVERSE_PATH_H */

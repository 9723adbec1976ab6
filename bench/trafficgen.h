/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/* What the bench's traffic generator (trafficgen.bpf.c) and the harness that
 * drives it (live_traffic.cpp) agree on: the generator's settings, which the
 * harness writes into the program's .bss before every run. */
#ifndef WW_BENCH_TRAFFICGEN_H
#define WW_BENCH_TRAFFICGEN_H

#include <linux/types.h>

/* Packet n of a run comes from source n % n_sources and is drop-intended
 * (sent to drop_port) when n % period < drop_count, else sent to pass_port.
 * Source i is 10.0.0.1 + i, or fd00:0:(i >> 16):(i & 0xffff)::1. */
struct ww_gen_config {
	__u32 n_sources;
	__u32 period;
	__u32 drop_count;
	__u16 pass_port; /* host byte order */
	__u16 drop_port;
	__u8 vlan; /* the template carries one 802.1Q tag */
	__u8 ipv6; /* the template is IPv6, else IPv4 */
	__u8 pad[6];
};

#define WW_GEN_IPV4_SOURCE_BASE 0x0a000001u /* 10.0.0.1 */

#endif /* WW_BENCH_TRAFFICGEN_H */

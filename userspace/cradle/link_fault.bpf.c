// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/* The Cradle's link faults: random loss and silent partitions on one end of a twin link.
 * It runs at tc egress of the sending end, so a packet it drops never reaches the receiving
 * router, whose XDP guard runs before anything at its own tc ingress could act. One instance
 * per link end; the twin changes the fault at run time through the mmapped .bss. */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

/* Written by userspace while the program runs. */
volatile __u32 loss_ppm = 0;   /* packets dropped per million, at random */
volatile __u32 partitioned = 0; /* 1: drop everything */

/* What the fault did, for the report's events. */
__u64 dropped = 0;
__u64 passed = 0;

SEC("tc")
int link_fault(struct __sk_buff *skb)
{
	(void)skb;
	if (partitioned || (loss_ppm && bpf_get_prandom_u32() % 1000000 < loss_ppm)) {
		__sync_fetch_and_add(&dropped, 1);
		return TC_ACT_SHOT;
	}
	__sync_fetch_and_add(&passed, 1);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

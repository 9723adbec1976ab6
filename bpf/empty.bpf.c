// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/* The floor: an XDP program that passes everything. The bench measures the
 * guard beside it on the same path. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int ww_empty_xdp(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

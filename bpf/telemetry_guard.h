/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/* The charter's telemetry guard: the rules a policy's charter.telemetry section implies
 * (userspace/policy/enforced_rules.cpp) are classified like any flow rule; what is special
 * is what their match means. A collector scraping an exporter directly is dropped on
 * ingress; telemetry to a collector is dropped on egress unless it leaves from the
 * telemetry gate's port, and the sending socket's uid is counted so the agent can name it. */
#ifndef WW_BPF_TELEMETRY_GUARD_H
#define WW_BPF_TELEMETRY_GUARD_H

#include <linux/bpf.h>
#include <linux/in.h>
#include <bpf/bpf_helpers.h>

#include "maps.h"
#include "parse.h"

/* The gate's own traffic: TCP from the port the agent wrote into ww_node. No other process can
 * bind that port while the gate listens on it. */
static __always_inline bool ww_from_telemetry_gate(const struct ww_packet *pkt)
{
	__u32 zero = 0;
	struct ww_node *node = bpf_map_lookup_elem(&ww_node, &zero);

	return node && node->telemetry_gate_port != 0 && pkt->protocol == IPPROTO_TCP &&
	       pkt->has_ports && pkt->src_port == node->telemetry_gate_port;
}

static __always_inline void ww_count_bypass(__u32 uid)
{
	__u64 one = 1;
	__u64 *packets = bpf_map_lookup_elem(&ww_bypass, &uid);

	if (packets)
		__sync_fetch_and_add(packets, 1);
	else
		bpf_map_update_elem(&ww_bypass, &uid, &one, BPF_NOEXIST);
}

#endif /* WW_BPF_TELEMETRY_GUARD_H */

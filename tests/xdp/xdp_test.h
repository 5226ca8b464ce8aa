/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the lag XDP test programs share: which frames they act on. Only
 * IPv4 UDP to XDP_TEST_PORT is theirs; everything else (LACPDUs, ARP, the
 * selftests' other traffic) passes, so that LACP keeps the LAG up under
 * any of them.
 */
#ifndef _XDP_TEST_H
#define _XDP_TEST_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define XDP_TEST_PORT	9000

/*
 * The ifindex the selftest gives the LAG (ip link add lag0 index ...),
 * the target of xdp_redirect.o.
 */
#define XDP_TEST_LAG_IFINDEX	4242

/* The frame's headers if it is ours (IPv4 UDP to XDP_TEST_PORT), else 0. */
static __always_inline int xdp_test_frame(struct xdp_md *ctx, struct ethhdr **ethp,
					  struct iphdr **iphp, struct udphdr **udpp)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct ethhdr *eth = data;
	struct udphdr *udp;
	struct iphdr *iph;

	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return 0;
	iph = (void *)(eth + 1);
	if ((void *)(iph + 1) > data_end || iph->ihl != 5 ||
	    iph->protocol != IPPROTO_UDP)
		return 0;
	udp = (void *)(iph + 1);
	if ((void *)(udp + 1) > data_end || udp->dest != bpf_htons(XDP_TEST_PORT))
		return 0;
	*ethp = eth;
	*iphp = iph;
	*udpp = udp;
	return 1;
}

#endif /* _XDP_TEST_H */

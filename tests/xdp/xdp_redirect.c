// SPDX-License-Identifier: GPL-2.0
/*
 * Redirect each test frame (IPv4 UDP to XDP_TEST_PORT) into the LAG, whose
 * ifindex the selftest fixes at XDP_TEST_LAG_IFINDEX: the LAG's
 * ndo_xdp_xmit then hashes it to a member. Pass the rest.
 */
#include "xdp_test.h"

SEC("xdp")
int xdp_redirect(struct xdp_md *ctx)
{
	struct ethhdr *eth;
	struct udphdr *udp;
	struct iphdr *iph;

	if (!xdp_test_frame(ctx, &eth, &iph, &udp))
		return XDP_PASS;
	return bpf_redirect(XDP_TEST_LAG_IFINDEX, 0);
}

char _license[] SEC("license") = "GPL";

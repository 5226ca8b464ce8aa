// SPDX-License-Identifier: GPL-2.0
/* Drop the test frames (IPv4 UDP to XDP_TEST_PORT); pass the rest. */
#include "xdp_test.h"

SEC("xdp")
int xdp_drop(struct xdp_md *ctx)
{
	struct ethhdr *eth;
	struct udphdr *udp;
	struct iphdr *iph;

	return xdp_test_frame(ctx, &eth, &iph, &udp) ? XDP_DROP : XDP_PASS;
}

char _license[] SEC("license") = "GPL";

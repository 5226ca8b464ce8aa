// SPDX-License-Identifier: GPL-2.0
/*
 * Answer each test frame (IPv4 UDP to XDP_TEST_PORT) with XDP_TX: the same
 * datagram back to its sender, MAC and IP addresses and UDP ports swapped
 * (which leaves both checksums valid); pass the rest.
 */
#include "xdp_test.h"

SEC("xdp")
int xdp_tx(struct xdp_md *ctx)
{
	unsigned char mac[ETH_ALEN];
	struct ethhdr *eth;
	struct udphdr *udp;
	struct iphdr *iph;
	__be32 addr;
	__be16 port;

	if (!xdp_test_frame(ctx, &eth, &iph, &udp))
		return XDP_PASS;
	__builtin_memcpy(mac, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, mac, ETH_ALEN);
	addr = iph->saddr;
	iph->saddr = iph->daddr;
	iph->daddr = addr;
	port = udp->source;
	udp->source = udp->dest;
	udp->dest = port;
	return XDP_TX;
}

char _license[] SEC("license") = "GPL";

// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite lag_hash_buf: the hash of a frame in a linear buffer (XDP)
 * is the hash of an skb of the same bytes, under every policy, whichever
 * path (direct or flow dissector) the frame takes, and never reads past the
 * length it is given.
 */

#include <kunit/test.h>
#include <linux/etherdevice.h>
#include <linux/icmp.h>
#include <linux/if_arp.h>
#include <linux/if_ether.h>
#include <linux/if_vlan.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>

#include "lag_hash.h"

#define BUF_LEN	256

struct bframe {
	const char *name;
	bool arp;		/* an ARP request, no IP */
	bool vlan;		/* an in-band 802.1Q tag */
	bool v6;
	bool hopopts;		/* IPv6: a hop-by-hop header first */
	bool gre;		/* IPv4 in GRE in IPv4 */
	bool frag;		/* IPv4: a first fragment */
	u8 proto;		/* IPPROTO_UDP, _TCP or _ICMP */
	unsigned int trim;	/* if not 0: the frame cut to this length */
};

static const struct bframe bframes[] = {
	{ .name = "IPv4 UDP", .proto = IPPROTO_UDP },
	{ .name = "IPv4 TCP", .proto = IPPROTO_TCP },
	{ .name = "IPv4 ICMP echo", .proto = IPPROTO_ICMP },
	{ .name = "IPv4 first fragment", .proto = IPPROTO_UDP, .frag = true },
	{ .name = "IPv6 UDP", .v6 = true, .proto = IPPROTO_UDP },
	{ .name = "IPv6 TCP", .v6 = true, .proto = IPPROTO_TCP },
	{ .name = "IPv6 hop-by-hop UDP", .v6 = true, .hopopts = true,
	  .proto = IPPROTO_UDP },
	{ .name = "802.1Q IPv4 UDP", .vlan = true, .proto = IPPROTO_UDP },
	{ .name = "GRE IPv4 UDP", .gre = true, .proto = IPPROTO_UDP },
	{ .name = "ARP", .arp = true },
	{ .name = "IPv4 UDP, no UDP header", .proto = IPPROTO_UDP,
	  .trim = ETH_HLEN + sizeof(struct iphdr) + 2 },
	{ .name = "IPv4, half an IP header", .proto = IPPROTO_UDP,
	  .trim = ETH_HLEN + 10 },
	{ .name = "half an Ethernet header", .proto = IPPROTO_UDP, .trim = 7 },
};

static const enum lag_xmit_hash_policy bpolicies[] = {
	LAG_XMIT_POLICY_LAYER2, LAG_XMIT_POLICY_LAYER23, LAG_XMIT_POLICY_LAYER34,
	LAG_XMIT_POLICY_ENCAP23, LAG_XMIT_POLICY_ENCAP34,
};

static unsigned int put_ipv4(u8 *p, u8 proto, bool frag, u32 s, u32 d,
			     unsigned int payload)
{
	struct iphdr *iph = (struct iphdr *)p;

	memset(iph, 0, sizeof(*iph));
	iph->version = 4;
	iph->ihl = 5;
	iph->ttl = 64;
	iph->protocol = proto;
	iph->saddr = htonl(s);
	iph->daddr = htonl(d);
	iph->tot_len = htons(sizeof(*iph) + payload);
	if (frag)
		iph->frag_off = htons(IP_MF);
	iph->check = ip_fast_csum(iph, iph->ihl);
	return sizeof(*iph);
}

static unsigned int put_l4(u8 *p, u8 proto, u16 sport, u16 dport)
{
	switch (proto) {
	case IPPROTO_UDP: {
		struct udphdr *uh = (struct udphdr *)p;

		memset(uh, 0, sizeof(*uh));
		uh->source = htons(sport);
		uh->dest = htons(dport);
		uh->len = htons(sizeof(*uh) + 16);
		return sizeof(*uh);
	}
	case IPPROTO_TCP: {
		struct tcphdr *th = (struct tcphdr *)p;

		memset(th, 0, sizeof(*th));
		th->source = htons(sport);
		th->dest = htons(dport);
		th->doff = 5;
		th->ack = 1;
		return sizeof(*th);
	}
	default: {
		struct icmphdr *ih = (struct icmphdr *)p;

		memset(ih, 0, sizeof(*ih));
		ih->type = ICMP_ECHO;
		ih->un.echo.id = htons(sport);
		return sizeof(*ih);
	}
	}
}

/* The frame @f into @buf (BUF_LEN bytes, zeroed); returns its length. */
static unsigned int bframe_build(u8 *buf, const struct bframe *f, u16 sport)
{
	struct ethhdr *eth = (struct ethhdr *)buf;
	unsigned int off = ETH_HLEN, l4;
	__be16 type;

	eth_broadcast_addr(eth->h_dest);
	eth->h_dest[0] = 0x02;
	eth->h_dest[5] = 0x0b;
	memcpy(eth->h_source, eth->h_dest, ETH_ALEN);
	eth->h_source[5] = 0x0a;
	type = htons(f->arp ? ETH_P_ARP : f->v6 ? ETH_P_IPV6 : ETH_P_IP);
	eth->h_proto = type;
	if (f->vlan) {
		struct vlan_hdr *vh = (struct vlan_hdr *)(buf + off);

		eth->h_proto = htons(ETH_P_8021Q);
		vh->h_vlan_TCI = htons(10);
		vh->h_vlan_encapsulated_proto = type;
		off += VLAN_HLEN;
	}

	if (f->arp) {
		struct arphdr *ah = (struct arphdr *)(buf + off);

		ah->ar_hrd = htons(ARPHRD_ETHER);
		ah->ar_pro = htons(ETH_P_IP);
		ah->ar_hln = ETH_ALEN;
		ah->ar_pln = 4;
		ah->ar_op = htons(ARPOP_REQUEST);
		off += sizeof(*ah) + 20;
	} else if (f->v6) {
		struct ipv6hdr *ip6 = (struct ipv6hdr *)(buf + off);
		u8 *next = &ip6->nexthdr;

		ip6->version = 6;
		ip6->hop_limit = 64;
		ip6->saddr.s6_addr32[0] = htonl(0x20010db8);
		ip6->saddr.s6_addr32[3] = htonl(1);
		ip6->daddr.s6_addr32[0] = htonl(0x20010db8);
		ip6->daddr.s6_addr32[3] = htonl(2);
		off += sizeof(*ip6);
		if (f->hopopts) {
			/* 8 bytes: next header, length 0, a PadN option */
			*next = NEXTHDR_HOP;
			next = buf + off;
			buf[off + 2] = IPV6_TLV_PADN;
			buf[off + 3] = 4;
			off += 8;
		}
		*next = f->proto;
		l4 = put_l4(buf + off, f->proto, sport, 2000);
		ip6->payload_len = htons(off + l4 + 16 - ETH_HLEN - sizeof(*ip6));
		off += l4 + 16;
	} else if (f->gre) {
		unsigned int inner = sizeof(struct iphdr) + sizeof(struct udphdr) + 16;
		__be16 *gre;

		off += put_ipv4(buf + off, IPPROTO_GRE, false, 0xc0000201,
				0xc0000202, 4 + inner);
		gre = (__be16 *)(buf + off);
		gre[1] = htons(ETH_P_IP);
		off += 4;
		off += put_ipv4(buf + off, f->proto, false, 0x0a000001,
				0x0a000002, inner - sizeof(struct iphdr));
		off += put_l4(buf + off, f->proto, sport, 2000) + 16;
	} else {
		unsigned int hoff = off;

		off += sizeof(struct iphdr);
		l4 = put_l4(buf + off, f->proto, sport, 2000);
		put_ipv4(buf + hoff, f->proto, f->frag, 0x0a000001, 0x0a000002,
			 l4 + 16);
		off += l4 + 16;
	}
	return f->trim ? f->trim : off;
}

/* An skb of @len bytes of @buf, as ndo_start_xmit sees one. */
static struct sk_buff *bframe_skb(struct kunit *test, const u8 *buf,
				  unsigned int len)
{
	struct sk_buff *skb = alloc_skb(BUF_LEN + NET_SKB_PAD, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, NET_SKB_PAD);
	skb_reset_mac_header(skb);
	skb_put_data(skb, buf, len);
	if (len >= ETH_HLEN)
		skb->protocol = ((const struct ethhdr *)buf)->h_proto;
	skb_set_network_header(skb, min_t(unsigned int, len, ETH_HLEN));
	skb->dev = init_net.loopback_dev;
	return skb;
}

/* Every frame, every policy: the buffer's hash is the skb's. */
static void lag_hash_buf_equals_skb_test(struct kunit *test)
{
	unsigned int i, j, len;
	struct sk_buff *skb;
	u32 hb, hs;
	u8 *buf;

	buf = kunit_kzalloc(test, BUF_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < ARRAY_SIZE(bframes); i++) {
		memset(buf, 0, BUF_LEN);
		len = bframe_build(buf, &bframes[i], 1000);
		skb = bframe_skb(test, buf, len);
		for (j = 0; j < ARRAY_SIZE(bpolicies); j++) {
			hb = lag_hash_buf(&init_net, buf, len, bpolicies[j]);
			hs = lag_hash_skb(skb, bpolicies[j]);
			KUNIT_EXPECT_EQ_MSG(test, hb, hs, "%s, policy %d",
					    bframes[i].name, bpolicies[j]);
		}
		kfree_skb(skb);
	}
}

/* What lies past the length given is not read. */
static void lag_hash_buf_length_test(struct kunit *test)
{
	unsigned int i, j, len;
	u32 h;
	u8 *buf;

	buf = kunit_kzalloc(test, BUF_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < ARRAY_SIZE(bframes); i++) {
		for (j = 0; j < ARRAY_SIZE(bpolicies); j++) {
			memset(buf, 0, BUF_LEN);
			len = bframe_build(buf, &bframes[i], 1000);
			h = lag_hash_buf(&init_net, buf, len, bpolicies[j]);
			memset(buf + len, 0xa5, BUF_LEN - len);
			KUNIT_EXPECT_EQ_MSG(test, lag_hash_buf(&init_net, buf, len,
							       bpolicies[j]),
					    h, "%s, policy %d", bframes[i].name,
					    bpolicies[j]);
		}
	}
	/* Shorter than an Ethernet header: 0, as for an skb. */
	KUNIT_EXPECT_EQ(test, lag_hash_buf(&init_net, buf, ETH_HLEN - 1,
					   LAG_XMIT_POLICY_LAYER34), 0U);
}

/* The L4 policies tell flows apart by their ports, in a buffer too. */
static void lag_hash_buf_ports_test(struct kunit *test)
{
	const struct bframe *f = &bframes[0];	/* IPv4 UDP */
	u32 h23[2], h34[2];
	unsigned int len, i;
	u8 *buf;

	buf = kunit_kzalloc(test, BUF_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < 2; i++) {
		memset(buf, 0, BUF_LEN);
		len = bframe_build(buf, f, 1000 + i);
		h23[i] = lag_hash_buf(&init_net, buf, len, LAG_XMIT_POLICY_LAYER23);
		h34[i] = lag_hash_buf(&init_net, buf, len, LAG_XMIT_POLICY_LAYER34);
	}
	KUNIT_EXPECT_EQ(test, h23[0], h23[1]);
	KUNIT_EXPECT_NE(test, h34[0], h34[1]);
}

static struct kunit_case lag_hash_buf_cases[] = {
	KUNIT_CASE(lag_hash_buf_equals_skb_test),
	KUNIT_CASE(lag_hash_buf_length_test),
	KUNIT_CASE(lag_hash_buf_ports_test),
	{}
};

static struct kunit_suite lag_hash_buf_suite = {
	.name = "lag_hash_buf",
	.test_cases = lag_hash_buf_cases,
};

kunit_test_suites(&lag_hash_buf_suite);

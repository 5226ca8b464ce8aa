// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite lag_hash: transmit hash policies on hand-built frames.
 *
 * Each frame is described by a struct tflow and built into a fresh skb laid
 * out as ndo_start_xmit sees it: skb->data at the Ethernet header, mac and
 * network headers set, skb->protocol the outer ethertype, skb->dev set.
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
#include <linux/prandom.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>

#include "lag_bucket.h"
#include "lag_hash.h"

struct taddr {
	bool v6;
	__be32 s4, d4;
	struct in6_addr s6, d6;
};

struct tflow {
	u8 dmac[ETH_ALEN], smac[ETH_ALEN];
	bool vlan;		/* in-band 802.1Q tag */
	bool hwvlan;		/* tag in skb metadata (hw accel) */
	u16 vid;
	bool arp;		/* an ARP frame instead of IP */
	struct taddr outer;
	u8 tunnel;		/* 0, IPPROTO_GRE or IPPROTO_IPIP */
	struct taddr inner;
	u8 proto;		/* IPPROTO_UDP, _TCP, _ICMP */
	u16 sport, dport;	/* ports, or sport = ICMP echo id */
	bool frag;		/* innermost IP header is a fragment */
	u16 frag_offset;	/* in 8-byte units; 0 = first fragment */
	unsigned int trim;	/* if not 0: cut the frame to this length */
	unsigned int linear;	/* if not 0: only this much in the head */
};

static const u8 mac_a[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0a };
static const u8 mac_b[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0b };
static const u8 mac_c[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x01, 0x0c };

static void taddr_v4(struct taddr *a, u32 s, u32 d)
{
	memset(a, 0, sizeof(*a));
	a->s4 = htonl(s);
	a->d4 = htonl(d);
}

static void taddr_v6(struct taddr *a, u32 s, u32 d)
{
	memset(a, 0, sizeof(*a));
	a->v6 = true;
	a->s6.s6_addr32[0] = htonl(0x20010db8);
	a->s6.s6_addr32[3] = htonl(s);
	a->d6.s6_addr32[0] = htonl(0x20010db8);
	a->d6.s6_addr32[3] = htonl(d);
}

/* A plain UDP/IPv4 flow 10.0.0.1:1000 -> 10.0.0.2:2000, a -> b. */
static void tflow_default(struct tflow *f)
{
	memset(f, 0, sizeof(*f));
	ether_addr_copy(f->dmac, mac_b);
	ether_addr_copy(f->smac, mac_a);
	taddr_v4(&f->outer, 0x0a000001, 0x0a000002);
	f->proto = IPPROTO_UDP;
	f->sport = 1000;
	f->dport = 2000;
}

static __be16 taddr_ethertype(const struct taddr *a)
{
	return htons(a->v6 ? ETH_P_IPV6 : ETH_P_IP);
}

/* Put an IP header (and IPv6 fragment header); returns its offset. */
static int put_ip(struct sk_buff *skb, const struct taddr *a, u8 next,
		  bool frag, u16 frag_offset)
{
	int off = skb->len;

	if (!a->v6) {
		struct iphdr *iph = skb_put_zero(skb, sizeof(*iph));

		iph->version = 4;
		iph->ihl = 5;
		iph->ttl = 64;
		iph->protocol = next;
		iph->saddr = a->s4;
		iph->daddr = a->d4;
		if (frag)
			iph->frag_off = htons(IP_MF | frag_offset);
	} else {
		struct ipv6hdr *ip6 = skb_put_zero(skb, sizeof(*ip6));

		ip6->version = 6;
		ip6->hop_limit = 64;
		ip6->saddr = a->s6;
		ip6->daddr = a->d6;
		ip6->nexthdr = next;
		if (frag) {
			struct frag_hdr *fh = skb_put_zero(skb, sizeof(*fh));

			ip6->nexthdr = NEXTHDR_FRAGMENT;
			fh->nexthdr = next;
			fh->frag_off = htons(frag_offset << 3 | IP6_MF);
			fh->identification = htonl(0x1234);
		}
	}
	return off;
}

/* Set the length fields of an IP header at @off now the frame is whole. */
static void fix_ip(struct sk_buff *skb, int off)
{
	struct iphdr *iph = (struct iphdr *)(skb->data + off);

	if (iph->version == 4) {
		iph->tot_len = htons(skb->len - off);
		iph->check = 0;
		iph->check = ip_fast_csum(iph, iph->ihl);
	} else {
		struct ipv6hdr *ip6 = (struct ipv6hdr *)iph;

		ip6->payload_len = htons(skb->len - off - sizeof(*ip6));
	}
}

static void put_l4(struct sk_buff *skb, const struct tflow *f)
{
	if (f->frag && f->frag_offset)
		return;		/* a later fragment: payload only */

	switch (f->proto) {
	case IPPROTO_UDP: {
		struct udphdr *uh = skb_put_zero(skb, sizeof(*uh));

		uh->source = htons(f->sport);
		uh->dest = htons(f->dport);
		uh->len = htons(sizeof(*uh) + 16);
		break;
	}
	case IPPROTO_TCP: {
		struct tcphdr *th = skb_put_zero(skb, sizeof(*th));

		th->source = htons(f->sport);
		th->dest = htons(f->dport);
		th->doff = 5;
		th->ack = 1;
		break;
	}
	case IPPROTO_ICMP: {
		struct icmphdr *ih = skb_put_zero(skb, sizeof(*ih));

		ih->type = ICMP_ECHO;
		ih->un.echo.id = htons(f->sport);
		ih->un.echo.sequence = htons(f->dport);
		break;
	}
	}
}

/* The frame described by @f, laid out as on transmit. */
static struct sk_buff *tflow_build(struct kunit *test, const struct tflow *f)
{
	int ip_off[2], nip = 0, i;
	struct sk_buff *skb;
	struct ethhdr *eth;
	__be16 l3proto;
	u8 next;

	skb = alloc_skb(512, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, NET_SKB_PAD);
	skb_reset_mac_header(skb);

	l3proto = f->arp ? htons(ETH_P_ARP) : taddr_ethertype(&f->outer);
	eth = skb_put_zero(skb, ETH_HLEN);
	ether_addr_copy(eth->h_dest, f->dmac);
	ether_addr_copy(eth->h_source, f->smac);
	eth->h_proto = l3proto;
	skb->protocol = l3proto;
	if (f->vlan) {
		struct vlan_hdr *vh = skb_put_zero(skb, VLAN_HLEN);

		eth->h_proto = htons(ETH_P_8021Q);
		skb->protocol = htons(ETH_P_8021Q);
		vh->h_vlan_TCI = htons(f->vid);
		vh->h_vlan_encapsulated_proto = l3proto;
	}
	if (f->hwvlan)
		__vlan_hwaccel_put_tag(skb, htons(ETH_P_8021Q), f->vid);
	skb_set_network_header(skb, skb->len);

	if (f->arp) {
		struct arphdr *ah = skb_put_zero(skb, sizeof(*ah) + 20);

		ah->ar_hrd = htons(ARPHRD_ETHER);
		ah->ar_pro = htons(ETH_P_IP);
		ah->ar_hln = ETH_ALEN;
		ah->ar_pln = 4;
		ah->ar_op = htons(ARPOP_REQUEST);
		goto out;
	}

	next = f->proto;
	if (f->tunnel == IPPROTO_GRE)
		next = IPPROTO_GRE;
	else if (f->tunnel == IPPROTO_IPIP)
		next = f->inner.v6 ? IPPROTO_IPV6 : IPPROTO_IPIP;

	if (f->tunnel) {
		ip_off[nip++] = put_ip(skb, &f->outer, next, false, 0);
		if (f->tunnel == IPPROTO_GRE) {
			__be16 *gre = skb_put_zero(skb, 4);

			gre[1] = taddr_ethertype(&f->inner);	/* no flags */
		}
		ip_off[nip++] = put_ip(skb, &f->inner, f->proto, f->frag,
				       f->frag_offset);
	} else {
		ip_off[nip++] = put_ip(skb, &f->outer, f->proto, f->frag,
				       f->frag_offset);
	}
	put_l4(skb, f);
	skb_put_zero(skb, 16);		/* payload */
	for (i = 0; i < nip; i++)
		fix_ip(skb, ip_off[i]);

out:
	skb->dev = init_net.loopback_dev;
	if (f->trim)
		skb_trim(skb, f->trim);
	return skb;
}

/* Move all but @linear bytes of @skb into a page fragment. */
static struct sk_buff *tflow_nonlinear(struct kunit *test, struct sk_buff *lin,
				       unsigned int linear)
{
	unsigned int rest = lin->len - linear;
	struct sk_buff *skb;
	struct page *page;

	skb = alloc_skb(256, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	page = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	skb_reserve(skb, NET_SKB_PAD);
	skb_reset_mac_header(skb);
	skb_put_data(skb, lin->data, linear);
	memcpy(page_address(page), lin->data + linear, rest);
	skb_add_rx_frag(skb, 0, page, 0, rest, PAGE_SIZE);
	skb->protocol = lin->protocol;
	skb_set_network_header(skb, skb_network_offset(lin));
	skb->dev = lin->dev;
	kfree_skb(lin);
	return skb;
}

static u32 hash_of(struct kunit *test, const struct tflow *f,
		   enum lag_xmit_hash_policy policy)
{
	struct sk_buff *skb = tflow_build(test, f);
	u32 h;

	if (f->linear)
		skb = tflow_nonlinear(test, skb, f->linear);
	h = lag_hash_skb(skb, policy);
	kfree_skb(skb);
	return h;
}

static const enum lag_xmit_hash_policy all_policies[] = {
	LAG_XMIT_POLICY_LAYER2, LAG_XMIT_POLICY_LAYER23, LAG_XMIT_POLICY_LAYER34,
	LAG_XMIT_POLICY_ENCAP23, LAG_XMIT_POLICY_ENCAP34,
};

/* The hash an skb may carry on transmit, and who set it. */
enum thash {
	TH_NONE,	/* none: a fresh skb */
	TH_L3,		/* a NIC's hash over the addresses only */
	TH_SW_L3,	/* the flow dissector's, no ports found */
	TH_L4,		/* a NIC's 4-tuple hash, or a socket's sk_txhash */
	TH_SW_L4,	/* the flow dissector's, over a 4-tuple */
	TH_MAX
};

static void set_hash(struct sk_buff *skb, enum thash t, u32 h)
{
	switch (t) {
	case TH_L3:
		skb_set_hash(skb, h, PKT_HASH_TYPE_L3);
		break;
	case TH_SW_L3:
		__skb_set_sw_hash(skb, h, false);
		break;
	case TH_L4:
		skb_set_hash(skb, h, PKT_HASH_TYPE_L4);
		break;
	case TH_SW_L4:
		__skb_set_sw_hash(skb, h, true);
		break;
	default:
		break;
	}
}

/*
 * What encap3+4 claims for a frame that carries the L4 hash @h: the hash
 * of any other frame carrying it, here an ARP request. The frame itself is
 * not read.
 */
static u32 l4_reuse_of(struct kunit *test, u32 h)
{
	struct sk_buff *skb;
	struct tflow f;
	u32 r;

	tflow_default(&f);
	f.arp = true;
	skb = tflow_build(test, &f);
	set_hash(skb, TH_L4, h);
	r = lag_hash_skb(skb, LAG_XMIT_POLICY_ENCAP34);
	kfree_skb(skb);
	return r;
}

/* Same flow => same hash: repeated calls, rebuilt frames, every policy. */
static void lag_hash_stable_test(struct kunit *test)
{
	struct sk_buff *skb;
	struct tflow f;
	unsigned int i, j;
	u32 h;

	tflow_default(&f);
	for (i = 0; i < ARRAY_SIZE(all_policies); i++) {
		skb = tflow_build(test, &f);
		h = lag_hash_skb(skb, all_policies[i]);
		for (j = 0; j < 8; j++)
			KUNIT_EXPECT_EQ(test, lag_hash_skb(skb, all_policies[i]),
					h);
		kfree_skb(skb);
		KUNIT_EXPECT_EQ(test, hash_of(test, &f, all_policies[i]), h);
	}
}

/* layer2: MACs and ethertype only. */
static void lag_hash_layer2_test(struct kunit *test)
{
	const enum lag_xmit_hash_policy p = LAG_XMIT_POLICY_LAYER2;
	struct tflow f, g;
	u32 h;

	tflow_default(&f);
	h = hash_of(test, &f, p);

	g = f;
	taddr_v4(&g.outer, 0x0a000009, 0x0a000002);
	KUNIT_EXPECT_EQ(test, hash_of(test, &g, p), h);
	g = f;
	g.sport = 4242;
	g.dport = 53;
	KUNIT_EXPECT_EQ(test, hash_of(test, &g, p), h);
	g = f;
	g.proto = IPPROTO_TCP;
	KUNIT_EXPECT_EQ(test, hash_of(test, &g, p), h);

	g = f;
	ether_addr_copy(g.dmac, mac_c);
	KUNIT_EXPECT_NE(test, hash_of(test, &g, p), h);
	g = f;
	ether_addr_copy(g.smac, mac_c);
	KUNIT_EXPECT_NE(test, hash_of(test, &g, p), h);
	g = f;
	taddr_v6(&g.outer, 1, 2);	/* ethertype 86dd */
	KUNIT_EXPECT_NE(test, hash_of(test, &g, p), h);
}

/* layer2+3: MACs and IP addresses, not ports; IPv4 and IPv6. */
static void lag_hash_layer23_test(struct kunit *test)
{
	const enum lag_xmit_hash_policy p = LAG_XMIT_POLICY_LAYER23;
	struct tflow f, g;
	unsigned int v;
	u32 h;

	for (v = 0; v < 2; v++) {
		tflow_default(&f);
		if (v)
			taddr_v6(&f.outer, 1, 2);
		h = hash_of(test, &f, p);

		g = f;
		g.sport = 4242;
		g.dport = 53;
		KUNIT_EXPECT_EQ(test, hash_of(test, &g, p), h);
		g.proto = IPPROTO_TCP;
		KUNIT_EXPECT_EQ(test, hash_of(test, &g, p), h);

		g = f;
		if (v)
			taddr_v6(&g.outer, 1, 3);
		else
			taddr_v4(&g.outer, 0x0a000001, 0x0a000003);
		KUNIT_EXPECT_NE(test, hash_of(test, &g, p), h);
		g = f;
		if (v)
			taddr_v6(&g.outer, 3, 2);
		else
			taddr_v4(&g.outer, 0x0a000003, 0x0a000002);
		KUNIT_EXPECT_NE(test, hash_of(test, &g, p), h);

		g = f;
		ether_addr_copy(g.dmac, mac_c);
		KUNIT_EXPECT_NE(test, hash_of(test, &g, p), h);
	}
}

/* layer3+4: addresses, protocol and ports, not MACs; IPv4 and IPv6. */
static void lag_hash_layer34_test(struct kunit *test)
{
	const enum lag_xmit_hash_policy p = LAG_XMIT_POLICY_LAYER34;
	struct tflow f, g;
	unsigned int v;
	u32 h;

	for (v = 0; v < 2; v++) {
		tflow_default(&f);
		if (v)
			taddr_v6(&f.outer, 1, 2);
		h = hash_of(test, &f, p);

		g = f;
		g.sport = 1001;
		KUNIT_EXPECT_NE(test, hash_of(test, &g, p), h);
		g = f;
		g.dport = 2001;
		KUNIT_EXPECT_NE(test, hash_of(test, &g, p), h);
		g = f;
		g.proto = IPPROTO_TCP;
		KUNIT_EXPECT_NE(test, hash_of(test, &g, p), h);
		g = f;
		if (v)
			taddr_v6(&g.outer, 1, 3);
		else
			taddr_v4(&g.outer, 0x0a000001, 0x0a000003);
		KUNIT_EXPECT_NE(test, hash_of(test, &g, p), h);

		g = f;
		ether_addr_copy(g.dmac, mac_c);
		ether_addr_copy(g.smac, mac_c);
		KUNIT_EXPECT_EQ(test, hash_of(test, &g, p), h);

		/* TCP flows too, and the same TCP flow is stable. */
		g = f;
		g.proto = IPPROTO_TCP;
		h = hash_of(test, &g, p);
		KUNIT_EXPECT_EQ(test, hash_of(test, &g, p), h);
		g.sport = 1002;
		KUNIT_EXPECT_NE(test, hash_of(test, &g, p), h);
	}

	/* ICMP echo: the identifier stands in for the ports. */
	tflow_default(&f);
	f.proto = IPPROTO_ICMP;
	f.sport = 7;
	h = hash_of(test, &f, p);
	g = f;
	g.dport = 99;			/* sequence number */
	KUNIT_EXPECT_EQ(test, hash_of(test, &g, p), h);
	g.sport = 8;
	KUNIT_EXPECT_NE(test, hash_of(test, &g, p), h);
}

/* 802.1Q tags are looked through; the tag does not change the hash. */
static void lag_hash_vlan_test(struct kunit *test)
{
	static const enum lag_xmit_hash_policy ip_policies[] = {
		LAG_XMIT_POLICY_LAYER23, LAG_XMIT_POLICY_LAYER34,
		LAG_XMIT_POLICY_ENCAP23, LAG_XMIT_POLICY_ENCAP34,
	};
	struct tflow f, g;
	unsigned int i, v;
	u32 h;

	for (v = 0; v < 2; v++) {
		for (i = 0; i < ARRAY_SIZE(ip_policies); i++) {
			enum lag_xmit_hash_policy p = ip_policies[i];

			tflow_default(&f);
			if (v)
				taddr_v6(&f.outer, 1, 2);
			h = hash_of(test, &f, p);

			g = f;
			g.vlan = true;
			g.vid = 100;
			KUNIT_EXPECT_EQ_MSG(test, hash_of(test, &g, p), h,
					    "policy %d", p);
			g.vid = 200;
			KUNIT_EXPECT_EQ(test, hash_of(test, &g, p), h);
			g.sport = 1234;		/* by its inner headers */
			if (p == LAG_XMIT_POLICY_LAYER34 || p == LAG_XMIT_POLICY_ENCAP34)
				KUNIT_EXPECT_NE(test, hash_of(test, &g, p), h);
			if (v)
				taddr_v6(&g.outer, 5, 2);
			else
				taddr_v4(&g.outer, 0x0a000005, 0x0a000002);
			KUNIT_EXPECT_NE(test, hash_of(test, &g, p), h);

			g = f;
			g.hwvlan = true;
			g.vid = 300;
			KUNIT_EXPECT_EQ(test, hash_of(test, &g, p), h);
		}
	}
}

/*
 * Two inner flows in one GRE (and one IP-in-IP) tunnel: non-encap
 * policies see one flow, encap policies see the inner ones, exactly as if
 * they were sent bare.
 */
static void lag_hash_encap_test(struct kunit *test)
{
	static const u8 tunnels[] = { IPPROTO_GRE, IPPROTO_IPIP };
	struct tflow f, g, bare;
	unsigned int t, v;

	for (t = 0; t < ARRAY_SIZE(tunnels); t++) {
		for (v = 0; v < 2; v++) {
			tflow_default(&f);
			taddr_v4(&f.outer, 0xc0a80001, 0xc0a80002);
			f.tunnel = tunnels[t];
			if (v)
				taddr_v6(&f.inner, 0x11, 0x12);
			else
				taddr_v4(&f.inner, 0xac100001, 0xac100002);
			g = f;
			if (v)
				taddr_v6(&g.inner, 0x21, 0x12);
			else
				taddr_v4(&g.inner, 0xac100003, 0xac100002);
			g.sport = 3000;

			KUNIT_EXPECT_EQ(test, hash_of(test, &f, LAG_XMIT_POLICY_LAYER23),
					hash_of(test, &g, LAG_XMIT_POLICY_LAYER23));
			KUNIT_EXPECT_EQ(test, hash_of(test, &f, LAG_XMIT_POLICY_LAYER34),
					hash_of(test, &g, LAG_XMIT_POLICY_LAYER34));
			KUNIT_EXPECT_NE(test, hash_of(test, &f, LAG_XMIT_POLICY_ENCAP23),
					hash_of(test, &g, LAG_XMIT_POLICY_ENCAP23));
			KUNIT_EXPECT_NE(test, hash_of(test, &f, LAG_XMIT_POLICY_ENCAP34),
					hash_of(test, &g, LAG_XMIT_POLICY_ENCAP34));

			/* Inner ports only: encap3+4 tells them apart. */
			g = f;
			g.sport = 3000;
			KUNIT_EXPECT_EQ(test, hash_of(test, &f, LAG_XMIT_POLICY_ENCAP23),
					hash_of(test, &g, LAG_XMIT_POLICY_ENCAP23));
			KUNIT_EXPECT_NE(test, hash_of(test, &f, LAG_XMIT_POLICY_ENCAP34),
					hash_of(test, &g, LAG_XMIT_POLICY_ENCAP34));

			/* Encap hashes the inner flow as if it were bare. */
			bare = f;
			bare.tunnel = 0;
			bare.outer = f.inner;
			KUNIT_EXPECT_EQ(test, hash_of(test, &f, LAG_XMIT_POLICY_ENCAP34),
					hash_of(test, &bare, LAG_XMIT_POLICY_LAYER34));
			KUNIT_EXPECT_EQ(test, hash_of(test, &f, LAG_XMIT_POLICY_ENCAP23),
					hash_of(test, &bare, LAG_XMIT_POLICY_LAYER23));
			/* and non-encap hashes the tunnel, not the inner flow */
			KUNIT_EXPECT_NE(test, hash_of(test, &f, LAG_XMIT_POLICY_LAYER34),
					hash_of(test, &bare, LAG_XMIT_POLICY_LAYER34));
		}
	}
}

/* Fragments carry no ports: all fragments of a datagram hash alike. */
static void lag_hash_fragment_test(struct kunit *test)
{
	const enum lag_xmit_hash_policy p = LAG_XMIT_POLICY_LAYER34;
	struct tflow f, g;
	unsigned int v;
	u32 h;

	for (v = 0; v < 2; v++) {
		tflow_default(&f);
		if (v)
			taddr_v6(&f.outer, 1, 2);
		f.frag = true;
		h = hash_of(test, &f, p);

		g = f;
		g.sport = 5555;
		g.dport = 6666;
		KUNIT_EXPECT_EQ(test, hash_of(test, &g, p), h);
		g.frag_offset = 185;		/* a later fragment */
		KUNIT_EXPECT_EQ(test, hash_of(test, &g, p), h);

		/* not fragmented: the ports count again */
		g = f;
		g.frag = false;
		KUNIT_EXPECT_NE(test, hash_of(test, &g, p), h);
		g.sport = 5555;
		KUNIT_EXPECT_NE(test, hash_of(test, &g, p),
				hash_of(test, &f, p));

		/* other addresses, other hash even for fragments */
		g = f;
		if (v)
			taddr_v6(&g.outer, 1, 7);
		else
			taddr_v4(&g.outer, 0x0a000001, 0x0a000007);
		KUNIT_EXPECT_NE(test, hash_of(test, &g, p), h);
	}
}

/* Non-IP frames and broken IP headers fall back to layer2; no crash. */
static void lag_hash_fallback_test(struct kunit *test)
{
	struct tflow f, g;
	unsigned int i;
	u32 h;

	tflow_default(&f);
	f.arp = true;
	h = hash_of(test, &f, LAG_XMIT_POLICY_LAYER2);
	for (i = 0; i < ARRAY_SIZE(all_policies); i++)
		KUNIT_EXPECT_EQ(test, hash_of(test, &f, all_policies[i]), h);
	KUNIT_EXPECT_EQ(test, hash_of(test, &f, __LAG_XMIT_POLICY_MAX), h);

	/* IP header cut short: layer2 again */
	tflow_default(&f);
	f.trim = ETH_HLEN + 10;
	h = hash_of(test, &f, LAG_XMIT_POLICY_LAYER2);
	for (i = 0; i < ARRAY_SIZE(all_policies); i++)
		KUNIT_EXPECT_EQ(test, hash_of(test, &f, all_policies[i]), h);

	/* UDP header cut short: the addresses still count */
	g = f;
	g.trim = ETH_HLEN + sizeof(struct iphdr) + 2;
	h = hash_of(test, &g, LAG_XMIT_POLICY_LAYER34);
	taddr_v4(&g.outer, 0x0a000001, 0x0a000004);
	KUNIT_EXPECT_NE(test, hash_of(test, &g, LAG_XMIT_POLICY_LAYER34), h);

	/* Not even an Ethernet header */
	f.trim = ETH_HLEN - 1;
	for (i = 0; i < ARRAY_SIZE(all_policies); i++)
		KUNIT_EXPECT_EQ(test, hash_of(test, &f, all_policies[i]), 0U);
}

/* Headers outside the linear area hash as when they are linear. */
static void lag_hash_nonlinear_test(struct kunit *test)
{
	static const unsigned int splits[] = { 6, ETH_HLEN, ETH_HLEN + 8 };
	struct tflow f, g;
	unsigned int i, j, v;

	for (v = 0; v < 2; v++) {
		tflow_default(&f);
		f.vlan = v;
		f.vid = 7;
		for (i = 0; i < ARRAY_SIZE(splits); i++) {
			g = f;
			g.linear = splits[i];
			for (j = 0; j < ARRAY_SIZE(all_policies); j++)
				KUNIT_EXPECT_EQ_MSG(test,
						    hash_of(test, &g, all_policies[j]),
						    hash_of(test, &f, all_policies[j]),
						    "split %u policy %u",
						    splits[i], j);
		}
	}
}

/* A bucket table over four distributing slots, freed with the test. */
static struct lag_bucket_table *four_slot_table(struct kunit *test)
{
	struct lag_bucket_table *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	lag_bucket_init(t);
	lag_bucket_update(t, 0xf);
	return t;
}

/* 10,000 random UDP flows, layer3+4, 256 buckets over 4 slots. */
static void lag_hash_balance_test(struct kunit *test)
{
	unsigned int count[LAG_MAX_PORTS] = {}, i, min, max;
	struct lag_bucket_table *t;
	struct rnd_state rnd;
	struct tflow f;

	t = four_slot_table(test);

	prandom_seed_state(&rnd, 0x6c61675f68617368ULL);
	tflow_default(&f);
	for (i = 0; i < 10000; i++) {
		u32 ports = prandom_u32_state(&rnd);

		taddr_v4(&f.outer, prandom_u32_state(&rnd),
			 prandom_u32_state(&rnd));
		f.sport = ports & 0xffff;
		f.dport = ports >> 16;
		count[lag_bucket_lookup(t, hash_of(test, &f,
						   LAG_XMIT_POLICY_LAYER34))]++;
	}

	min = count[0];
	max = count[0];
	for (i = 1; i < LAG_MAX_PORTS; i++) {
		min = min_t(unsigned int, min, count[i]);
		max = max_t(unsigned int, max, count[i]);
	}
	KUNIT_ASSERT_GT(test, min, 0U);
	kunit_info(test, "shares %u %u %u %u, max/min %u.%03u\n", count[0],
		   count[1], count[2], count[3], max / min,
		   (max % min) * 1000 / min);
	KUNIT_EXPECT_LE(test, max * 100, min * 115);
}

/*
 * Structured flow sets that a weak mix would pile onto few buckets: even
 * source ports only, addresses differing in high bits only, MACs counting
 * up. Each must still spread over four slots within 1.15.
 */
static void lag_hash_structured_balance_test(struct kunit *test)
{
	static const char * const names[] = {
		"even sports", "v4 high octets", "v6 prefix", "MACs",
	};
	unsigned int count[LAG_MAX_PORTS], i, k, min, max;
	struct lag_bucket_table *t;
	enum lag_xmit_hash_policy p;
	struct tflow f;

	t = four_slot_table(test);

	for (k = 0; k < ARRAY_SIZE(names); k++) {
		memset(count, 0, sizeof(count));
		for (i = 0; i < 4096; i++) {
			tflow_default(&f);
			switch (k) {
			case 0:
				p = LAG_XMIT_POLICY_LAYER34;
				f.sport = 32768 + 2 * i;
				f.dport = 443;
				break;
			case 1:
				p = LAG_XMIT_POLICY_LAYER23;
				taddr_v4(&f.outer, 0x0a000001 | i << 12,
					 0x0a000002);
				break;
			case 2:
				p = LAG_XMIT_POLICY_LAYER34;
				taddr_v6(&f.outer, 1, 2);
				f.outer.s6.s6_addr32[1] = htonl(i << 16);
				break;
			default:
				p = LAG_XMIT_POLICY_LAYER2;
				f.smac[3] = i >> 8;
				f.smac[4] = i & 0xff;
				break;
			}
			count[lag_bucket_lookup(t, hash_of(test, &f, p))]++;
		}
		min = count[0];
		max = count[0];
		for (i = 1; i < LAG_MAX_PORTS; i++) {
			min = min_t(unsigned int, min, count[i]);
			max = max_t(unsigned int, max, count[i]);
		}
		kunit_info(test, "%s: shares %u %u %u %u\n", names[k],
			   count[0], count[1], count[2], count[3]);
		KUNIT_EXPECT_LE_MSG(test, max * 100, min * 115, "%s", names[k]);
	}
}

/* Insert @n bytes of IPv4 options (NOPs) after the header at @off. */
static struct sk_buff *add_ip_options(struct kunit *test, struct sk_buff *lin,
				      unsigned int off, unsigned int n)
{
	struct sk_buff *skb;
	struct iphdr *iph;

	skb = alloc_skb(lin->len + n + NET_SKB_PAD, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, NET_SKB_PAD);
	skb_reset_mac_header(skb);
	skb_put_data(skb, lin->data, off + sizeof(*iph));
	memset(skb_put(skb, n), IPOPT_NOOP, n);
	skb_put_data(skb, lin->data + off + sizeof(*iph),
		     lin->len - off - sizeof(*iph));
	iph = (struct iphdr *)(skb->data + off);
	iph->ihl += n / 4;
	skb->protocol = lin->protocol;
	skb_set_network_header(skb, off);
	skb->dev = lin->dev;
	kfree_skb(lin);
	return skb;
}

/*
 * lag_hash_skb() reads common frames without the dissector: it must give
 * exactly the dissector's hash. Random frames from a fixed seed, over every
 * shape the direct path takes or must refuse: IPv4 and IPv6, TCP, UDP,
 * ICMP, tunnels, first and later fragments, IPv4 options and bad header
 * lengths, VLAN tags, every truncation and split of the headers, carrying
 * no hash or an L3 or L4 one. The one exception, encap3+4 on an L4 hash,
 * must give exactly that hash's.
 */
static void lag_hash_direct_test(struct kunit *test)
{
	static const u8 protos[] = { IPPROTO_UDP, IPPROTO_TCP, IPPROTO_ICMP };
	static const u8 tunnels[] = { 0, 0, 0, IPPROTO_GRE, IPPROTO_IPIP };
	unsigned int i, p, mismatches = 0, frames = 0, plain = 0, reused = 0;
	struct rnd_state rnd, hrnd;
	struct sk_buff *skb;
	unsigned int th;
	struct tflow f;
	bool v4hdr, mutated;
	u32 r;

	prandom_seed_state(&rnd, 0x1a6);
	prandom_seed_state(&hrnd, 0x1a64);
	for (i = 0; i < 3000; i++) {
		r = prandom_u32_state(&rnd);
		tflow_default(&f);
		f.smac[5] = r;
		if (r & BIT(8))
			taddr_v6(&f.outer, prandom_u32_state(&rnd),
				 prandom_u32_state(&rnd));
		else
			taddr_v4(&f.outer, prandom_u32_state(&rnd),
				 prandom_u32_state(&rnd));
		f.proto = protos[(r >> 9) % ARRAY_SIZE(protos)];
		f.tunnel = tunnels[(r >> 11) % ARRAY_SIZE(tunnels)];
		if (f.tunnel)
			taddr_v4(&f.inner, prandom_u32_state(&rnd), 7);
		f.sport = prandom_u32_state(&rnd);
		f.dport = prandom_u32_state(&rnd);
		if ((r >> 14) % 8 == 0) {
			f.frag = true;
			f.frag_offset = (r >> 17) % 2 ? 0 : 185;
		}
		f.vlan = (r >> 18) % 16 == 0;
		f.hwvlan = (r >> 19) % 16 == 0;
		f.arp = (r >> 20) % 32 == 0;
		if ((r >> 22) % 4 == 0)
			f.trim = 14 + prandom_u32_state(&rnd) % 70;

		skb = tflow_build(test, &f);
		mutated = false;
		v4hdr = !f.arp && !f.vlan && !f.outer.v6 &&
			skb->len >= ETH_HLEN + sizeof(struct iphdr);
		if (v4hdr && (r >> 25) % 4 == 0) {
			skb = add_ip_options(test, skb, ETH_HLEN,
					     4 * (1 + (r >> 27) % 10));
			if ((r >> 30) == 0) {	/* header longer than the frame */
				((struct iphdr *)(skb->data + ETH_HLEN))->ihl = 15;
				mutated = true;
			}
		}
		if (v4hdr && (r >> 24) % 32 == 0) {
			((struct iphdr *)(skb->data + ETH_HLEN))->ihl = r % 5;
			mutated = true;
		}
		if ((r >> 23) % 4 == 0 && skb->len > ETH_HLEN + 1)
			skb = tflow_nonlinear(test, skb,
					      ETH_HLEN + prandom_u32_state(&rnd) %
					      (skb->len - ETH_HLEN));
		/*
		 * The hash the frame carries, if any (half of them one), from
		 * a stream of its own: the frames are those of the stream
		 * above alone.
		 */
		th = prandom_u32_state(&hrnd) % (2 * TH_MAX);
		if (th < TH_MAX)
			set_hash(skb, th, prandom_u32_state(&hrnd));

		/*
		 * The direct path must take every plain TCP/UDP frame (IPv6
		 * fragments have an extension header: not plain).
		 */
		if (!f.arp && !f.vlan && !f.tunnel && !f.trim && !mutated &&
		    !skb_is_nonlinear(skb) && !(f.frag && f.outer.v6) &&
		    (f.proto == IPPROTO_TCP || f.proto == IPPROTO_UDP)) {
			__be16 type = ((struct ethhdr *)skb->data)->h_proto;
			u32 w[16];

			plain++;
			KUNIT_EXPECT_GT_MSG(test, lag_hash_put_fast(skb, type, w, true), 0U,
					    "frame %u: plain, not taken (l4)", i);
			KUNIT_EXPECT_GT_MSG(test, lag_hash_put_fast(skb, type, w, false), 0U,
					    "frame %u: plain, not taken (l3)", i);
		}

		/*
		 * Every policy gives the dissector's hash, whatever hash the
		 * skb carries; except encap3+4 on an L4 hash, which gives
		 * that hash's (the same as any frame carrying it).
		 */
		for (p = 0; p < ARRAY_SIZE(all_policies); p++) {
			u32 direct = lag_hash_skb(skb, all_policies[p]);
			u32 expect;

			if (all_policies[p] == LAG_XMIT_POLICY_ENCAP34 &&
			    skb->l4_hash) {
				expect = l4_reuse_of(test, skb->hash);
				reused++;
			} else {
				expect = lag_hash_skb_dissect(skb,
							      all_policies[p]);
			}
			frames++;
			if (direct != expect && mismatches++ < 5)
				KUNIT_FAIL(test,
					   "frame %u policy %d hash %s%s: %#x, expected %#x (len %u linear %u)",
					   i, all_policies[p],
					   skb->l4_hash ? "l4" : "-",
					   skb->sw_hash ? " sw" : "",
					   direct, expect, skb->len,
					   skb_headlen(skb));
		}
		kfree_skb(skb);
	}
	KUNIT_EXPECT_EQ(test, mismatches, 0U);
	KUNIT_EXPECT_GT(test, plain, 500U);
	KUNIT_EXPECT_GT(test, reused, 400U);
	kunit_info(test, "%u frames and policies, %u mismatches; %u plain TCP/UDP frames, all taken directly; %u encap3+4 frames carrying an L4 hash\n",
		   frames, mismatches, plain, reused);
}

/*
 * encap3+4 hashes a frame that carries an L4 hash by that hash alone, as
 * bonding does: every frame carrying one hash gets one result, whatever
 * its headers, and another hash gives another result. An L3 hash is not
 * taken, and no other policy takes any: they hash as without one, that is
 * as the dissector path does.
 */
static void lag_hash_l4_reuse_test(struct kunit *test)
{
	static const u32 hashes[] = { 0x12345678, 0x9abcdef0, 1, 0 };
	const unsigned int nf = 8;
	struct sk_buff *skb;
	unsigned int i, j, k, p;
	u32 ref[ARRAY_SIZE(hashes)], h;
	struct tflow *f;

	f = kunit_kcalloc(test, nf, sizeof(*f), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f);
	tflow_default(&f[0]);				/* IPv4 UDP */
	tflow_default(&f[1]);				/* IPv6 TCP */
	taddr_v6(&f[1].outer, 1, 2);
	f[1].proto = IPPROTO_TCP;
	tflow_default(&f[2]);				/* TCP in GRE */
	taddr_v4(&f[2].outer, 0xc0a80001, 0xc0a80002);
	f[2].tunnel = IPPROTO_GRE;
	taddr_v4(&f[2].inner, 0xac100001, 0xac100002);
	f[2].proto = IPPROTO_TCP;
	f[3] = f[2];					/* IPv6 in IPv4 */
	f[3].tunnel = IPPROTO_IPIP;
	taddr_v6(&f[3].inner, 0x11, 0x12);
	tflow_default(&f[4]);				/* ICMP echo */
	f[4].proto = IPPROTO_ICMP;
	tflow_default(&f[5]);				/* a fragment */
	f[5].frag = true;
	tflow_default(&f[6]);				/* tagged */
	f[6].vlan = true;
	f[6].vid = 10;
	tflow_default(&f[7]);				/* not linear */
	f[7].linear = ETH_HLEN + 8;

	for (k = 0; k < ARRAY_SIZE(hashes); k++) {
		ref[k] = l4_reuse_of(test, hashes[k]);
		for (j = 0; j < k; j++)
			KUNIT_EXPECT_NE(test, ref[k], ref[j]);
	}

	for (i = 0; i < nf; i++) {
		for (k = 0; k < ARRAY_SIZE(hashes); k++) {
			enum thash t;

			for (t = TH_NONE; t < TH_MAX; t++) {
				skb = tflow_build(test, &f[i]);
				if (f[i].linear)
					skb = tflow_nonlinear(test, skb,
							      f[i].linear);
				set_hash(skb, t, hashes[k]);
				for (p = 0; p < ARRAY_SIZE(all_policies); p++) {
					enum lag_xmit_hash_policy pol;

					pol = all_policies[p];
					h = lag_hash_skb(skb, pol);
					if (pol == LAG_XMIT_POLICY_ENCAP34 &&
					    (t == TH_L4 || t == TH_SW_L4)) {
						KUNIT_EXPECT_EQ_MSG(test, h, ref[k],
								    "frame %u hash %d", i, t);
						continue;
					}
					KUNIT_EXPECT_EQ_MSG(test, h,
							    hash_of(test, &f[i], pol),
							    "frame %u hash %d policy %d",
							    i, t, pol);
					KUNIT_EXPECT_EQ_MSG(test, h,
							    lag_hash_skb_dissect(skb, pol),
							    "frame %u hash %d policy %d",
							    i, t, pol);
				}
				kfree_skb(skb);
			}
		}
	}
}

static void balance_check(struct kunit *test, const char *name,
			  const unsigned int *count)
{
	unsigned int i, min = count[0], max = count[0];

	for (i = 1; i < LAG_MAX_PORTS; i++) {
		min = min_t(unsigned int, min, count[i]);
		max = max_t(unsigned int, max, count[i]);
	}
	kunit_info(test, "%s: shares %u %u %u %u\n", name, count[0], count[1],
		   count[2], count[3]);
	KUNIT_EXPECT_GT_MSG(test, min, 0U, "%s", name);
	KUNIT_EXPECT_LE_MSG(test, max * 100, min * 115, "%s", name);
}

/*
 * What encap3+4 on an L4 hash claims is a distribution, not a member: it
 * must spread flows as well as the dissector path does (within 1.15 over
 * four slots, as lag_hash_balance_test). 10,000 random TCP flows in a GRE
 * tunnel, each carrying the hash the kernel's flow dissector gives it
 * (skb_get_hash(), through the tunnel, as on a forwarded or locally
 * tunnelled frame); and 10,000 L4 hashes that differ in their high bits
 * only, as a NIC's may, which lag's extra mix must spread too.
 */
static void lag_hash_l4_balance_test(struct kunit *test)
{
	unsigned int reuse[LAG_MAX_PORTS] = {}, dissect[LAG_MAX_PORTS] = {};
	unsigned int high[LAG_MAX_PORTS] = {};
	unsigned int i, slot, l4 = 0, taken = 0, same = 0;
	struct lag_bucket_table *t;
	struct rnd_state rnd;
	struct sk_buff *skb;
	struct tflow f;
	u32 h;

	t = four_slot_table(test);

	prandom_seed_state(&rnd, 0x6c345f68617368ULL);
	tflow_default(&f);
	taddr_v4(&f.outer, 0xc0a80001, 0xc0a80002);
	f.tunnel = IPPROTO_GRE;
	f.proto = IPPROTO_TCP;
	for (i = 0; i < 10000; i++) {
		u32 ports = prandom_u32_state(&rnd);

		taddr_v4(&f.inner, prandom_u32_state(&rnd),
			 prandom_u32_state(&rnd));
		f.sport = ports & 0xffff;
		f.dport = ports >> 16;
		skb = tflow_build(test, &f);
		skb_get_hash(skb);
		l4 += skb->l4_hash;
		h = lag_hash_skb(skb, LAG_XMIT_POLICY_ENCAP34);
		taken += (h == l4_reuse_of(test, skb->hash));
		slot = lag_bucket_lookup(t, h);
		reuse[slot]++;
		h = lag_hash_skb_dissect(skb, LAG_XMIT_POLICY_ENCAP34);
		dissect[lag_bucket_lookup(t, h)]++;
		same += (slot == lag_bucket_lookup(t, h));
		kfree_skb(skb);
	}
	KUNIT_EXPECT_EQ(test, l4, 10000U);
	KUNIT_EXPECT_EQ(test, taken, 10000U);
	/* not a claim: about a quarter, as for any two independent hashes */
	kunit_info(test, "flows on the same member by both: %u of 10000\n",
		   same);
	balance_check(test, "flow dissector's L4 hash", reuse);
	balance_check(test, "lag's dissector path, same flows", dissect);

	tflow_default(&f);
	for (i = 0; i < 10000; i++) {
		skb = tflow_build(test, &f);
		set_hash(skb, TH_L4, i << 18);
		high[lag_bucket_lookup(t, lag_hash_skb(skb,
					LAG_XMIT_POLICY_ENCAP34))]++;
		kfree_skb(skb);
	}
	balance_check(test, "L4 hashes differing in high bits", high);
}

static struct kunit_case lag_hash_cases[] = {
	KUNIT_CASE(lag_hash_stable_test),
	KUNIT_CASE(lag_hash_layer2_test),
	KUNIT_CASE(lag_hash_layer23_test),
	KUNIT_CASE(lag_hash_layer34_test),
	KUNIT_CASE(lag_hash_vlan_test),
	KUNIT_CASE(lag_hash_encap_test),
	KUNIT_CASE(lag_hash_fragment_test),
	KUNIT_CASE(lag_hash_fallback_test),
	KUNIT_CASE(lag_hash_nonlinear_test),
	KUNIT_CASE(lag_hash_direct_test),
	KUNIT_CASE(lag_hash_l4_reuse_test),
	KUNIT_CASE_SLOW(lag_hash_l4_balance_test),
	KUNIT_CASE_SLOW(lag_hash_balance_test),
	KUNIT_CASE_SLOW(lag_hash_structured_balance_test),
	{}
};

static struct kunit_suite lag_hash_suite = {
	.name = "lag_hash",
	.test_cases = lag_hash_cases,
};

kunit_test_suites(&lag_hash_suite);

// SPDX-License-Identifier: GPL-2.0
/*
 * lag: transmit hash policies, built on the kernel's flow dissector.
 *
 * The frame is read from its Ethernet header at skb->data, as the LAG's
 * ndo_start_xmit sees it, so the result does not depend on skb->protocol or
 * the network header offset having been kept in step with in-band VLAN tags.
 * An XDP frame has no skb: lag_hash_buf() reads a linear buffer with the
 * same code (lag_hash_frame()), so it hashes as the skb of its bytes would.
 * The fields a policy selects are packed into 32-bit words and mixed once
 * with jhash2() under a fixed seed: the same flow gets the same hash on every
 * call and on every boot, and all 32 bits of the result are well mixed.
 *
 * Hot path rules: no lock, no atomic, no allocation, no division. The flow
 * dissector runs with the caller's RCU read side (ndo_start_xmit runs under
 * rcu_read_lock_bh()); it only reads the frame, through skb_header_pointer()
 * style copies when headers are not linear.
 *
 * The most common frames do not need the dissector: under layer2+3 and
 * layer3+4, an IPv4 or IPv6 frame with no in-band VLAN tag (TCP or UDP for
 * layer3+4) whose
 * headers are in the linear part is read directly by lag_hash_put_direct(),
 * which writes the very words the dissector's keys would give, so a flow
 * hashes the same whichever way it is read (the lag_hash KUnit suite holds
 * the two to that).
 *
 * encap3+4 does not even read the frame when the skb carries an L4 hash
 * (skb->l4_hash): the 4-tuple hash the socket, the flow dissector or the
 * receiving NIC left in skb->hash (see lag_hash_skb()).
 */

#include <linux/etherdevice.h>
#include <linux/icmp.h>
#include <linux/if_ether.h>
#include <linux/jhash.h>
#include <linux/skbuff.h>
#include <linux/string.h>
#include <net/flow_dissector.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>
#include <kunit/visibility.h>

#include "lag_hash.h"

/* Arbitrary, fixed: keeps hashes stable across reloads and reboots. */
#define LAG_HASH_SEED	0x7a3c51e9

/*
 * What the dissectors fill. Zeroed before each dissection: the dissector
 * only writes the keys it reaches (no ports for fragments, for instance).
 */
struct lag_flow_keys {
	struct flow_dissector_key_control control;
	struct flow_dissector_key_basic basic;
	struct flow_dissector_key_icmp icmp;
	struct flow_dissector_key_ports ports;
	struct flow_dissector_key_addrs addrs;
};

/*
 * The keys of the layer 3+4 dissector; the layer 3 one uses the same table
 * without its last two entries (ports and ICMP), which must stay last.
 */
#define LAG_KEYS_L4	2
static const struct flow_dissector_key lag_keys[] = {
	{
		.key_id = FLOW_DISSECTOR_KEY_CONTROL,
		.offset = offsetof(struct lag_flow_keys, control),
	},
	{
		.key_id = FLOW_DISSECTOR_KEY_BASIC,
		.offset = offsetof(struct lag_flow_keys, basic),
	},
	{
		.key_id = FLOW_DISSECTOR_KEY_IPV4_ADDRS,
		.offset = offsetof(struct lag_flow_keys, addrs.v4addrs),
	},
	{
		.key_id = FLOW_DISSECTOR_KEY_IPV6_ADDRS,
		.offset = offsetof(struct lag_flow_keys, addrs.v6addrs),
	},
	{
		.key_id = FLOW_DISSECTOR_KEY_PORTS,
		.offset = offsetof(struct lag_flow_keys, ports),
	},
	{
		.key_id = FLOW_DISSECTOR_KEY_ICMP,
		.offset = offsetof(struct lag_flow_keys, icmp),
	},
};

/*
 * Built once by lag_hash_init() and only read afterwards. The layer 3 one
 * does not even look at L4 headers. Non-encap policies dissect with
 * LAG_FLOW_OUTER: the outer headers only, not even reading a GRE or IP-in-IP
 * header; encap policies with no flag, so the dissector goes through
 * tunnels (GRE, IP-in-IP, IPv6-in-IP, ...) to the innermost IP header.
 */
#define LAG_FLOW_OUTER	(FLOW_DISSECTOR_F_STOP_BEFORE_ENCAP | \
			 FLOW_DISSECTOR_F_STOP_AT_ENCAP)

static struct flow_dissector lag_dissector_l3 __read_mostly;
static struct flow_dissector lag_dissector_l34 __read_mostly;

/* Longest key: 3 words of MACs, 8 of IPv6 addresses, ports, protocol. */
#define LAG_HASH_WORDS	13

/**
 * lag_hash_init - build the flow dissectors used by lag_hash_skb()
 *
 * Call once from module init, before any lag_hash_skb() call.
 */
void lag_hash_init(void)
{
	skb_flow_dissector_init(&lag_dissector_l3, lag_keys,
				ARRAY_SIZE(lag_keys) - LAG_KEYS_L4);
	skb_flow_dissector_init(&lag_dissector_l34, lag_keys,
				ARRAY_SIZE(lag_keys));
}

/* Four bytes as one big-endian word; headers may sit at any alignment. */
static u32 lag_hash_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

/* MAC addresses as three words, then optionally the ethertype. */
static unsigned int lag_hash_put_l2(u32 *w, const struct ethhdr *eth,
				    bool ethertype)
{
	w[0] = lag_hash_be32(eth->h_dest);
	w[1] = (u32)eth->h_dest[4] << 24 | (u32)eth->h_dest[5] << 16 |
	       (u32)eth->h_source[0] << 8 | eth->h_source[1];
	w[2] = lag_hash_be32(eth->h_source + 2);
	if (!ethertype)
		return 3;
	w[3] = be16_to_cpu(eth->h_proto);
	return 4;
}

/* IP addresses as found by the dissector; 0 words if it found none. */
static unsigned int lag_hash_put_l3(u32 *w, const struct lag_flow_keys *k)
{
	const struct flow_dissector_key_ipv6_addrs *v6 = &k->addrs.v6addrs;
	unsigned int i;

	switch (k->control.addr_type) {
	case FLOW_DISSECTOR_KEY_IPV4_ADDRS:
		w[0] = (__force u32)k->addrs.v4addrs.src;
		w[1] = (__force u32)k->addrs.v4addrs.dst;
		return 2;
	case FLOW_DISSECTOR_KEY_IPV6_ADDRS:
		for (i = 0; i < 4; i++) {
			w[i] = (__force u32)v6->src.s6_addr32[i];
			w[4 + i] = (__force u32)v6->dst.s6_addr32[i];
		}
		return 8;
	default:
		return 0;
	}
}

/* L4 identifier (ports, or ICMP echo id) and the IP protocol. */
static unsigned int lag_hash_put_l4(u32 *w, const struct lag_flow_keys *k)
{
	u8 proto = k->basic.ip_proto;

	/*
	 * Fragments: the dissector reads neither ports nor ICMP ids of any
	 * fragment (first one included), so both are still zero here and
	 * all fragments of a datagram stay together.
	 */
	if (proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6)
		w[0] = k->icmp.id;
	else
		w[0] = (__force u32)k->ports.ports;
	w[1] = proto;
	return 2;
}

/*
 * A BPF flow dissector attached to the frame's namespace (or to init_net,
 * which overrides all) replaces the kernel's; then every frame goes through
 * __skb_flow_dissect(), which runs it. The same for a frame whose namespace
 * is not known here (an skb without a device, never on transmit): the core
 * takes it from the socket.
 */
static bool lag_hash_bpf_dissector(const struct net *net)
{
	const enum netns_bpf_attach_type type = NETNS_BPF_FLOW_DISSECTOR;

	return !net || rcu_access_pointer(init_net.bpf.run_array[type]) ||
	       rcu_access_pointer(net->bpf.run_array[type]);
}

/**
 * lag_hash_put_direct - the hash words of a plain IP frame, without dissecting
 * @data: the frame, from its Ethernet header
 * @hlen: how much of it is linear (readable at @data)
 * @type: its ethertype, from the Ethernet header
 * @w: where to write the words
 * @l4: also the L4 words (layer3+4), not only the addresses (layer2+3)
 *
 * The words lag_hash_put_l3() and, with @l4, lag_hash_put_l4() would write
 * after a dissection with LAG_FLOW_OUTER, read straight from an IPv4 or IPv6
 * header right after the Ethernet header (no in-band tag; a tag in the skb
 * metadata is ignored by both) in the linear part: the addresses for any
 * protocol without @l4 (the dissector takes the outer addresses whatever
 * follows); with @l4 only TCP and UDP, whose ports sit at the same place for
 * both, and none for IPv4 fragments (the dissector reads no ports of any
 * fragment). IPv6 extension headers, other protocols, truncated or
 * non-linear headers are left to the dissector.
 *
 * Return: the number of words written, 0 when the dissector must decide.
 */
static unsigned int lag_hash_put_direct(const u8 *data, unsigned int hlen,
					__be16 type, u32 *w, bool l4)
{
	const struct ipv6hdr *ip6;
	const struct iphdr *iph;
	unsigned int n, thoff;
	u8 proto;

	if (type == htons(ETH_P_IP)) {
		if (hlen < ETH_HLEN + sizeof(*iph))
			return 0;
		iph = (const struct iphdr *)(data + ETH_HLEN);
		if (iph->ihl < 5)
			return 0;
		/* at any alignment, as for IPv6 below */
		memcpy(w, &iph->saddr, sizeof(iph->saddr));
		memcpy(w + 1, &iph->daddr, sizeof(iph->daddr));
		n = 2;
		proto = iph->protocol;
		thoff = ip_is_fragment(iph) ? 0 : ETH_HLEN + iph->ihl * 4;
	} else if (type == htons(ETH_P_IPV6)) {
		if (hlen < ETH_HLEN + sizeof(*ip6))
			return 0;
		ip6 = (const struct ipv6hdr *)(data + ETH_HLEN);
		memcpy(w, &ip6->saddr, sizeof(ip6->saddr));
		memcpy(w + 4, &ip6->daddr, sizeof(ip6->daddr));
		n = 8;
		proto = ip6->nexthdr;
		thoff = ETH_HLEN + sizeof(*ip6);
	} else {
		return 0;
	}
	if (!l4)
		return n;
	if (proto != IPPROTO_TCP && proto != IPPROTO_UDP)
		return 0;
	if (!thoff) {
		w[n] = 0;
	} else {
		if (hlen < thoff + sizeof(w[n]))
			return 0;
		memcpy(&w[n], data + thoff, sizeof(w[n]));
	}
	w[n + 1] = proto;
	return n + 2;
}

/*
 * The hash of a frame read by the flow dissector: @skb's, or without an skb
 * (@skb NULL) a linear buffer's, @hlen bytes at @data; @net is the
 * namespace whose BPF flow dissector applies, NULL to let the core take an
 * skb's own.
 */
static u32 lag_hash_dissect(const struct net *net, const struct sk_buff *skb,
			    const void *data, unsigned int hlen,
			    enum lag_xmit_hash_policy policy)
{
	struct flow_dissector *dissector;
	const struct ethhdr *eth;
	struct lag_flow_keys keys;
	u32 w[LAG_HASH_WORDS];
	unsigned int n = 0, n3;
	unsigned int flags;
	struct ethhdr _eth;
	bool l4;

	if (skb)
		eth = skb_header_pointer(skb, 0, sizeof(_eth), &_eth);
	else
		eth = hlen >= sizeof(*eth) ? data : NULL;
	if (unlikely(!eth))
		return 0;

	switch (policy) {
	case LAG_XMIT_POLICY_LAYER23:
		dissector = &lag_dissector_l3;
		flags = LAG_FLOW_OUTER;
		l4 = false;
		break;
	case LAG_XMIT_POLICY_LAYER34:
		dissector = &lag_dissector_l34;
		flags = LAG_FLOW_OUTER;
		l4 = true;
		break;
	case LAG_XMIT_POLICY_ENCAP23:
		dissector = &lag_dissector_l3;
		flags = 0;
		l4 = false;
		break;
	case LAG_XMIT_POLICY_ENCAP34:
		dissector = &lag_dissector_l34;
		flags = 0;
		l4 = true;
		break;
	default:
		goto layer2;
	}

	memset(&keys, 0, sizeof(keys));
	/*
	 * The return value is not needed: addr_type is set only once an IP
	 * header was read whole, and a failure deeper in (a truncated L4
	 * header, an unknown protocol inside a tunnel) leaves the keys found
	 * so far, which still identify the flow. With an skb, the dissector
	 * reads past @hlen from its fragments; without, it stops at @hlen.
	 */
	__skb_flow_dissect(net, skb, dissector, &keys, data, eth->h_proto,
			   ETH_HLEN, hlen, flags);

	if (!l4)
		n = lag_hash_put_l2(w, eth, false);
	n3 = lag_hash_put_l3(w + n, &keys);
	if (!n3)
		goto layer2;	/* not IP */
	n += n3;
	if (l4)
		n += lag_hash_put_l4(w + n, &keys);
	return jhash2(w, n, LAG_HASH_SEED);

layer2:
	n = lag_hash_put_l2(w, eth, true);
	return jhash2(w, n, LAG_HASH_SEED);
}

/*
 * The one hash of lag, for an skb (@skb set, @data its skb->data, @hlen its
 * linear length) and for a linear buffer (@skb NULL): the direct path where
 * it applies, else the dissector. @net: see lag_hash_dissect().
 */
static u32 lag_hash_frame(const struct net *net, const struct sk_buff *skb,
			  const void *data, unsigned int hlen,
			  enum lag_xmit_hash_policy policy)
{
	const struct ethhdr *eth = data;
	u32 w[LAG_HASH_WORDS];
	unsigned int n = 0, n3;
	bool l4;

	if (policy == LAG_XMIT_POLICY_LAYER34)
		l4 = true;
	else if (policy == LAG_XMIT_POLICY_LAYER23)
		l4 = false;
	else
		return lag_hash_dissect(net, skb, data, hlen, policy);
	if (unlikely(hlen < ETH_HLEN || lag_hash_bpf_dissector(net)))
		return lag_hash_dissect(net, skb, data, hlen, policy);

	if (!l4)
		n = lag_hash_put_l2(w, eth, false);
	n3 = lag_hash_put_direct(data, hlen, eth->h_proto, w + n, l4);
	if (!n3)
		return lag_hash_dissect(net, skb, data, hlen, policy);
	return jhash2(w, n + n3, LAG_HASH_SEED);
}

/* The namespace of a transmitted frame: its device's. */
static const struct net *lag_hash_skb_net(const struct sk_buff *skb)
{
	return skb->dev ? dev_net(skb->dev) : NULL;
}

/*
 * encap3+4 on a frame that carries an L4 hash: that hash, mixed once more
 * (it may come from a NIC's Toeplitz or XOR function, whose low bits, the
 * ones lag_bucket_lookup() uses, need not be well mixed).
 */
static u32 lag_hash_l4(u32 hash)
{
	return jhash_1word(hash, LAG_HASH_SEED);
}

/**
 * lag_hash_skb - transmit hash of a frame
 * @skb: the frame, with skb->data at its Ethernet header
 * @policy: which headers identify the flow
 *
 * Hot path: no lock, no atomic, no allocation, no division. Frames of one
 * flow always get the same hash (under encap3+4, while they carry the same
 * skb->hash: see below). Otherwise, frames without IPv4/IPv6 (ARP, LLDP,
 * ...) fall back to the layer2 hash under every policy, and frames too
 * short for an Ethernet header hash to 0. A policy value out of range is
 * taken as layer2.
 *
 * Under encap3+4 only, a frame that carries an L4 hash (skb->l4_hash set:
 * its socket's sk_txhash, skb_get_hash()'s over a 4-tuple the flow
 * dissector found through tunnels, or a receiving NIC's 4-tuple hash; a
 * tunnel's iptunnel_xmit() keeps such a hash of the inner flow) is hashed
 * by skb->hash alone, as bonding's encap3+4 does, and the frame is not
 * read. That is a per-flow hash spread over all flows too, but not lag's:
 * such a flow may take another member than the one the dissector path
 * would give it. encap2+3 never takes it (an L4 hash mixes the ports), nor
 * does any other policy, nor encap3+4 with an L3 hash only (skb->l4_hash
 * clear).
 *
 * Return: a well mixed 32-bit hash; its low bits may be used directly.
 */
u32 lag_hash_skb(const struct sk_buff *skb, enum lag_xmit_hash_policy policy)
{
	if (policy == LAG_XMIT_POLICY_ENCAP34 && skb->l4_hash)
		return lag_hash_l4(skb->hash);
	return lag_hash_frame(lag_hash_skb_net(skb), skb, skb->data,
			      skb_headlen(skb), policy);
}
EXPORT_SYMBOL_IF_KUNIT(lag_hash_skb);

/**
 * lag_hash_buf - transmit hash of a frame in a linear buffer
 * @net: the namespace of the device transmitting it (whose BPF flow
 *	dissector, if any, applies)
 * @data: the frame, from its Ethernet header (an xdp_buff's data)
 * @len: its length: headers past it are not read
 * @policy: which headers identify the flow
 *
 * lag_hash_skb() without an skb, for XDP: the same hash, on the same
 * direct path or through the same dissector, for the frame an skb of these
 * bytes would carry (the lag_hash_buf KUnit suite holds the two to that;
 * a BPF flow dissector sees no skb here). Hot path, the same rules: no
 * lock, no atomic, no allocation; the caller is an RCU reader.
 *
 * Return: a well mixed 32-bit hash; its low bits may be used directly.
 */
u32 lag_hash_buf(const struct net *net, const void *data, unsigned int len,
		 enum lag_xmit_hash_policy policy)
{
	return lag_hash_frame(net, NULL, data, len, policy);
}
EXPORT_SYMBOL_IF_KUNIT(lag_hash_buf);

#if IS_ENABLED(CONFIG_KUNIT)
/**
 * lag_hash_skb_dissect - transmit hash of a frame, read by the flow dissector
 * @skb: the frame, with skb->data at its Ethernet header
 * @policy: which headers identify the flow
 *
 * What lag_hash_skb() returns, without its direct path and without taking
 * skb->hash under encap3+4: the lag_hash suite compares the two.
 *
 * Return: the hash.
 */
u32 lag_hash_skb_dissect(const struct sk_buff *skb,
			 enum lag_xmit_hash_policy policy)
{
	return lag_hash_dissect(lag_hash_skb_net(skb), skb, skb->data,
				skb_headlen(skb), policy);
}
EXPORT_SYMBOL_IF_KUNIT(lag_hash_skb_dissect);

/**
 * lag_hash_put_fast - the direct path's words for an skb
 * @skb: the frame, with skb->data at its Ethernet header
 * @type: its ethertype, from the Ethernet header
 * @w: where to write the words
 * @l4: also the L4 words (layer3+4)
 *
 * lag_hash_put_direct() on the linear part of @skb: the lag_hash suite
 * checks which frames it takes.
 *
 * Return: the number of words written, 0 when the dissector must decide.
 */
unsigned int lag_hash_put_fast(const struct sk_buff *skb, __be16 type,
			       u32 *w, bool l4)
{
	return lag_hash_put_direct(skb->data, skb_headlen(skb), type, w, l4);
}
EXPORT_SYMBOL_IF_KUNIT(lag_hash_put_fast);
#endif

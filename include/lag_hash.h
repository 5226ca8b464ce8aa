/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lag: transmit hash policies.
 *
 * lag_hash_skb() maps a frame to a 32-bit flow hash according to the LAG's
 * transmit hash policy. Frames of one flow always get the same hash, so they
 * leave through one member and stay in order. The hash is finished with a
 * full avalanche mix (jhash), so every bit of it, the low ones included, is
 * usable as is: callers index their bucket table with its low bits.
 */
#ifndef _LAG_HASH_H
#define _LAG_HASH_H

#include <linux/types.h>

struct sk_buff;

/**
 * enum lag_hash_policy - what identifies a flow for the transmit hash
 * @LAG_HASH_LAYER2: source and destination MAC addresses and ethertype
 * @LAG_HASH_LAYER23: MAC addresses and IP addresses (layer2 for non-IP)
 * @LAG_HASH_LAYER34: IP addresses, IP protocol and L4 ports (no ports for
 *	fragments, ICMP echo identifier in place of ports; layer2 for non-IP)
 * @LAG_HASH_ENCAP23: as layer2+3 but with the innermost IP addresses the
 *	flow dissector finds inside tunnels (GRE, IP-in-IP, ...)
 * @LAG_HASH_ENCAP34: as layer3+4 but with the innermost IP header and ports
 * @__LAG_HASH_MAX: number of policies
 *
 * 802.1Q/802.1ad tags in the frame are looked through by every policy that
 * reads IP headers; the VLAN id itself is not part of any hash.
 */
enum lag_hash_policy {
	LAG_HASH_LAYER2,
	LAG_HASH_LAYER23,
	LAG_HASH_LAYER34,
	LAG_HASH_ENCAP23,
	LAG_HASH_ENCAP34,
	__LAG_HASH_MAX
};

/* The default, as for bonding's xmit_hash_policy. */
#define LAG_HASH_DEFAULT	LAG_HASH_LAYER2

void lag_hash_init(void);
const char *lag_hash_policy_name(enum lag_hash_policy policy);
int lag_hash_policy_parse(const char *s);
u32 lag_hash_skb(const struct sk_buff *skb, enum lag_hash_policy policy);

#if IS_ENABLED(CONFIG_KUNIT)
/* The same hash, always through the flow dissector (lag_hash suite). */
u32 lag_hash_skb_dissect(const struct sk_buff *skb,
			 enum lag_hash_policy policy);
/* The direct path's words, 0 where it defers to the dissector. */
unsigned int lag_hash_put_fast(const struct sk_buff *skb, __be16 type,
			       u32 *w, bool l4);
#endif

#endif /* _LAG_HASH_H */

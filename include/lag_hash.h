/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lag: transmit hash policies.
 *
 * lag_hash_skb() maps a frame to a 32-bit flow hash according to the LAG's
 * transmit hash policy. Frames of one flow always get the same hash, so they
 * leave through one member and stay in order. The hash is finished with a
 * full avalanche mix (jhash), so every bit of it, the low ones included, is
 * usable as is: callers index their bucket table with its low bits.
 *
 * The policies are &enum lag_xmit_hash_policy of the uapi header. layer3+4
 * hashes fragments without ports and ICMP echo by its identifier; the
 * encap policies use the innermost headers the flow dissector finds inside
 * tunnels; every policy that reads IP headers looks through 802.1Q/802.1ad
 * tags, and no policy hashes the VLAN id itself. One exception to reading
 * the frame: encap3+4 hashes an skb that carries an L4 hash (skb->l4_hash)
 * by skb->hash alone, as bonding does; that is a per-flow hash too, but
 * not lag's, so such a flow may leave by another member than lag's own
 * hash would pick (see lag_hash_skb()).
 */
#ifndef _LAG_HASH_H
#define _LAG_HASH_H

#include <linux/types.h>

#include "uapi/linux/if_lag.h"

struct net;
struct sk_buff;

/* The default, as for bonding's xmit_hash_policy. */
#define LAG_HASH_DEFAULT	LAG_XMIT_POLICY_LAYER2

void lag_hash_init(void);
u32 lag_hash_skb(const struct sk_buff *skb, enum lag_xmit_hash_policy policy);
/* The same hash for a frame in a linear buffer (XDP): see lag_hash.c. */
u32 lag_hash_buf(const struct net *net, const void *data, unsigned int len,
		 enum lag_xmit_hash_policy policy);

#if IS_ENABLED(CONFIG_KUNIT)
/* The same hash, always through the flow dissector (lag_hash suite). */
u32 lag_hash_skb_dissect(const struct sk_buff *skb,
			 enum lag_xmit_hash_policy policy);
/* The direct path's words, 0 where it defers to the dissector. */
unsigned int lag_hash_put_fast(const struct sk_buff *skb, __be16 type,
			       u32 *w, bool l4);
#endif

#endif /* _LAG_HASH_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lag: the few kernel API differences between the kernels lag builds for
 * (Debian's 6.1 and 6.12).
 */
#ifndef _LAG_COMPAT_H
#define _LAG_COMPAT_H

#include <linux/netdevice.h>

/* LAG_HAVE_* come from Kbuild, which looks for each API in the headers. */

/* 6.12 moved the unaligned accessors from <asm/unaligned.h>. */
#ifdef LAG_HAVE_LINUX_UNALIGNED
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

static inline void lag_dev_set_lltx_netns_local(struct net_device *dev)
{
#ifdef LAG_HAVE_LLTX_BIT
	dev->lltx = true;
#else
	dev->features |= NETIF_F_LLTX;
#endif
#if defined(LAG_HAVE_NETNS_IMMUTABLE)
	dev->netns_immutable = true;
#elif defined(LAG_HAVE_NETNS_LOCAL_BIT)
	dev->netns_local = true;
#else
	dev->features |= NETIF_F_NETNS_LOCAL;
#endif
}

/*
 * A member has no IPv6 of its own. 6.2 added IFF_NO_ADDRCONF for this; 6.1's
 * addrconf skips devices with IFF_SLAVE instead, which lag sets too.
 */
#ifndef LAG_HAVE_IFF_NO_ADDRCONF
#define IFF_NO_ADDRCONF 0
#endif

#ifndef LAG_HAVE_NETDEV_BASE_FEATURES
static inline netdev_features_t netdev_base_features(netdev_features_t features)
{
	features &= ~NETIF_F_ONE_FOR_ALL;
	if (features & NETIF_F_HW_CSUM)
		features |= NETIF_F_ALL_FOR_ALL;
	return features;
}
#endif

/*
 * What an upper device offers is what all its lower devices offer: the
 * core computes it for bonding and team from 6.12.y on (and lag uses it
 * there). 6.1 has neither the helper nor its masks: this is the same rule,
 * over the same lower-device list.
 */
#ifndef LAG_HAVE_COMPUTE_MASTER_UPPER
#define MASTER_UPPER_DEV_VLAN_FEATURES	(NETIF_F_HW_CSUM | NETIF_F_SG | \
					 NETIF_F_FRAGLIST | NETIF_F_GSO_SOFTWARE | \
					 NETIF_F_GSO_ENCAP_ALL | \
					 NETIF_F_HIGHDMA | NETIF_F_LRO)
#define MASTER_UPPER_DEV_ENC_FEATURES	(NETIF_F_HW_CSUM | NETIF_F_SG | \
					 NETIF_F_RXCSUM | NETIF_F_GSO_SOFTWARE | \
					 NETIF_F_GSO_PARTIAL)
#define MASTER_UPPER_DEV_MPLS_FEATURES	(NETIF_F_HW_CSUM | NETIF_F_SG | \
					 NETIF_F_GSO_SOFTWARE)
#define MASTER_UPPER_DEV_XFRM_FEATURES	(NETIF_F_HW_ESP | NETIF_F_HW_ESP_TX_CSUM | \
					 NETIF_F_GSO_ESP)
#define MASTER_UPPER_DEV_GSO_PARTIAL_FEATURES	NETIF_F_GSO_ESP

static inline void netdev_compute_master_upper_features(struct net_device *dev,
							bool update_header)
{
	unsigned int dst_release = IFF_XMIT_DST_RELEASE | IFF_XMIT_DST_RELEASE_PERM;
	netdev_features_t partial = MASTER_UPPER_DEV_GSO_PARTIAL_FEATURES;
	netdev_features_t mpls = netdev_base_features(MASTER_UPPER_DEV_MPLS_FEATURES);
	netdev_features_t vlan = netdev_base_features(MASTER_UPPER_DEV_VLAN_FEATURES);
	netdev_features_t enc = netdev_base_features(MASTER_UPPER_DEV_ENC_FEATURES);
	netdev_features_t xfrm = MASTER_UPPER_DEV_XFRM_FEATURES;
	unsigned short header_len = ETH_HLEN, headroom = 0, tailroom = 0;
	unsigned int tso_size = TSO_MAX_SIZE;
	u16 tso_segs = TSO_MAX_SEGS;
	struct net_device *lower;
	struct list_head *iter;

	netdev_for_each_lower_dev(dev, lower, iter) {
		partial = netdev_increment_features(partial, lower->gso_partial_features,
						    MASTER_UPPER_DEV_GSO_PARTIAL_FEATURES);
		vlan = netdev_increment_features(vlan, lower->vlan_features,
						 MASTER_UPPER_DEV_VLAN_FEATURES);
		enc = netdev_increment_features(enc, lower->hw_enc_features,
						MASTER_UPPER_DEV_ENC_FEATURES);
		xfrm = netdev_increment_features(xfrm, lower->hw_enc_features,
						 MASTER_UPPER_DEV_XFRM_FEATURES);
		mpls = netdev_increment_features(mpls, lower->mpls_features,
						 MASTER_UPPER_DEV_MPLS_FEATURES);
		dst_release &= lower->priv_flags;
		header_len = max(header_len, lower->hard_header_len);
		headroom = max(headroom, lower->needed_headroom);
		tailroom = max(tailroom, lower->needed_tailroom);
		tso_size = min(tso_size, lower->tso_max_size);
		tso_segs = min(tso_segs, lower->tso_max_segs);
	}
	dev->gso_partial_features = partial;
	dev->vlan_features = vlan;
	dev->hw_enc_features = enc | NETIF_F_GSO_ENCAP_ALL |
			       NETIF_F_HW_VLAN_CTAG_TX | NETIF_F_HW_VLAN_STAG_TX;
	if (IS_ENABLED(CONFIG_XFRM_OFFLOAD))
		dev->hw_enc_features |= xfrm;
	dev->mpls_features = mpls;
	dev->priv_flags &= ~IFF_XMIT_DST_RELEASE;
	if ((dev->priv_flags & IFF_XMIT_DST_RELEASE_PERM) &&
	    dst_release == (IFF_XMIT_DST_RELEASE | IFF_XMIT_DST_RELEASE_PERM))
		dev->priv_flags |= IFF_XMIT_DST_RELEASE;
	if (update_header) {
		dev->hard_header_len = header_len;
		dev->needed_headroom = headroom;
		dev->needed_tailroom = tailroom;
	}
	netif_set_tso_max_segs(dev, tso_segs);
	netif_set_tso_max_size(dev, tso_size);
	netdev_change_features(dev);
}
#endif

/*
 * The datapath counters are the core's per-CPU "dstats" (rx/tx packets,
 * bytes, drops). From 6.12 the core allocates, frees and reports them
 * (NETDEV_PCPU_STAT_DSTATS) and has the dev_dstats_*() counting helpers;
 * on 6.1 lag allocates dev->dstats itself, reports it through
 * ndo_get_stats64, and these are the helpers, on 6.1's struct pcpu_dstats.
 * Each CPU writes only its own copy, from softirq or with BH off: no atomic.
 * netpoll's transmit (IRQs off) can interrupt a softirq update on its CPU:
 * 6.12's counters are local64_t on 64-bit, safe against that; on 6.1 such
 * a race can lose one count (a counter, never a frame).
 */
#ifdef LAG_HAVE_DSTATS
static inline int lag_dstats_init(struct net_device *dev)
{
	return 0;	/* the core's, set up by lag_dstats_setup() */
}

static inline void lag_dstats_setup(struct net_device *dev)
{
	dev->pcpu_stat_type = NETDEV_PCPU_STAT_DSTATS;
}

static inline void lag_dstats_free(struct net_device *dev)
{
}

#define lag_dstats_get_stats64	NULL	/* the core reports them */

/* @packets frames of @bytes in all sent at once (an XDP bulk). */
static inline void lag_dstats_tx_add_n(struct net_device *dev,
				       unsigned int packets, u64 bytes)
{
	struct pcpu_dstats *s = this_cpu_ptr(dev->dstats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_add(&s->tx_packets, packets);
	u64_stats_add(&s->tx_bytes, bytes);
	u64_stats_update_end(&s->syncp);
}
#else
static inline int lag_dstats_init(struct net_device *dev)
{
	dev->dstats = netdev_alloc_pcpu_stats(struct pcpu_dstats);
	return dev->dstats ? 0 : -ENOMEM;
}

static inline void lag_dstats_setup(struct net_device *dev)
{
}

static inline void lag_dstats_free(struct net_device *dev)
{
	free_percpu(dev->dstats);
}

static inline void dev_dstats_rx_add(struct net_device *dev, unsigned int len)
{
	struct pcpu_dstats *s = this_cpu_ptr(dev->dstats);

	u64_stats_update_begin(&s->syncp);
	s->rx_packets++;
	s->rx_bytes += len;
	u64_stats_update_end(&s->syncp);
}

static inline void dev_dstats_rx_dropped(struct net_device *dev)
{
	struct pcpu_dstats *s = this_cpu_ptr(dev->dstats);

	u64_stats_update_begin(&s->syncp);
	s->rx_drops++;
	u64_stats_update_end(&s->syncp);
}

static inline void dev_dstats_tx_add(struct net_device *dev, unsigned int len)
{
	struct pcpu_dstats *s = this_cpu_ptr(dev->dstats);

	u64_stats_update_begin(&s->syncp);
	s->tx_packets++;
	s->tx_bytes += len;
	u64_stats_update_end(&s->syncp);
}

static inline void dev_dstats_tx_dropped(struct net_device *dev)
{
	struct pcpu_dstats *s = this_cpu_ptr(dev->dstats);

	u64_stats_update_begin(&s->syncp);
	s->tx_drops++;
	u64_stats_update_end(&s->syncp);
}

static inline void lag_dstats_tx_add_n(struct net_device *dev,
				       unsigned int packets, u64 bytes)
{
	struct pcpu_dstats *s = this_cpu_ptr(dev->dstats);

	u64_stats_update_begin(&s->syncp);
	s->tx_packets += packets;
	s->tx_bytes += bytes;
	u64_stats_update_end(&s->syncp);
}

static inline void lag_dstats_get_stats64(struct net_device *dev,
					  struct rtnl_link_stats64 *stats)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct pcpu_dstats *s = per_cpu_ptr(dev->dstats, cpu);
		u64 rxp, rxb, txp, txb, rxd, txd;
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			rxp = s->rx_packets;
			rxb = s->rx_bytes;
			txp = s->tx_packets;
			txb = s->tx_bytes;
			rxd = s->rx_drops;
			txd = s->tx_drops;
		} while (u64_stats_fetch_retry(&s->syncp, start));
		stats->rx_packets += rxp;
		stats->rx_bytes += rxb;
		stats->tx_packets += txp;
		stats->tx_bytes += txb;
		stats->rx_dropped += rxd;
		stats->tx_dropped += txd;
	}
}
#endif

/*
 * XDP: 6.3 added the devices' XDP features (xdp_features, and the event
 * NETDEV_XDP_FEAT_CHANGE when they change); on 6.1 a LAG has none to set
 * (lag_xdp_update_features() does nothing) and no member sends that event:
 * it is given a value no event has. 6.12 added dev_xdp_propagate(), a
 * driver's way to pass its program to a lower device; on 6.1 that is the
 * lower device's ndo_bpf, which is all it does there.
 */
#ifndef LAG_HAVE_XDP_FEATURES
#define NETDEV_XDP_FEAT_CHANGE	(~0UL)	/* never sent */
#endif

#ifndef LAG_HAVE_DEV_XDP_PROPAGATE
static inline int dev_xdp_propagate(struct net_device *dev,
				    struct netdev_bpf *bpf)
{
	if (!dev->netdev_ops->ndo_bpf)
		return -EOPNOTSUPP;
	return dev->netdev_ops->ndo_bpf(dev, bpf);
}
#endif

#include <linux/netlink.h>

#ifndef NL_SET_ERR_MSG_FMT
/* 6.1 cannot format extack messages: say where to look, log the details. */
#define NL_SET_ERR_MSG_FMT(extack, fmt, args...) do {			\
	NL_SET_ERR_MSG(extack, "lag: refused, see the kernel log");	\
	pr_warn(fmt "\n", ##args);					\
} while (0)
#endif

#endif /* _LAG_COMPAT_H */

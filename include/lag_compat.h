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

#ifndef LAG_HAVE_NETDEV_BASE_FEATURES
static inline netdev_features_t netdev_base_features(netdev_features_t features)
{
	features &= ~NETIF_F_ONE_FOR_ALL;
	if (features & NETIF_F_HW_CSUM)
		features |= NETIF_F_ALL_FOR_ALL;
	return features;
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

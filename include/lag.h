/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lag: IEEE 802.1AX link aggregation - private definitions shared by the
 * device, netlink and sysfs code.
 */
#ifndef _LAG_H
#define _LAG_H

#include <linux/netdevice.h>

#define LAG_DRV_NAME	"lag"
#define LAG_DRV_VERSION	"0.1"

/**
 * struct lag - private data of a LAG net_device
 * @dev: the LAG's own net_device
 *
 * Locking: configuration changes run under RTNL.
 */
struct lag {
	struct net_device *dev;
};

void lag_setup(struct net_device *dev);
extern struct rtnl_link_ops lag_link_ops;
int lag_netlink_init(void);
void lag_netlink_fini(void);

#endif /* _LAG_H */

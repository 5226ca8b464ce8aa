// SPDX-License-Identifier: GPL-2.0
/*
 * lag: IEEE 802.1AX (802.3ad) LACP link aggregation.
 *
 * The LAG net_device, its members and the datapath.
 */

#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <net/rtnetlink.h>

#include "lag.h"

static int lag_open(struct net_device *dev)
{
	netif_carrier_off(dev);
	netif_start_queue(dev);
	return 0;
}

static int lag_stop(struct net_device *dev)
{
	netif_stop_queue(dev);
	return 0;
}

static netdev_tx_t lag_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	dev_core_stats_tx_dropped_inc(dev);
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops lag_netdev_ops = {
	.ndo_open		= lag_open,
	.ndo_stop		= lag_stop,
	.ndo_start_xmit		= lag_start_xmit,
	.ndo_set_mac_address	= eth_mac_addr,
	.ndo_validate_addr	= eth_validate_addr,
};

/**
 * lag_setup - initialise a new LAG net_device
 * @dev: the device being created by rtnl_link_ops
 */
void lag_setup(struct net_device *dev)
{
	struct lag *lag = netdev_priv(dev);

	ether_setup(dev);
	lag->dev = dev;
	dev->netdev_ops = &lag_netdev_ops;
	dev->needs_free_netdev = true;
	dev->priv_flags |= IFF_NO_QUEUE;
	dev->priv_flags &= ~IFF_TX_SKB_SHARING;
	eth_hw_addr_random(dev);
}

static int __init lag_init(void)
{
	return lag_netlink_init();
}

static void __exit lag_exit(void)
{
	lag_netlink_fini();
}

module_init(lag_init);
module_exit(lag_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("IEEE 802.1AX LACP link aggregation");
MODULE_VERSION(LAG_DRV_VERSION);
MODULE_ALIAS_RTNL_LINK(LAG_DRV_NAME);

// SPDX-License-Identifier: GPL-2.0
/*
 * lag: rtnetlink configuration of LAG devices (ip link ... type lag).
 */

#include <linux/module.h>
#include <net/rtnetlink.h>

#include "lag.h"

struct rtnl_link_ops lag_link_ops __read_mostly = {
	.kind		= LAG_DRV_NAME,
	.priv_size	= sizeof(struct lag),
	.setup		= lag_setup,
};

/**
 * lag_netlink_init - register the "lag" link kind
 *
 * Return: 0 or a negative errno from rtnl_link_register().
 */
int lag_netlink_init(void)
{
	return rtnl_link_register(&lag_link_ops);
}

/**
 * lag_netlink_fini - unregister the "lag" link kind
 *
 * Deletes every LAG device in every network namespace.
 */
void lag_netlink_fini(void)
{
	rtnl_link_unregister(&lag_link_ops);
}

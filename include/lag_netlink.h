/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lag: rtnetlink internals exposed to the KUnit suites only.
 */
#ifndef _LAG_NETLINK_H
#define _LAG_NETLINK_H

#include <net/netlink.h>

#include "uapi/linux/if_lag.h"

#if IS_ENABLED(CONFIG_KUNIT)
extern struct nla_policy lag_nl_policy[IFLA_LAG_MAX + 1];
extern struct nla_policy lag_port_nl_policy[IFLA_LAG_PORT_MAX + 1];
int lag_nl_validate(struct nlattr *tb[], struct nlattr *data[],
		    struct netlink_ext_ack *extack);
#endif

#endif /* _LAG_NETLINK_H */

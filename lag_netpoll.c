// SPDX-License-Identifier: GPL-2.0
/*
 * lag: netpoll (netconsole and friends) over a LAG.
 *
 * netpoll transmits with IRQs off, where dev_queue_xmit() must not be
 * called. A LAG used by netpoll therefore has a netpoll of its own on every
 * member, set up when the LAG's is (ndo_netpoll_setup) and when a member
 * joins such a LAG, and its transmit hands a frame to the member the hash
 * picked through that member's netpoll. A member that cannot poll (veth,
 * for one, sets IFF_DISABLE_NETPOLL) makes the LAG's setup fail and cannot
 * join a LAG that polls.
 *
 * Locking: &lag_port.np is published with rcu_assign_pointer() under RTNL
 * (the core calls ndo_netpoll_setup and ndo_netpoll_cleanup with it held)
 * and read by netpoll's transmit, which runs with IRQs off: an RCU
 * read-side critical section. __netpoll_free() waits for a grace period
 * before it frees the member's netpoll, so a reader never sees it freed.
 */

#include <linux/netdevice.h>
#include <linux/netpoll.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "lag.h"
#include "lag_compat.h"

#ifdef CONFIG_NET_POLL_CONTROLLER

/* The LAG is used by netpoll now. RTNL held. */
static bool lag_netpoll_active(const struct lag *lag)
{
	return rcu_access_pointer(lag->dev->npinfo);
}

/* Through netconsole there is no extack: the log says it then. */
static void lag_netpoll_refuse(const struct lag *lag, const struct net_device *pd,
			       struct netlink_ext_ack *extack)
{
	const char *name = lag->dev->name;

	if (extack)
		NL_SET_ERR_MSG_FMT(extack, "%s: %s cannot poll, and %s uses netpoll (netconsole)",
				   name, pd->name, name);
	else
		netdev_err(lag->dev, "%s cannot poll: netpoll (netconsole) on %s needs members that can\n",
			   pd->name, name);
}

/**
 * lag_netpoll_can_join - may a device join this LAG, as netpoll goes?
 * @lag: the LAG
 * @pd: the device joining
 * @extack: where a refusal is explained
 *
 * Context: RTNL held; before anything of @pd changes.
 * Return: 0, or -EOPNOTSUPP when the LAG is used by netpoll and @pd
 * cannot poll.
 */
int lag_netpoll_can_join(const struct lag *lag, const struct net_device *pd,
			 struct netlink_ext_ack *extack)
{
	if (!lag_netpoll_active(lag) || !(pd->priv_flags & IFF_DISABLE_NETPOLL))
		return 0;
	lag_netpoll_refuse(lag, pd, extack);
	return -EOPNOTSUPP;
}

static int lag_netpoll_port_enable(struct lag_port *port,
				   struct netlink_ext_ack *extack)
{
	struct net_device *pd = port->dev;
	struct netpoll *np;
	int err;

	if (pd->priv_flags & IFF_DISABLE_NETPOLL) {
		err = -EOPNOTSUPP;
		goto refused;
	}
	np = kzalloc(sizeof(*np), GFP_KERNEL);
	if (!np)
		return -ENOMEM;
	err = __netpoll_setup(np, pd);
	if (err) {
		kfree(np);
		goto refused;
	}
	rcu_assign_pointer(port->np, np);
	return 0;

refused:
	lag_netpoll_refuse(port->lag, pd, extack);
	return err;
}

/**
 * lag_netpoll_port_add - a member joins: netpoll on it if the LAG has it
 * @port: the member, linked under the LAG but not yet distributing
 * @extack: where a refusal is explained
 *
 * Context: RTNL held.
 * Return: 0, or the errno of the member's netpoll setup.
 */
int lag_netpoll_port_add(struct lag_port *port, struct netlink_ext_ack *extack)
{
	if (!lag_netpoll_active(port->lag))
		return 0;
	return lag_netpoll_port_enable(port, extack);
}

/**
 * lag_netpoll_port_del - a member leaves: its netpoll goes
 * @port: the member, no longer distributing
 *
 * Context: RTNL held; may sleep (a grace period) when it had netpoll.
 */
void lag_netpoll_port_del(struct lag_port *port)
{
	struct netpoll *np = rtnl_dereference(port->np);

	if (!np)
		return;
	RCU_INIT_POINTER(port->np, NULL);
	/* Waits for the IRQs-off readers in lag_netpoll_send(). */
	__netpoll_free(np);
}

/**
 * lag_netpoll_send - transmit a netpoll frame on a member
 * @lag: the LAG
 * @pd: the member the hash picked, from the LAG's transmit table
 * @skb: the frame, its @dev already @pd
 *
 * Context: netpoll's transmit, IRQs off (an RCU reader).
 * Return: netpoll_send_skb()'s verdict; the frame is dropped when @pd is
 * no member with a netpoll of this LAG (it is leaving).
 */
netdev_tx_t lag_netpoll_send(const struct lag *lag, struct net_device *pd,
			     struct sk_buff *skb)
{
	struct netpoll *np = NULL;
	struct lag_port *port;

	if (lag_is_port_dev(pd)) {
		port = rcu_dereference_bh(pd->rx_handler_data);
		if (port && port->lag == lag)
			np = rcu_dereference_bh(port->np);
	}
	/* With a NULL netpoll, it frees the frame and says NET_XMIT_DROP. */
	return netpoll_send_skb(np, skb);
}

/**
 * lag_netpoll_cleanup - ndo_netpoll_cleanup: the LAG's netpoll goes
 * @dev: the LAG
 *
 * Frees every member's netpoll; also undoes a partial lag_netpoll_setup().
 *
 * Context: RTNL held; may sleep.
 */
void lag_netpoll_cleanup(struct net_device *dev)
{
	struct lag *lag = netdev_priv(dev);
	struct lag_port *port;

	list_for_each_entry(port, &lag->ports, list)
		lag_netpoll_port_del(port);
}

/**
 * lag_netpoll_setup - ndo_netpoll_setup: a netpoll on every member, or none
 * @dev: the LAG
 * @npinfo: the LAG's own netpoll state (unused: each member has its own)
 *
 * Context: RTNL held.
 * Return: 0, or the first member's refusal, with every member as before.
 */
int lag_netpoll_setup(struct net_device *dev, struct netpoll_info *npinfo)
{
	struct lag *lag = netdev_priv(dev);
	struct lag_port *port;
	int err;

	list_for_each_entry(port, &lag->ports, list) {
		err = lag_netpoll_port_enable(port, NULL);
		if (err) {
			lag_netpoll_cleanup(dev);
			return err;
		}
	}
	return 0;
}

/**
 * lag_poll_controller - ndo_poll_controller: poll the distributing members
 * @dev: the LAG
 *
 * netpoll, out of transmit room, polls the members that carry its frames.
 *
 * Context: IRQs off, which is an RCU read-side section already; the RCU
 * read lock says so to lockdep and the reader.
 */
void lag_poll_controller(struct net_device *dev)
{
	struct lag *lag = netdev_priv(dev);
	struct lag_port *port;

	rcu_read_lock();
	list_for_each_entry_rcu(port, &lag->ports, list)
		if (READ_ONCE(port->distributing))
			netpoll_poll_dev(port->dev);
	rcu_read_unlock();
}

#endif /* CONFIG_NET_POLL_CONTROLLER */

// SPDX-License-Identifier: GPL-2.0
/*
 * lag: rtnetlink configuration of LAG devices (ip link ... type lag) and
 * the LACP state of their members (ip -d link show <member>).
 *
 * Every request is checked in full, by the policies and lag_nl_validate(),
 * before rtnetlink calls newlink or changelink; those then apply settings
 * that cannot fail, so a refused request changes nothing.
 */

#include <linux/build_bug.h>
#include <linux/etherdevice.h>
#include <linux/module.h>
#include <linux/rtnetlink.h>
#include <net/netlink.h>
#include <net/rtnetlink.h>
#include <kunit/visibility.h>

#include "lag.h"
#include "lag_netlink.h"

#define LAG_NL_READ_ONLY(_name) \
	{ .type = NLA_REJECT, .reject_message = _name " is read-only" }

VISIBLE_IF_KUNIT const struct nla_policy lag_nl_policy[IFLA_LAG_MAX + 1] = {
	[IFLA_LAG_MIN_LINKS]	 = NLA_POLICY_MAX(NLA_U8, LAG_MAX_PORTS),
	[IFLA_LAG_LACP_RATE]	 = NLA_POLICY_MAX(NLA_U8, 1),
	[IFLA_LAG_LACP_ACTIVE]	 = NLA_POLICY_MAX(NLA_U8, 1),
	[IFLA_LAG_LACP_FALLBACK] = NLA_POLICY_MAX(NLA_U8, 1),
	[IFLA_LAG_XMIT_HASH_POLICY] =
		NLA_POLICY_MAX(NLA_U8, __LAG_XMIT_POLICY_MAX - 1),
	[IFLA_LAG_ACTOR_SYS_PRIO] = NLA_POLICY_MIN(NLA_U16, 1),
	[IFLA_LAG_ACTOR_SYSTEM]	 = NLA_POLICY_ETH_ADDR,
	[IFLA_LAG_USER_PORT_KEY] = NLA_POLICY_MAX(NLA_U16, LAG_USER_PORT_KEY_MAX),
	[IFLA_LAG_ACTIVE_PORTS]	 = LAG_NL_READ_ONLY("active_ports"),
	[IFLA_LAG_ACTIVE_AGG_ID] = LAG_NL_READ_ONLY("active_aggregator"),
	[IFLA_LAG_PARTNER_SYSTEM] = LAG_NL_READ_ONLY("partner_system"),
	[IFLA_LAG_PARTNER_SYS_PRIO] = LAG_NL_READ_ONLY("partner_sys_prio"),
	[IFLA_LAG_PARTNER_KEY]	 = LAG_NL_READ_ONLY("partner_key"),
};
EXPORT_SYMBOL_IF_KUNIT(lag_nl_policy);

VISIBLE_IF_KUNIT const struct nla_policy lag_port_nl_policy[IFLA_LAG_PORT_MAX + 1] = {
	[IFLA_LAG_PORT_MUX_STATE]	= LAG_NL_READ_ONLY("mux_state"),
	[IFLA_LAG_PORT_ACTOR_STATE]	= LAG_NL_READ_ONLY("actor_state"),
	[IFLA_LAG_PORT_PARTNER_STATE]	= LAG_NL_READ_ONLY("partner_state"),
	[IFLA_LAG_PORT_PORT_NUMBER]	= LAG_NL_READ_ONLY("port_number"),
	[IFLA_LAG_PORT_PORT_PRIO]	= { .type = NLA_U16 },
	[IFLA_LAG_PORT_ACTOR_KEY]	= LAG_NL_READ_ONLY("actor_key"),
	[IFLA_LAG_PORT_PARTNER_SYSTEM]	= LAG_NL_READ_ONLY("partner_system"),
	[IFLA_LAG_PORT_PARTNER_KEY]	= LAG_NL_READ_ONLY("partner_key"),
	[IFLA_LAG_PORT_PARTNER_PORT]	= LAG_NL_READ_ONLY("partner_port"),
	[IFLA_LAG_PORT_AGG_ID]		= LAG_NL_READ_ONLY("aggregator_id"),
	[IFLA_LAG_PORT_REASON]		= LAG_NL_READ_ONLY("reason"),
	[IFLA_LAG_PORT_LACPDU_RX]	= LAG_NL_READ_ONLY("lacpdu_rx"),
	[IFLA_LAG_PORT_LACPDU_TX]	= LAG_NL_READ_ONLY("lacpdu_tx"),
	[IFLA_LAG_PORT_LACPDU_RX_ERRORS] = LAG_NL_READ_ONLY("lacpdu_rx_errors"),
	[IFLA_LAG_PORT_MARKER_RX]	= LAG_NL_READ_ONLY("marker_rx"),
	[IFLA_LAG_PORT_MARKER_TX]	= LAG_NL_READ_ONLY("marker_tx"),
	[IFLA_LAG_PORT_PAD]		= LAG_NL_READ_ONLY("pad"),
};
EXPORT_SYMBOL_IF_KUNIT(lag_port_nl_policy);

/**
 * lag_nl_validate - the checks of a LAG request that a policy cannot make
 * @tb: the request's IFLA_* attributes
 * @data: its IFLA_LAG_* attributes, already checked against lag_nl_policy;
 *        NULL when it has none
 * @extack: where a refusal is explained
 *
 * Return: 0, or -EINVAL with @extack naming the attribute.
 */
VISIBLE_IF_KUNIT int lag_nl_validate(struct nlattr *tb[], struct nlattr *data[],
				     struct netlink_ext_ack *extack)
{
	struct nlattr *a;

	if (!data)
		return 0;
	a = data[IFLA_LAG_ACTOR_SYSTEM];
	if (a && is_multicast_ether_addr(nla_data(a))) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "actor_system must be a unicast address, or all-zero for the LAG's own");
		return -EINVAL;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(lag_nl_validate);

/*
 * Apply a request that passed the policy and lag_nl_validate(): nothing here
 * can fail. RTNL held.
 */
static void lag_nl_apply(struct lag *lag, struct nlattr *data[])
{
	u64 now;

	if (!data)
		return;
	if (data[IFLA_LAG_MIN_LINKS])
		lag_set_min_links(lag, nla_get_u8(data[IFLA_LAG_MIN_LINKS]));
	if (data[IFLA_LAG_XMIT_HASH_POLICY])
		lag_set_hash_policy(lag, nla_get_u8(data[IFLA_LAG_XMIT_HASH_POLICY]));

	lag_lock(lag);
	now = lag_now();
	if (data[IFLA_LAG_LACP_RATE])
		lacp_group_set_fast(&lag->lacp,
				    nla_get_u8(data[IFLA_LAG_LACP_RATE]), now);
	if (data[IFLA_LAG_LACP_ACTIVE])
		lacp_group_set_active(&lag->lacp,
				      nla_get_u8(data[IFLA_LAG_LACP_ACTIVE]), now);
	if (data[IFLA_LAG_LACP_FALLBACK])
		lacp_group_set_fallback(&lag->lacp,
					nla_get_u8(data[IFLA_LAG_LACP_FALLBACK]),
					now);
	if (data[IFLA_LAG_ACTOR_SYS_PRIO])
		lacp_group_set_sys_prio(&lag->lacp,
					nla_get_u16(data[IFLA_LAG_ACTOR_SYS_PRIO]),
					now);
	/* In range by the policy, so the core accepts it. */
	if (data[IFLA_LAG_USER_PORT_KEY])
		WARN_ON_ONCE(lacp_group_set_user_key(&lag->lacp,
						     nla_get_u16(data[IFLA_LAG_USER_PORT_KEY]),
						     now));
	if (data[IFLA_LAG_ACTOR_SYSTEM])
		nla_memcpy(lag->actor_system, data[IFLA_LAG_ACTOR_SYSTEM],
			   ETH_ALEN);
	lag_unlock(lag);

	if (data[IFLA_LAG_ACTOR_SYSTEM])
		lag_lacp_update_system(lag);
}

/*
 * Options are applied before the device is registered: if registration
 * fails, rtnetlink frees the device and nothing of the request remains.
 */
static int lag_newlink(struct net *src_net, struct net_device *dev,
		       struct nlattr *tb[], struct nlattr *data[],
		       struct netlink_ext_ack *extack)
{
	lag_nl_apply(netdev_priv(dev), data);
	return register_netdevice(dev);
}

static int lag_changelink(struct net_device *dev, struct nlattr *tb[],
			  struct nlattr *data[], struct netlink_ext_ack *extack)
{
	lag_nl_apply(netdev_priv(dev), data);
	return 0;
}

static size_t lag_get_size(const struct net_device *dev)
{
	return nla_total_size(sizeof(u8)) +	/* IFLA_LAG_MIN_LINKS */
	       nla_total_size(sizeof(u8)) +	/* IFLA_LAG_LACP_RATE */
	       nla_total_size(sizeof(u8)) +	/* IFLA_LAG_LACP_ACTIVE */
	       nla_total_size(sizeof(u8)) +	/* IFLA_LAG_LACP_FALLBACK */
	       nla_total_size(sizeof(u8)) +	/* IFLA_LAG_XMIT_HASH_POLICY */
	       nla_total_size(sizeof(u16)) +	/* IFLA_LAG_ACTOR_SYS_PRIO */
	       nla_total_size(ETH_ALEN) +	/* IFLA_LAG_ACTOR_SYSTEM */
	       nla_total_size(sizeof(u16)) +	/* IFLA_LAG_USER_PORT_KEY */
	       nla_total_size(sizeof(u8)) +	/* IFLA_LAG_ACTIVE_PORTS */
	       nla_total_size(sizeof(u16)) +	/* IFLA_LAG_ACTIVE_AGG_ID */
	       nla_total_size(ETH_ALEN) +	/* IFLA_LAG_PARTNER_SYSTEM */
	       nla_total_size(sizeof(u16)) +	/* IFLA_LAG_PARTNER_SYS_PRIO */
	       nla_total_size(sizeof(u16));	/* IFLA_LAG_PARTNER_KEY */
}

static int lag_fill_info(struct sk_buff *skb, const struct net_device *dev)
{
	struct lag *lag = netdev_priv(dev);
	struct lacp_agg agg = {};
	u8 actor_system[ETH_ALEN];
	bool fast, active, fallback;
	u16 sys_prio, user_key;
	u8 min_links;
	int i;

	spin_lock_bh(&lag->lock);
	min_links = lag->min_links;
	fast = lag->lacp.fast;
	active = lag->lacp.active;
	fallback = lag->lacp.fallback;
	sys_prio = lag->lacp.sys_prio;
	user_key = lag->lacp.user_key;
	ether_addr_copy(actor_system, lag->actor_system);
	for (i = 0; i < ARRAY_SIZE(lag->lacp.aggs); i++) {
		if (lag->lacp.active_agg &&
		    lag->lacp.aggs[i].id == lag->lacp.active_agg)
			agg = lag->lacp.aggs[i];
	}
	spin_unlock_bh(&lag->lock);

	if (nla_put_u8(skb, IFLA_LAG_MIN_LINKS, min_links) ||
	    nla_put_u8(skb, IFLA_LAG_LACP_RATE, fast) ||
	    nla_put_u8(skb, IFLA_LAG_LACP_ACTIVE, active) ||
	    nla_put_u8(skb, IFLA_LAG_LACP_FALLBACK, fallback) ||
	    nla_put_u8(skb, IFLA_LAG_XMIT_HASH_POLICY,
		       READ_ONCE(lag->hash_policy)) ||
	    nla_put_u16(skb, IFLA_LAG_ACTOR_SYS_PRIO, sys_prio) ||
	    nla_put(skb, IFLA_LAG_ACTOR_SYSTEM, ETH_ALEN, actor_system) ||
	    nla_put_u16(skb, IFLA_LAG_USER_PORT_KEY, user_key) ||
	    nla_put_u8(skb, IFLA_LAG_ACTIVE_PORTS, lag_active_ports(lag)) ||
	    nla_put_u16(skb, IFLA_LAG_ACTIVE_AGG_ID, agg.id) ||
	    nla_put(skb, IFLA_LAG_PARTNER_SYSTEM, ETH_ALEN, agg.partner_system) ||
	    nla_put_u16(skb, IFLA_LAG_PARTNER_SYS_PRIO, agg.partner_sys_prio) ||
	    nla_put_u16(skb, IFLA_LAG_PARTNER_KEY, agg.partner_key))
		return -EMSGSIZE;
	return 0;
}

/* ---- members ----------------------------------------------------------- */

/* The member behind a device whose master is one of our LAGs, or NULL. */
static struct lag_port *lag_nl_port(const struct net_device *slave_dev)
{
	if (!lag_is_port_dev(slave_dev))
		return NULL;
	return rcu_dereference_rtnl(slave_dev->rx_handler_data);
}

static size_t lag_get_slave_size(const struct net_device *dev,
				 const struct net_device *slave_dev)
{
	return nla_total_size(sizeof(u8)) +	/* IFLA_LAG_PORT_MUX_STATE */
	       nla_total_size(sizeof(u8)) +	/* IFLA_LAG_PORT_ACTOR_STATE */
	       nla_total_size(sizeof(u8)) +	/* IFLA_LAG_PORT_PARTNER_STATE */
	       nla_total_size(sizeof(u16)) +	/* IFLA_LAG_PORT_PORT_NUMBER */
	       nla_total_size(sizeof(u16)) +	/* IFLA_LAG_PORT_PORT_PRIO */
	       nla_total_size(sizeof(u16)) +	/* IFLA_LAG_PORT_ACTOR_KEY */
	       nla_total_size(ETH_ALEN) +	/* IFLA_LAG_PORT_PARTNER_SYSTEM */
	       nla_total_size(sizeof(u16)) +	/* IFLA_LAG_PORT_PARTNER_KEY */
	       nla_total_size(sizeof(u16)) +	/* IFLA_LAG_PORT_PARTNER_PORT */
	       nla_total_size(sizeof(u16)) +	/* IFLA_LAG_PORT_AGG_ID */
	       nla_total_size(sizeof(u8)) +	/* IFLA_LAG_PORT_REASON */
	       nla_total_size_64bit(sizeof(u64)) * 5; /* the counters */
}

static int lag_fill_slave_info(struct sk_buff *skb,
			       const struct net_device *dev,
			       const struct net_device *slave_dev)
{
	struct lag_port *port;
	struct lacp_port lp;
	bool running;
	u8 reason;
	int err = 0;

	rcu_read_lock();
	port = lag_nl_port(slave_dev);
	if (!port || port->lag != netdev_priv(dev))
		goto out;

	spin_lock_bh(&port->lag->lock);
	lp = port->lacp;
	running = READ_ONCE(port->lag->running);
	spin_unlock_bh(&port->lag->lock);
	reason = running ? lp.reason : LAG_PORT_REASON_LAG_DOWN;

	if (nla_put_u8(skb, IFLA_LAG_PORT_MUX_STATE, lp.mux_state) ||
	    nla_put_u8(skb, IFLA_LAG_PORT_ACTOR_STATE, lp.actor.state) ||
	    nla_put_u8(skb, IFLA_LAG_PORT_PARTNER_STATE, lp.partner.state) ||
	    nla_put_u16(skb, IFLA_LAG_PORT_PORT_NUMBER, lp.port_number) ||
	    nla_put_u16(skb, IFLA_LAG_PORT_PORT_PRIO, lp.port_prio) ||
	    nla_put_u16(skb, IFLA_LAG_PORT_ACTOR_KEY, lp.actor.key) ||
	    nla_put(skb, IFLA_LAG_PORT_PARTNER_SYSTEM, ETH_ALEN,
		    lp.partner.system) ||
	    nla_put_u16(skb, IFLA_LAG_PORT_PARTNER_KEY, lp.partner.key) ||
	    nla_put_u16(skb, IFLA_LAG_PORT_PARTNER_PORT, lp.partner.port) ||
	    nla_put_u16(skb, IFLA_LAG_PORT_AGG_ID, lp.agg_id) ||
	    nla_put_u8(skb, IFLA_LAG_PORT_REASON, reason) ||
	    nla_put_u64_64bit(skb, IFLA_LAG_PORT_LACPDU_RX, lp.stats.lacpdu_rx,
			      IFLA_LAG_PORT_PAD) ||
	    nla_put_u64_64bit(skb, IFLA_LAG_PORT_LACPDU_TX, lp.stats.lacpdu_tx,
			      IFLA_LAG_PORT_PAD) ||
	    nla_put_u64_64bit(skb, IFLA_LAG_PORT_LACPDU_RX_ERRORS,
			      lp.stats.lacpdu_rx_errors, IFLA_LAG_PORT_PAD) ||
	    nla_put_u64_64bit(skb, IFLA_LAG_PORT_MARKER_RX, lp.stats.marker_rx,
			      IFLA_LAG_PORT_PAD) ||
	    nla_put_u64_64bit(skb, IFLA_LAG_PORT_MARKER_TX, lp.stats.marker_tx,
			      IFLA_LAG_PORT_PAD))
		err = -EMSGSIZE;
out:
	rcu_read_unlock();
	return err;
}

static int lag_slave_changelink(struct net_device *dev,
				struct net_device *slave_dev,
				struct nlattr *tb[], struct nlattr *data[],
				struct netlink_ext_ack *extack)
{
	struct lag *lag = netdev_priv(dev);
	struct lag_port *port;

	ASSERT_RTNL();
	port = lag_nl_port(slave_dev);
	if (!port || port->lag != lag) {
		NL_SET_ERR_MSG(extack, "not a member of this LAG");
		return -EINVAL;
	}
	if (!data || !data[IFLA_LAG_PORT_PORT_PRIO])
		return 0;

	lag_lock(lag);
	lacp_port_set_prio(&port->lacp, nla_get_u16(data[IFLA_LAG_PORT_PORT_PRIO]),
			   lag_now());
	lag_unlock(lag);
	return 0;
}

struct rtnl_link_ops lag_link_ops __read_mostly = {
	.kind			= LAG_DRV_NAME,
	.priv_size		= sizeof(struct lag),
	.setup			= lag_setup,
	.maxtype		= IFLA_LAG_MAX,
	.policy			= lag_nl_policy,
	.validate		= lag_nl_validate,
	.newlink		= lag_newlink,
	.changelink		= lag_changelink,
	.get_size		= lag_get_size,
	.fill_info		= lag_fill_info,
	.slave_maxtype		= IFLA_LAG_PORT_MAX,
	.slave_policy		= lag_port_nl_policy,
	.slave_changelink	= lag_slave_changelink,
	.get_slave_size		= lag_get_slave_size,
	.fill_slave_info	= lag_fill_slave_info,
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

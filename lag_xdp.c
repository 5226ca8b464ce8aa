// SPDX-License-Identifier: GPL-2.0
/*
 * lag: XDP on a LAG.
 *
 * A LAG has no receive queue of its own: frames arrive in its members'
 * drivers. A native XDP program attached to the LAG (ndo_bpf) is therefore
 * attached to every member, as bonding does: to the members it has, to
 * every member that joins while it is attached, and taken from a member
 * that leaves. A member whose driver has no native XDP (no ndo_bpf, or no
 * ndo_xdp_xmit for frames the LAG hands it) is refused: the attach fails
 * while the LAG has one, and such a device cannot join while a program is
 * attached. Neither changes anything.
 *
 * A frame redirected into the LAG (ndo_xdp_xmit, from a devmap or
 * bpf_redirect()) is hashed with lag's hash (lag_hash_buf(), the skb hash
 * on the frame's bytes) to a bucket of the transmit table, and handed to
 * that member's ndo_xdp_xmit: the member an skb of the same flow takes
 * (under encap3+4, an skb that carries no L4 hash: see lag_hash_skb()).
 *
 * XDP_TX: the core turns a member's XDP_TX into a redirect to the member
 * its master's ndo_xdp_get_xmit_slave picks (xdp_master_redirect()) only
 * for bonding's slaves: bpf_prog_run_xdp() tests netif_is_bond_slave(),
 * that is IFF_BONDING, and bonding alone enables the static key it is
 * behind. lag cannot take that flag: bonding's netdev notifier reads the
 * rx_handler_data of every IFF_BONDING IFF_SLAVE device as its own struct
 * slave (and several drivers take such a device for a bond's). So on a
 * LAG, XDP_TX leaves by the member the frame came in on, as on that device
 * alone; a program that wants the LAG's hash returns
 * bpf_redirect(lag ifindex, 0) instead, which goes through ndo_xdp_xmit.
 * ndo_xdp_get_xmit_slave answers for the core's helper all the same.
 *
 * Program references: the core hands ndo_bpf a reference the driver owns
 * from then on and puts when it drops the program (dev_xdp_install()).
 * The LAG keeps the one it is given in &lag.xdp_prog, and gives each
 * member's driver one of its own, taken before the member's ndo_bpf and
 * put back if the member refuses.
 *
 * Locking: &lag.xdp_prog is set and read under RTNL only (ndo_bpf,
 * membership); the datapath never reads it: the members' drivers run the
 * program under their own rules. The transmit side (lag_xdp_xmit(),
 * lag_xdp_get_xmit_slave()) takes no lock and no atomic: it reads the
 * transmit table as lag_start_xmit() does (see struct lag), as an RCU
 * reader: the core calls both with BH disabled (NAPI, the cpumap kthread),
 * an RCU read-side section, and a member's device outlives every such
 * reader (its slot is cleared before its release's synchronize_net()).
 */

#include <linux/bpf.h>
#include <linux/filter.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/xdp.h>

#include "lag.h"
#include "lag_compat.h"
#include "lag_xdp.h"

/* A member can run the LAG's program and take the frames it hands it. */
static bool lag_xdp_native(const struct net_device *pd)
{
	return pd->netdev_ops->ndo_bpf && pd->netdev_ops->ndo_xdp_xmit;
}

/*
 * Why @pd cannot run the LAG's program, if it cannot: no native XDP, or a
 * program of its own (which the LAG's would replace). @joining: said of a
 * device joining a LAG with a program, else of an attach. RTNL held.
 */
static int lag_xdp_check(const struct lag *lag, struct net_device *pd,
			 bool joining, struct netlink_ext_ack *extack)
{
	const char *name = lag->dev->name;

	if (!lag_xdp_native(pd) && joining) {
		NL_SET_ERR_MSG_FMT(extack, "%s: %s has no native XDP, and %s has an XDP program",
				   name, pd->name, name);
		return -EOPNOTSUPP;
	}
	if (!lag_xdp_native(pd)) {
		NL_SET_ERR_MSG_FMT(extack, "%s: member %s has no native XDP",
				   name, pd->name);
		return -EOPNOTSUPP;
	}
	if (dev_xdp_prog_count(pd)) {
		NL_SET_ERR_MSG_FMT(extack, "%s: %s has an XDP program of its own: detach it first",
				   name, pd->name);
		return -EBUSY;
	}
	return 0;
}

/*
 * Attach @prog to (NULL: detach the LAG's from) one member. Its driver
 * owns a reference from then on: one taken here, put back if it refuses.
 * RTNL held.
 */
static int lag_xdp_port_set(struct lag *lag, struct net_device *pd,
			    struct bpf_prog *prog, struct netlink_ext_ack *extack)
{
	struct netdev_bpf xdp = {
		.command = XDP_SETUP_PROG,
		.prog = prog,
		.extack = extack,
	};
	int err;

	if (prog)
		bpf_prog_inc(prog);
	err = dev_xdp_propagate(pd, &xdp);
	if (!err)
		return 0;
	if (prog)
		bpf_prog_put(prog);
	/* The driver's own message, when it gave one, says more. */
	if (extack && !extack->_msg)
		NL_SET_ERR_MSG_FMT(extack, "%s: %s refused the XDP program: %pe",
				   lag->dev->name, pd->name, ERR_PTR(err));
	return err;
}

/* Every member's program goes; none may fail to let it go. RTNL held. */
static void lag_xdp_detach(struct lag *lag)
{
	struct lag_port *port;
	int err;

	list_for_each_entry(port, &lag->ports, list) {
		err = lag_xdp_port_set(lag, port->dev, NULL, NULL);
		if (err)
			netdev_err(lag->dev, "%s kept the LAG's XDP program: %pe\n",
				   port->dev->name, ERR_PTR(err));
	}
}

/*
 * XDP_SETUP_PROG: @prog on every member, or on none and the old one stays.
 * Detaching (@prog NULL) cannot fail: the core detaches a LAG being
 * unregistered and warns on an error. RTNL held.
 */
static int lag_xdp_set(struct lag *lag, struct bpf_prog *prog,
		       struct netlink_ext_ack *extack)
{
	struct bpf_prog *old = lag->xdp_prog;
	struct lag_port *port, *failed;
	int err;

	ASSERT_RTNL();
	if (!prog) {
		lag_xdp_detach(lag);
		goto done;
	}

	/* Every member's refusal that can be told in advance, first. */
	list_for_each_entry(port, &lag->ports, list) {
		err = lag_xdp_check(lag, port->dev, false, extack);
		if (err)
			return err;
	}
	list_for_each_entry(port, &lag->ports, list) {
		err = lag_xdp_port_set(lag, port->dev, prog, extack);
		if (err)
			goto unwind;
	}

done:
	/* The core's reference to @prog is the LAG's now; the old one goes. */
	lag->xdp_prog = prog;
	if (old)
		bpf_prog_put(old);
	return 0;

unwind:
	/* The members before the one that refused get the old program back. */
	failed = port;
	list_for_each_entry(port, &lag->ports, list) {
		if (port == failed)
			break;
		if (lag_xdp_port_set(lag, port->dev, old, NULL))
			netdev_err(lag->dev, "%s: cannot restore its XDP program\n",
				   port->dev->name);
	}
	return err;
}

/**
 * lag_xdp_bpf - ndo_bpf: attach or detach the LAG's native XDP program
 * @dev: the LAG
 * @bpf: the command; only XDP_SETUP_PROG is known
 *
 * Context: RTNL held (the core's dev_xdp_attach()).
 * Return: 0, -EOPNOTSUPP for other commands or a member without native
 * XDP, -EBUSY for a member with a program of its own, or a member
 * driver's refusal; with an extack message and every member as before.
 */
int lag_xdp_bpf(struct net_device *dev, struct netdev_bpf *bpf)
{
	switch (bpf->command) {
	case XDP_SETUP_PROG:
		return lag_xdp_set(netdev_priv(dev), bpf->prog, bpf->extack);
	default:
		/* No offload, no AF_XDP pool: the LAG has no queue of its own. */
		return -EOPNOTSUPP;
	}
}

/**
 * lag_xdp_can_join - may a device join this LAG, as XDP goes?
 * @lag: the LAG
 * @pd: the device joining
 * @extack: where a refusal is explained
 *
 * While the LAG has a program, a device joins only if it can run it.
 *
 * Context: RTNL held; before anything of @pd changes.
 * Return: 0, -EOPNOTSUPP when @pd has no native XDP, -EBUSY when it has a
 * program of its own.
 */
int lag_xdp_can_join(const struct lag *lag, struct net_device *pd,
		     struct netlink_ext_ack *extack)
{
	if (!lag->xdp_prog)
		return 0;
	return lag_xdp_check(lag, pd, true, extack);
}

/**
 * lag_xdp_port_add - a member joins: it runs the LAG's program, if any
 * @port: the member, linked under the LAG, not yet distributing
 * @extack: where its driver's refusal is explained
 *
 * Context: RTNL held; after lag_xdp_can_join() accepted it.
 * Return: 0, or its driver's refusal.
 */
int lag_xdp_port_add(struct lag_port *port, struct netlink_ext_ack *extack)
{
	struct lag *lag = port->lag;

	if (!lag->xdp_prog)
		return 0;
	return lag_xdp_port_set(lag, port->dev, lag->xdp_prog, extack);
}

/**
 * lag_xdp_port_del - a member leaves: it loses the LAG's program
 * @port: the member, out of the transmit table
 *
 * Context: RTNL held.
 */
void lag_xdp_port_del(struct lag_port *port)
{
	struct lag *lag = port->lag;
	int err;

	if (!lag->xdp_prog)
		return;
	err = lag_xdp_port_set(lag, port->dev, NULL, NULL);
	if (err)
		netdev_err(lag->dev, "%s left with the LAG's XDP program: %pe\n",
			   port->dev->name, ERR_PTR(err));
}

/**
 * lag_xdp_update_features - the LAG's XDP features: what every member has
 * @lag: the LAG
 *
 * None without members. Never AF_XDP zero-copy (it binds a queue of the
 * device, and the LAG has none) nor offload (ndo_bpf offloads nothing).
 * On kernels without xdp_features (before 6.3) there is nothing to set:
 * lag_xdp_xmit() checks each member itself.
 *
 * Context: RTNL held; after a member joined or left, or a member's
 * features changed (NETDEV_XDP_FEAT_CHANGE).
 */
void lag_xdp_update_features(struct lag *lag)
{
#ifdef LAG_HAVE_XDP_FEATURES
	xdp_features_t val = NETDEV_XDP_ACT_MASK;
	struct lag_port *port;

	ASSERT_RTNL();
	if (!lag->nr_ports) {
		xdp_clear_features_flag(lag->dev);
		return;
	}
	list_for_each_entry(port, &lag->ports, list)
		val &= port->dev->xdp_features;
	val &= ~(NETDEV_XDP_ACT_XSK_ZEROCOPY | NETDEV_XDP_ACT_HW_OFFLOAD);
	xdp_set_features_flag(lag->dev, val);
#endif
}

/*
 * The distributing member a frame's hash picks, NULL if none. Lockless,
 * as lag_start_xmit(): an RCU reader with BH disabled or under
 * rcu_read_lock(); tx_mask once, the bucket and the slot's member once
 * each (see struct lag).
 */
static struct net_device *lag_xdp_pick(struct lag *lag, const struct net *net,
				       enum lag_xmit_hash_policy policy,
				       const void *data, unsigned int len)
{
	u32 hash;

	if (unlikely(!READ_ONCE(lag->tx_mask)))
		return NULL;
	hash = lag_hash_buf(net, data, len, policy);
	return rcu_dereference_check(lag->tx_dev[lag_bucket_lookup(&lag->buckets, hash)],
				     rcu_read_lock_bh_held());
}

/* A member that takes XDP frames (on 6.1 nothing else checks). */
static struct net_device *lag_xdp_pick_frame(struct lag *lag,
					     const struct net *net,
					     enum lag_xmit_hash_policy policy,
					     const struct xdp_frame *frame)
{
	struct net_device *pd = lag_xdp_pick(lag, net, policy, frame->data,
					     frame->len);

	return pd && pd->netdev_ops->ndo_xdp_xmit ? pd : NULL;
}

/**
 * lag_xdp_xmit - ndo_xdp_xmit: frames redirected into the LAG
 * @dev: the LAG
 * @n: the number of frames
 * @frames: the frames
 * @flags: XDP_XMIT_* flags, passed on to each member
 *
 * Each frame goes to the distributing member its hash picks, through that
 * member's ndo_xdp_xmit; consecutive frames for one member go in one call.
 * The frames sent are a prefix of @frames, as the caller expects: at the
 * first frame no member takes (no member distributes, or a member refused
 * some), the rest are not sent either, and the caller frees them. They are
 * counted in the LAG's tx_dropped, the others in its tx counters.
 *
 * Context: BH disabled (an RCU reader); lockless, no atomic.
 * Return: the number of frames sent, from the first.
 */
int lag_xdp_xmit(struct net_device *dev, int n, struct xdp_frame **frames,
		 u32 flags)
{
	enum lag_xmit_hash_policy policy;
	struct lag *lag = netdev_priv(dev);
	const struct net *net = dev_net(dev);
	struct net_device *pd, *next = NULL;
	int sent = 0, end, ret, took, i;
	u64 bytes = 0, chunk;

	policy = READ_ONCE(lag->hash_policy);
	pd = n > 0 ? lag_xdp_pick_frame(lag, net, policy, frames[0]) : NULL;
	while (pd) {
		chunk = xdp_get_frame_len(frames[sent]);
		for (end = sent + 1; end < n; end++) {
			next = lag_xdp_pick_frame(lag, net, policy, frames[end]);
			if (next != pd)
				break;
			chunk += xdp_get_frame_len(frames[end]);
		}
		/*
		 * The frames the member takes are its own from here on: its
		 * completion (a veth peer's NAPI on another CPU) may free them
		 * before it returns, so their lengths are read above, and
		 * only those of the frames it left, still ours, after.
		 */
		ret = pd->netdev_ops->ndo_xdp_xmit(pd, end - sent, frames + sent,
						   flags);
		took = ret > 0 ? min(ret, end - sent) : 0;
		for (i = sent + took; i < end; i++)
			chunk -= xdp_get_frame_len(frames[i]);
		bytes += chunk;
		sent += took;
		/* It took fewer (or failed, ret < 0): the rest is not sent. */
		if (sent != end)
			break;
		pd = end < n ? next : NULL;
	}

	if (sent)
		lag_dstats_tx_add_n(dev, sent, bytes);
	for (i = sent; i < n; i++)
		dev_dstats_tx_dropped(dev);
	return sent;
}

/**
 * lag_xdp_get_xmit_slave - ndo_xdp_get_xmit_slave: the member for a frame
 * @dev: the LAG
 * @xdp: the frame
 *
 * The distributing member lag_xdp_xmit() would give @xdp to. The core's
 * xdp_master_redirect() calls it for bonding's slaves only (see the top of
 * this file).
 *
 * Context: an RCU reader (BH disabled or rcu_read_lock()); lockless.
 * Return: that member, NULL when no member distributes.
 */
struct net_device *lag_xdp_get_xmit_slave(struct net_device *dev,
					  struct xdp_buff *xdp)
{
	struct lag *lag = netdev_priv(dev);

	return lag_xdp_pick(lag, dev_net(dev), READ_ONCE(lag->hash_policy),
			    xdp->data, xdp->data_end - xdp->data);
}

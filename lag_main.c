// SPDX-License-Identifier: GPL-2.0
/*
 * lag: IEEE 802.1AX (802.3ad) LACP link aggregation.
 *
 * The LAG net_device, its members and the datapath.
 *
 * Members are given the LAG's MAC address (as bonding and team do), so
 * unicast frames to the LAG are accepted by every member's own filter; the
 * LACP code sends from each member's original address, saved when it joined.
 *
 * The member set changes under RTNL. The states derived from it (which
 * members collect and distribute, the transmit table, the carrier) are
 * written under lag->lock, because LACP changes them from softirq. The
 * transmit path reads them without any lock (see struct lag).
 */

#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/if_arp.h>
#include <linux/if_vlan.h>
#include <linux/netpoll.h>
#include <linux/rtnetlink.h>
#include <net/rtnetlink.h>
#include <kunit/visibility.h>

#include "lag.h"
#include "lag_compat.h"
#include "lag_options.h"
#include "lag_xdp.h"

/**
 * lag_admission_check - the member-count and speed admission rules
 * @nr_ports: members the LAG has now
 * @lag_speed: the LAG's speed in Mb/s, SPEED_UNKNOWN while none is known
 * @port_speed: the candidate's speed in Mb/s, SPEED_UNKNOWN if unknown
 *
 * A candidate of unknown speed (link down) is admitted; its speed is
 * checked again when it becomes known.
 *
 * Return: 0, -ENOSPC when the LAG is full, -EINVAL when the speeds differ.
 */
int lag_admission_check(unsigned int nr_ports, u32 lag_speed, u32 port_speed)
{
	if (nr_ports >= LAG_MAX_PORTS)
		return -ENOSPC;
	if (lag_speed_known(lag_speed) && lag_speed_known(port_speed) &&
	    lag_speed != port_speed)
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(lag_admission_check);

static u32 lag_read_speed(struct net_device *dev, bool *full_duplex)
{
	struct ethtool_link_ksettings ks;

	ASSERT_RTNL();
	/*
	 * Only a link known to be half duplex keeps LACP off (802.1AX
	 * aggregates full-duplex links); many virtual devices report no
	 * duplex at all.
	 */
	*full_duplex = true;
	if (__ethtool_get_link_ksettings(dev, &ks))
		return SPEED_UNKNOWN;
	*full_duplex = ks.base.duplex != DUPLEX_HALF;
	if (!lag_speed_known(ks.base.speed))
		return SPEED_UNKNOWN;
	return ks.base.speed;
}

static struct lag_port *lag_port_get_rtnl(const struct net_device *dev)
{
	return rtnl_dereference(dev->rx_handler_data);
}

/* ---- datapath ---------------------------------------------------------- */

static rx_handler_result_t lag_handle_frame(struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;
	struct lag_port *port = rcu_dereference(skb->dev->rx_handler_data);
	struct lag *lag = port->lag;

	if (unlikely(skb->pkt_type == PACKET_LOOPBACK))
		return RX_HANDLER_PASS;

	if (unlikely(skb->protocol == htons(ETH_P_SLOW)))
		return lag_lacp_rx(port, skb);

	/*
	 * Other link-local frames (01:80:c2:00:00:0x: LLDP, EAPOL, ...) are
	 * the physical link's: they go to listeners bound to the member,
	 * collecting or not, never to the LAG; but the bridge group
	 * (:00, STP) goes to a bridge on the LAG from a collecting member.
	 */
	if (unlikely(is_link_local_ether_addr(eth_hdr(skb)->h_dest)) &&
	    (eth_hdr(skb)->h_dest[5] || !READ_ONCE(port->collecting)))
		return RX_HANDLER_EXACT;

	if (unlikely(!READ_ONCE(port->collecting))) {
		dev_dstats_rx_dropped(lag->dev);
		kfree_skb(skb);
		return RX_HANDLER_CONSUMED;
	}

	skb = skb_share_check(skb, GFP_ATOMIC);
	if (unlikely(!skb))
		return RX_HANDLER_CONSUMED;
	*pskb = skb;
	skb->dev = lag->dev;
	dev_dstats_rx_add(lag->dev, skb->len);
	return RX_HANDLER_ANOTHER;
}

/*
 * Lockless: called under rcu_read_lock_bh() by the core, or by netpoll
 * with IRQs off (also an RCU reader; see lag_netpoll.c). tx_mask, the
 * bucket and the slot's member are read once each; a frame that races with
 * a member change goes to the old or the new member (see struct lag). No
 * atomic either: the counters are this CPU's own.
 */
static netdev_tx_t lag_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct lag *lag = netdev_priv(dev);
	unsigned int len = skb->len;
	struct net_device *port_dev;
	u32 hash;
	int rc;

	if (unlikely(!READ_ONCE(lag->tx_mask)))
		goto drop;

	hash = lag_hash_skb(skb, READ_ONCE(lag->hash_policy));
	port_dev = rcu_dereference_bh(lag->tx_dev[lag_bucket_lookup(&lag->buckets, hash)]);
	if (unlikely(!port_dev))
		goto drop;

	skb->dev = port_dev;
	/* netpoll (netconsole) transmits with IRQs off: not through a qdisc. */
	if (unlikely(netpoll_tx_running(dev)))
		rc = lag_netpoll_send(lag, port_dev, skb);
	else
		rc = dev_queue_xmit(skb);
	/* NET_XMIT_CN: sent, but the member's qdisc is congested. */
	if (likely(!net_xmit_eval(rc)))
		dev_dstats_tx_add(dev, len);
	else
		dev_dstats_tx_dropped(dev);
	return NETDEV_TX_OK;

drop:
	dev_dstats_tx_dropped(dev);
	/* netpoll's frames come with IRQs off, where kfree_skb() must not run. */
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

/* ---- member states, transmit table and carrier ------------------------- */

/**
 * lag_active_ports - the number of distributing members
 * @lag: the LAG
 *
 * Return: how many members take a share of egress traffic now.
 */
unsigned int lag_active_ports(const struct lag *lag)
{
	return hweight8(READ_ONCE(lag->tx_mask));
}

/**
 * lag_update_tx - publish the distributing set to the datapath
 * @lag: the LAG
 *
 * Members that start distributing get their slot pointer before any bucket
 * points at them; members that stop lose their buckets first and their
 * pointer after. Then the carrier follows.
 *
 * Context: &lag.lock held.
 */
void lag_update_tx(struct lag *lag)
{
	struct lag_port *port;
	u8 mask = 0;

	lockdep_assert_held(&lag->lock);

	list_for_each_entry_rcu(port, &lag->ports, list,
				lockdep_is_held(&lag->lock)) {
		if (port->distributing) {
			mask |= BIT(port->slot);
			rcu_assign_pointer(lag->tx_dev[port->slot], port->dev);
		}
	}
	if (mask != lag->tx_mask) {
		/*
		 * A reader loads a bucket, then the slot it names (an address
		 * dependency); rcu_assign_pointer() orders only what precedes
		 * it. Publish the new slots before the buckets name them.
		 */
		smp_wmb();
		if (mask)
			lag_bucket_update(&lag->buckets, mask);
		WRITE_ONCE(lag->tx_mask, mask);
		/* And move the buckets away before clearing the old slots. */
		smp_wmb();
	}
	list_for_each_entry_rcu(port, &lag->ports, list,
				lockdep_is_held(&lag->lock)) {
		if (!port->distributing)
			RCU_INIT_POINTER(lag->tx_dev[port->slot], NULL);
	}

	/* Carrier: on exactly while max(1, min_links) members distribute. */
	if (hweight8(mask) >= max_t(unsigned int, 1, lag->min_links)) {
		if (!netif_carrier_ok(lag->dev))
			netif_carrier_on(lag->dev);
	} else if (netif_carrier_ok(lag->dev)) {
		netif_carrier_off(lag->dev);
	}
}

/* Lower state to the stack: of every member when @all, else of changed ones. */
static void __lag_notify_ports(struct lag *lag, bool all)
{
	struct netdev_lag_lower_state_info info;
	struct lag_port *port;
	bool dist;

	ASSERT_RTNL();
	list_for_each_entry(port, &lag->ports, list) {
		lag_lock(lag);
		dist = port->distributing;
		info.link_up = port->link_up;
		lag_unlock(lag);
		if (!all && dist == port->notified)
			continue;
		port->notified = dist;
		info.tx_enabled = dist;
		/* rtnetlink turns this into RTM_NEWLINK for the member too. */
		netdev_lower_state_changed(port->dev, &info);
	}
}

/**
 * lag_notify_ports - tell the stack which members distribute now
 * @lag: the LAG
 *
 * Sends NETDEV_CHANGELOWERSTATE (rtnetlink turns it into RTM_NEWLINK, seen
 * by `ip monitor link`) for each member whose distributing state changed
 * since it was last sent. Offloading drivers do not act on it: they look
 * for bonding and team masters only (netif_is_lag_master()).
 *
 * Context: RTNL held.
 */
void lag_notify_ports(struct lag *lag)
{
	__lag_notify_ports(lag, false);
}

/*
 * The LAG's speed is its members' speed: it is kept while any member still
 * has it, and otherwise becomes that of the first member with a known
 * speed (members of another speed then no longer aggregate). RTNL held.
 */
static void lag_update_speed(struct lag *lag)
{
	struct lag_port *port;
	bool found = false;

	list_for_each_entry(port, &lag->ports, list)
		if (lag_speed_known(port->speed) && port->speed == lag->speed)
			found = true;
	if (found)
		return;
	lag->speed = SPEED_UNKNOWN;
	list_for_each_entry(port, &lag->ports, list) {
		if (lag_speed_known(port->speed)) {
			lag->speed = port->speed;
			break;
		}
	}
}

/* Read a member's link state and speed. RTNL held. */
static void lag_port_read_link(struct lag_port *port)
{
	bool up = netif_running(port->dev) && netif_carrier_ok(port->dev);
	bool full_duplex;
	u32 speed = lag_read_speed(port->dev, &full_duplex);

	/* Only recorded here: lag_lacp_links() tells the core, and publishes. */
	lag_lock(port->lag);
	port->link_up = up;
	/* lag_get_link_ksettings() reads it without the lock. */
	WRITE_ONCE(port->speed, speed);
	port->full_duplex = full_duplex;
	lag_unlock(port->lag);
}

/**
 * lag_set_min_links - change min_links and re-decide the carrier
 * @lag: the LAG
 * @min_links: 0..LAG_MAX_PORTS (validated by the caller)
 *
 * Context: RTNL held.
 */
void lag_set_min_links(struct lag *lag, u8 min_links)
{
	ASSERT_RTNL();
	lag_lock(lag);
	lag->min_links = min_links;
	lag_update_tx(lag);
	lag_unlock_publish(lag);
}

static enum netdev_lag_hash lag_upper_hash(enum lag_xmit_hash_policy policy)
{
	switch (policy) {
	case LAG_XMIT_POLICY_LAYER2:
		return NETDEV_LAG_HASH_L2;
	case LAG_XMIT_POLICY_LAYER23:
		return NETDEV_LAG_HASH_L23;
	case LAG_XMIT_POLICY_LAYER34:
		return NETDEV_LAG_HASH_L34;
	case LAG_XMIT_POLICY_ENCAP23:
		return NETDEV_LAG_HASH_E23;
	case LAG_XMIT_POLICY_ENCAP34:
		return NETDEV_LAG_HASH_E34;
	default:
		return NETDEV_LAG_HASH_UNKNOWN;
	}
}

static void lag_release(struct lag *lag, struct lag_port *port,
			bool unregistering);

/*
 * Offloading drivers learn a LAG's hash type only from the upper info that
 * NETDEV_CHANGEUPPER carries when a member is linked, and a driver may
 * refuse a type its hardware cannot hash by (as mlxsw does for bonding and
 * team). So a new hash type is told by unlinking and relinking each
 * member, the one way the core has. The member's rx handler stays, so
 * lag's own traffic and LACP carry on; the stack sees the member's master
 * go and come back (RTM_NEWLINK), all under one hold of RTNL, and a driver
 * that offloads the LAG would rebuild it.
 */
static int lag_port_link(struct lag_port *port, enum netdev_lag_hash hash,
			 struct netlink_ext_ack *extack)
{
	struct netdev_lag_upper_info upper = {
		.tx_type = NETDEV_LAG_TX_TYPE_HASH,
		.hash_type = hash,
	};

	return netdev_master_upper_dev_link(port->dev, port->lag->dev, port,
					    &upper, extack);
}

/**
 * lag_set_hash_policy - change the egress hash policy
 * @lag: the LAG
 * @policy: a valid policy (validated by the caller)
 * @extack: where a member's refusal is explained
 *
 * Each member is relinked with the new upper info (see lag_port_link()).
 * When a member's driver refuses it, every member already relinked is
 * linked back with the old type and the policy stays. A member then
 * refused its old link too (a driver's rule may depend on what changed
 * since it joined, an upper device of the LAG's, say) is released, with
 * a message in the log: a member cannot be without its upper link.
 *
 * Context: RTNL held. The transmit path picks it up with its next frame.
 * Return: 0, or the refusing driver's errno with @extack set.
 */
int lag_set_hash_policy(struct lag *lag, enum lag_xmit_hash_policy policy,
			struct netlink_ext_ack *extack)
{
	enum netdev_lag_hash old = lag_upper_hash(lag->hash_policy);
	enum netdev_lag_hash hash = lag_upper_hash(policy);
	struct lag_port *orphan[LAG_MAX_PORTS];
	struct lag_port *port, *failed = NULL;
	int orphan_err[LAG_MAX_PORTS];
	unsigned int n = 0, i;
	int err = 0;

	ASSERT_RTNL();
	if (hash != old) {
		list_for_each_entry(port, &lag->ports, list) {
			netdev_upper_dev_unlink(port->dev, lag->dev);
			err = lag_port_link(port, hash, extack);
			if (err) {
				failed = port;
				break;
			}
		}
	}
	if (!failed) {
		WRITE_ONCE(lag->hash_policy, policy);
		/* A new link's lower state is unknown to its listeners. */
		if (hash != old)
			__lag_notify_ports(lag, true);
		return 0;
	}

	if (extack && !extack->_msg)
		NL_SET_ERR_MSG_FMT(extack, "%s: %s refused the new hash type: %pe",
				   lag->dev->name, failed->dev->name,
				   ERR_PTR(err));
	/*
	 * Back to the old type, up to the member that refused (unlinked
	 * already). Members the core will not link back are released only
	 * after the walk: a release recomputes the features over the lower
	 * list, which must be whole by then.
	 */
	list_for_each_entry(port, &lag->ports, list) {
		if (port != failed)
			netdev_upper_dev_unlink(port->dev, lag->dev);
		orphan_err[n] = lag_port_link(port, old, NULL);
		if (orphan_err[n])
			orphan[n++] = port;
		if (port == failed)
			break;
	}
	for (i = 0; i < n; i++) {
		netdev_err(lag->dev, "%s cannot be linked back (%pe): released\n",
			   orphan[i]->dev->name, ERR_PTR(orphan_err[i]));
		lag_release(lag, orphan[i], false);
	}
	__lag_notify_ports(lag, true);
	return err;
}

/* ---- features ---------------------------------------------------------- */

/*
 * What the LAG offers is what every member offers: the core's rule for
 * bonding and team (lag_compat.h has it for 6.1): the VLAN, encapsulation,
 * MPLS, xfrm and GSO-partial features, the headroom and tailroom, the TSO
 * limits, and IFF_XMIT_DST_RELEASE (lag's transmit never reads the dst:
 * it is released when every member releases it); then the LAG's own
 * features, through netdev_change_features() and lag_fix_features(); and
 * the XDP features every member has (lag_xdp.c). RTNL held.
 */
static void lag_compute_features(struct lag *lag)
{
	netdev_compute_master_upper_features(lag->dev, true);
	lag_xdp_update_features(lag);
}

static netdev_features_t lag_fix_features(struct net_device *dev,
					  netdev_features_t features)
{
	struct lag *lag = netdev_priv(dev);
	netdev_features_t mask = features;
	struct lag_port *port;

	features = netdev_base_features(features);
	list_for_each_entry(port, &lag->ports, list)
		features = netdev_increment_features(features,
						     port->dev->features, mask);
	return netdev_add_tso_features(features, mask);
}

/* ---- membership -------------------------------------------------------- */

/**
 * lag_is_lag_dev - is this net_device a LAG of ours?
 * @dev: any net_device
 *
 * Return: true for devices of kind "lag".
 */
bool lag_is_lag_dev(const struct net_device *dev)
{
	return dev->rtnl_link_ops == &lag_link_ops;
}

/*
 * Which devices may join, before anything changes: every rule of the LAG's
 * own. @moving: @pd is a member of another LAG, which it leaves only once
 * this LAG's rules allow it in (a move through sysfs). RTNL held.
 */
static int lag_check_port_dev(struct lag *lag, struct net_device *pd,
			      bool moving, struct netlink_ext_ack *extack)
{
	struct net_device *dev = lag->dev;
	struct net_device *master;
	bool full_duplex;
	u32 speed;
	int err;

	if (pd == dev || lag_is_lag_dev(pd)) {
		NL_SET_ERR_MSG_FMT(extack, "%s: %s is a LAG; LAGs do not nest",
				   dev->name, pd->name);
		return -EINVAL;
	}
	if ((pd->flags & IFF_LOOPBACK) || pd->type != ARPHRD_ETHER ||
	    pd->addr_len != ETH_ALEN) {
		NL_SET_ERR_MSG_FMT(extack, "%s: %s is not an Ethernet device",
				   dev->name, pd->name);
		return -EINVAL;
	}
	if (netdev_has_upper_dev(pd, dev) || netdev_has_upper_dev(dev, pd)) {
		NL_SET_ERR_MSG_FMT(extack, "%s: %s is stacked on %s",
				   dev->name, pd->name, dev->name);
		return -ELOOP;
	}
	master = netdev_master_upper_dev_get(pd);
	if (master && !(moving && lag_is_lag_dev(master))) {
		NL_SET_ERR_MSG_FMT(extack, "%s: %s already has master %s",
				   dev->name, pd->name, master->name);
		return -EBUSY;
	}
	if (!net_eq(dev_net(pd), dev_net(dev))) {
		NL_SET_ERR_MSG_FMT(extack, "%s: %s is in another network namespace",
				   dev->name, pd->name);
		return -EXDEV;
	}
	/*
	 * Bonding reads any IFF_SLAVE bond's rx_handler_data as its own
	 * slave: a bond under a LAG would have its events misread.
	 */
	if (netif_is_bond_master(pd)) {
		NL_SET_ERR_MSG_FMT(extack, "%s: %s is a bond; bonds cannot be members",
				   dev->name, pd->name);
		return -EINVAL;
	}
	/* A bridge port, or the lower device of a macvlan or ipvlan. */
	if (netdev_is_rx_handler_busy(pd) && !(moving && lag_is_port_dev(pd))) {
		NL_SET_ERR_MSG_FMT(extack, "%s: %s is already claimed by another handler",
				   dev->name, pd->name);
		return -EBUSY;
	}
	if ((pd->features & NETIF_F_VLAN_CHALLENGED) && vlan_uses_dev(dev)) {
		NL_SET_ERR_MSG_FMT(extack, "%s: %s cannot carry VLANs and %s has some",
				   dev->name, pd->name, dev->name);
		return -EPERM;
	}
	err = lag_netpoll_can_join(lag, pd, extack);
	if (err)
		return err;
	err = lag_xdp_can_join(lag, pd, extack);
	if (err)
		return err;

	speed = lag_read_speed(pd, &full_duplex);
	err = lag_admission_check(lag->nr_ports, lag->speed, speed);
	if (err == -ENOSPC)
		NL_SET_ERR_MSG_FMT(extack, "%s: %s refused: a LAG has at most %d members",
				   dev->name, pd->name, LAG_MAX_PORTS);
	else if (err)
		NL_SET_ERR_MSG_FMT(extack, "%s: %s speed %uMb/s differs from %uMb/s",
				   dev->name, pd->name, speed, lag->speed);
	return err;
}

/**
 * lag_port_may_move - would a member of another LAG be admitted here?
 * @lag: the LAG it would move to
 * @pd: a member of another of our LAGs
 * @extack: where a refusal is explained
 *
 * Every rule lag_add_port() checks before anything changes, but for its
 * having a master: a move through sysfs checks them before the device
 * leaves its LAG, so that a refused move leaves it where it was.
 *
 * Context: RTNL held.
 * Return: 0, or the errno lag_add_port() would refuse @pd with.
 */
int lag_port_may_move(struct lag *lag, struct net_device *pd,
		      struct netlink_ext_ack *extack)
{
	return lag_check_port_dev(lag, pd, true, extack);
}

static void lag_port_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct lag_port, rcu));
}

static int lag_free_slot(const struct lag *lag)
{
	struct lag_port *port;
	unsigned int used = 0;

	list_for_each_entry(port, &lag->ports, list)
		used |= BIT(port->slot);
	return ffz(used);
}

/* Give a member the LAG's hardware address and MTU, saving its own. */
static int lag_port_take_over(struct lag *lag, struct lag_port *port,
			      struct netlink_ext_ack *extack)
{
	struct net_device *dev = lag->dev, *pd = port->dev;
	struct sockaddr_storage ss;
	int err;

	err = dev_set_mtu(pd, dev->mtu);
	if (err) {
		NL_SET_ERR_MSG_FMT(extack, "%s: %s cannot take MTU %u",
				   dev->name, pd->name, dev->mtu);
		return err;
	}

	ss.ss_family = pd->type;
	memcpy(ss.__data, dev->dev_addr, ETH_ALEN);
	err = dev_set_mac_address(pd, (struct sockaddr *)&ss, extack);
	if (err) {
		NL_SET_ERR_MSG_FMT(extack, "%s: %s cannot take address %pM",
				   dev->name, pd->name, dev->dev_addr);
		dev_set_mtu(pd, port->orig_mtu);
		return err;
	}
	return 0;
}

/*
 * @unregistering: the member is being unregistered or moved to another
 * network namespace; its protocols have already let go of it, and a
 * notifying MTU change would make them set it up again (and leak that), so
 * the MTU is restored without notifiers, as bonding does.
 */
static void lag_port_give_back(struct lag_port *port, bool unregistering)
{
	struct net_device *pd = port->dev;
	struct sockaddr_storage ss;

	ss.ss_family = pd->type;
	memcpy(ss.__data, port->orig_addr, ETH_ALEN);
	dev_set_mac_address(pd, (struct sockaddr *)&ss, NULL);
	if (unregistering)
		__dev_set_mtu(pd, port->orig_mtu);
	else
		dev_set_mtu(pd, port->orig_mtu);
}

/* Mirror the LAG's promiscuity, allmulti and address lists on a member. */
static void lag_port_sync_rx(struct lag *lag, struct lag_port *port, int inc)
{
	struct net_device *dev = lag->dev, *pd = port->dev;

	if (dev->flags & IFF_PROMISC)
		dev_set_promiscuity(pd, inc);
	if (dev->flags & IFF_ALLMULTI)
		dev_set_allmulti(pd, inc);
	if (inc > 0) {
		netif_addr_lock_bh(dev);
		dev_uc_sync_multiple(pd, dev);
		dev_mc_sync_multiple(pd, dev);
		netif_addr_unlock_bh(dev);
	} else {
		dev_uc_unsync(pd, dev);
		dev_mc_unsync(pd, dev);
	}
}

/**
 * lag_add_port - associate a device with a LAG (ndo_add_slave)
 * @dev: the LAG
 * @pd: the device joining
 * @extack: where a refusal is explained
 *
 * Context: RTNL held.
 * Return: 0, or a negative errno with @extack set and nothing changed.
 */
int lag_add_port(struct net_device *dev, struct net_device *pd,
		 struct netlink_ext_ack *extack)
{
	struct lag *lag = netdev_priv(dev);
	unsigned char lag_addr_type;
	u8 lag_addr[ETH_ALEN];
	struct lag_port *port;
	bool full_duplex;
	u32 speed, lag_speed;
	int err;

	ASSERT_RTNL();
	/* Everything that can refuse the device, before anything changes. */
	err = lag_check_port_dev(lag, pd, false, extack);
	if (err)
		return err;

	/* A netconsole target on the device itself stops: it is ours now. */
	call_netdevice_notifiers(NETDEV_JOIN, pd);

	speed = lag_read_speed(pd, &full_duplex);

	port = kzalloc(sizeof(*port), GFP_KERNEL);
	if (!port)
		return -ENOMEM;
	port->dev = pd;
	port->lag = lag;
	port->slot = lag_free_slot(lag);
	port->speed = speed;
	port->orig_mtu = pd->mtu;
	port->orig_up = pd->flags & IFF_UP;
	ether_addr_copy(port->orig_addr, pd->dev_addr);

	/*
	 * What can still fail is the drivers' and the core's: the member's
	 * MTU, address and open, the VLAN filters, the upper link (its
	 * notifiers, the nesting depth) and the sysfs group. Each failure
	 * undoes exactly what was done: the LAG's address (and so its LACP
	 * system ID) and speed, the member's address, MTU, flags and up/down
	 * state are as they were.
	 */
	ether_addr_copy(lag_addr, dev->dev_addr);
	lag_addr_type = dev->addr_assign_type;
	lag_speed = lag->speed;

	/* The first member lends the LAG its address unless one was set. */
	if (!lag->nr_ports && dev->addr_assign_type == NET_ADDR_RANDOM) {
		err = dev_pre_changeaddr_notify(dev, pd->dev_addr, extack);
		if (err)
			goto err_free;
		eth_hw_addr_set(dev, pd->dev_addr);
		dev->addr_assign_type = NET_ADDR_STOLEN;
		call_netdevice_notifiers(NETDEV_CHANGEADDR, dev);
		lag_lacp_update_system(lag);
	}

	err = lag_port_take_over(lag, port, extack);
	if (err)
		goto err_lag_addr;

	/*
	 * Before it is opened: a member has no IPv6 of its own (no link-local
	 * address, DAD, router or MLD solicitation around the LAG), as bonding.
	 */
	pd->flags |= IFF_SLAVE;
	pd->priv_flags |= IFF_NO_ADDRCONF;
	err = dev_open(pd, extack);
	if (err)
		goto err_flags;

	/* Checked free above, under the same RTNL: this cannot fail. */
	err = netdev_rx_handler_register(pd, lag_handle_frame, port);
	if (err) {
		NL_SET_ERR_MSG_FMT(extack, "%s: %s is already claimed by another handler",
				   dev->name, pd->name);
		goto err_close;
	}

	err = vlan_vids_add_by_dev(pd, dev);
	if (err) {
		NL_SET_ERR_MSG_FMT(extack, "%s: %s cannot take the LAG's VLAN filters",
				   dev->name, pd->name);
		goto err_unregister;
	}

	err = lag_port_link(port, lag_upper_hash(lag->hash_policy), extack);
	if (err) {
		/* The nesting limit, for one, says nothing. */
		if (extack && !extack->_msg)
			NL_SET_ERR_MSG_FMT(extack, "%s: %s cannot be linked under %s: %pe",
					   dev->name, pd->name, dev->name,
					   ERR_PTR(err));
		goto err_vids;
	}

	/* The LAG carries netconsole: this member must poll too. */
	err = lag_netpoll_port_add(port, extack);
	if (err)
		goto err_unlink;

	/* The LAG has an XDP program: this member runs it too. */
	err = lag_xdp_port_add(port, extack);
	if (err)
		goto err_netpoll;

	lag_port_sync_rx(lag, port, 1);
	/* Slow protocols (LACP, Marker) are addressed to this group. */
	dev_mc_add(pd, lag_slow_proto_addr);

	lag_port_read_link(port);
	list_add_tail_rcu(&port->list, &lag->ports);
	lag->nr_ports++;
	if (!lag_speed_known(lag->speed))
		lag->speed = port->speed;
	/* Cannot fail: there is a free slot and slot numbers are unique. */
	WARN_ON(lag_lacp_port_add(lag, port));
	err = lag_sysfs_port_add(port);
	if (err)
		goto err_unpublish;

	lag_compute_features(lag);
	lag_lacp_links(lag);
	netdev_info(dev, "%s joined as port %u\n", pd->name, port->slot + 1);
	return 0;

err_unpublish:
	NL_SET_ERR_MSG_FMT(extack, "%s: %s: cannot create its lag_port sysfs files",
			   dev->name, pd->name);
	lag_lacp_port_del(lag, port);
	list_del_rcu(&port->list);
	lag->nr_ports--;
	lag->speed = lag_speed;
	lag_port_sync_rx(lag, port, -1);
	dev_mc_del(pd, lag_slow_proto_addr);
	lag_xdp_port_del(port);
err_netpoll:
	lag_netpoll_port_del(port);
err_unlink:
	netdev_upper_dev_unlink(pd, dev);
err_vids:
	vlan_vids_del_by_dev(pd, dev);
err_unregister:
	/*
	 * Its synchronize_net() also waits for the RCU readers of &lag->ports
	 * that may have found the port, so it is freed at once below.
	 */
	netdev_rx_handler_unregister(pd);
err_close:
	if (!port->orig_up)
		dev_close(pd);
err_flags:
	pd->flags &= ~IFF_SLAVE;
	pd->priv_flags &= ~IFF_NO_ADDRCONF;
	lag_port_give_back(port, false);
err_lag_addr:
	if (!ether_addr_equal(dev->dev_addr, lag_addr)) {
		eth_hw_addr_set(dev, lag_addr);
		call_netdevice_notifiers(NETDEV_CHANGEADDR, dev);
		lag_lacp_update_system(lag);
	}
	dev->addr_assign_type = lag_addr_type;
err_free:
	kfree(port);
	return err;
}

/* Undo lag_add_port(). RTNL held. */
static void lag_release(struct lag *lag, struct lag_port *port,
			bool unregistering)
{
	struct net_device *dev = lag->dev, *pd = port->dev;

	ASSERT_RTNL();

	/* Out of LACP and the transmit table first, then out of the lists. */
	lag_lacp_port_del(lag, port);
	lag_sysfs_port_del(port);
	list_del_rcu(&port->list);
	lag->nr_ports--;

	dev_mc_del(pd, lag_slow_proto_addr);
	lag_port_sync_rx(lag, port, -1);
	/* Out of the transmit table already: no netpoll frame comes to it. */
	lag_netpoll_port_del(port);
	lag_xdp_port_del(port);
	/* Unlinked already if lag_set_hash_policy() could not link it back. */
	if (netdev_master_upper_dev_get(pd) == dev)
		netdev_upper_dev_unlink(pd, dev);
	vlan_vids_del_by_dev(pd, dev);
	/* Waits for readers in the rx handler (synchronize_net()). */
	netdev_rx_handler_unregister(pd);
	if (!port->orig_up)
		dev_close(pd);
	pd->flags &= ~IFF_SLAVE;
	pd->priv_flags &= ~IFF_NO_ADDRCONF;
	lag_port_give_back(port, unregistering);

	lag_update_speed(lag);
	/*
	 * The member lent the LAG its address and the LAG keeps it: both now
	 * use one MAC address. The LAG cannot take another without every
	 * peer's neighbour entry and the partner's system ID changing, so it
	 * warns, as bonding does; see lag.rst for the remedies.
	 */
	if (lag->nr_ports && dev->addr_assign_type == NET_ADDR_STOLEN &&
	    ether_addr_equal(port->orig_addr, dev->dev_addr))
		netdev_warn(dev, "%s left with %pM, still the address of %s: give one of them another\n",
			    pd->name, port->orig_addr, dev->name);
	if (!lag->nr_ports && dev->addr_assign_type == NET_ADDR_STOLEN) {
		eth_hw_addr_random(dev);
		call_netdevice_notifiers(NETDEV_CHANGEADDR, dev);
		lag_lacp_update_system(lag);
	}
	lag_compute_features(lag);
	lag_lacp_links(lag);
	netdev_info(dev, "%s left\n", pd->name);

	/* The transmit path may still hold it until a grace period passes. */
	call_rcu(&port->rcu, lag_port_free_rcu);
}

/**
 * lag_del_port - disassociate a member from its LAG (ndo_del_slave)
 * @dev: the LAG
 * @pd: the member
 *
 * Context: RTNL held.
 * Return: 0, or -EINVAL if @pd is not a member of @dev.
 */
int lag_del_port(struct net_device *dev, struct net_device *pd)
{
	struct lag_port *port;

	if (!lag_is_port_dev(pd) || netdev_master_upper_dev_get(pd) != dev)
		return -EINVAL;
	port = lag_port_get_rtnl(pd);
	if (!port || port->lag != netdev_priv(dev))
		return -EINVAL;
	lag_release(port->lag, port, false);
	return 0;
}

/* ---- the LAG net_device ------------------------------------------------ */

static int lag_open(struct net_device *dev)
{
	lag_lacp_start(netdev_priv(dev));
	return 0;
}

static int lag_stop(struct net_device *dev)
{
	lag_lacp_stop(netdev_priv(dev));
	return 0;
}

static int lag_init_dev(struct net_device *dev)
{
	int err = lag_dstats_init(dev);

	if (err)
		return err;
	netif_carrier_off(dev);
	return 0;
}

static void lag_uninit(struct net_device *dev)
{
	struct lag *lag = netdev_priv(dev);
	struct lag_port *port, *tmp;

	list_for_each_entry_safe(port, tmp, &lag->ports, list)
		lag_release(lag, port, false);
	lag_lacp_fini(lag);
}

static void lag_destructor(struct net_device *dev)
{
	lag_dstats_free(dev);
}

static int lag_change_mtu(struct net_device *dev, int new_mtu)
{
	struct lag *lag = netdev_priv(dev);
	struct lag_port *port;
	int err = 0;

	/* The members' own notifier lets only these changes through. */
	lag->own_change = true;
	list_for_each_entry(port, &lag->ports, list) {
		err = dev_set_mtu(port->dev, new_mtu);
		if (err)
			goto unwind;
	}
	WRITE_ONCE(dev->mtu, new_mtu);
	goto out;

unwind:
	list_for_each_entry_continue_reverse(port, &lag->ports, list)
		dev_set_mtu(port->dev, dev->mtu);
out:
	lag->own_change = false;
	return err;
}

static int lag_set_mac_address(struct net_device *dev, void *p)
{
	struct lag *lag = netdev_priv(dev);
	struct sockaddr *sa = p;
	struct lag_port *port;
	int err;

	if (!is_valid_ether_addr(sa->sa_data))
		return -EADDRNOTAVAIL;
	/* The members' own notifier lets only these changes through. */
	lag->own_change = true;
	list_for_each_entry(port, &lag->ports, list) {
		err = dev_set_mac_address(port->dev, sa, NULL);
		if (err)
			goto unwind;
	}
	lag->own_change = false;
	eth_hw_addr_set(dev, sa->sa_data);
	dev->addr_assign_type = NET_ADDR_SET;
	lag_lacp_update_system(lag);
	return 0;

unwind:
	memcpy(sa->sa_data, dev->dev_addr, ETH_ALEN);
	list_for_each_entry_continue_reverse(port, &lag->ports, list)
		dev_set_mac_address(port->dev, sa, NULL);
	lag->own_change = false;
	return err;
}

static void lag_change_rx_flags(struct net_device *dev, int change)
{
	struct lag *lag = netdev_priv(dev);
	struct lag_port *port;

	list_for_each_entry(port, &lag->ports, list) {
		if (change & IFF_PROMISC)
			dev_set_promiscuity(port->dev,
					    dev->flags & IFF_PROMISC ? 1 : -1);
		if (change & IFF_ALLMULTI)
			dev_set_allmulti(port->dev,
					 dev->flags & IFF_ALLMULTI ? 1 : -1);
	}
}

/* Called with the LAG's address lock held, not always under RTNL. */
static void lag_set_rx_mode(struct net_device *dev)
{
	struct lag *lag = netdev_priv(dev);
	struct lag_port *port;

	rcu_read_lock();
	list_for_each_entry_rcu(port, &lag->ports, list) {
		dev_uc_sync_multiple(port->dev, dev);
		dev_mc_sync_multiple(port->dev, dev);
	}
	rcu_read_unlock();
}

/* VLAN filters: every member accepts the VLANs configured on the LAG. */
static int lag_vlan_rx_add_vid(struct net_device *dev, __be16 proto, u16 vid)
{
	struct lag *lag = netdev_priv(dev);
	struct lag_port *port;
	int err;

	list_for_each_entry(port, &lag->ports, list) {
		err = vlan_vid_add(port->dev, proto, vid);
		if (err)
			goto unwind;
	}
	return 0;

unwind:
	list_for_each_entry_continue_reverse(port, &lag->ports, list)
		vlan_vid_del(port->dev, proto, vid);
	return err;
}

static int lag_vlan_rx_kill_vid(struct net_device *dev, __be16 proto, u16 vid)
{
	struct lag *lag = netdev_priv(dev);
	struct lag_port *port;

	list_for_each_entry(port, &lag->ports, list)
		vlan_vid_del(port->dev, proto, vid);
	return 0;
}

static const struct net_device_ops lag_netdev_ops = {
	.ndo_init		= lag_init_dev,
	.ndo_uninit		= lag_uninit,
	.ndo_open		= lag_open,
	.ndo_stop		= lag_stop,
	.ndo_start_xmit		= lag_start_xmit,
	.ndo_get_stats64	= lag_dstats_get_stats64,
	.ndo_change_mtu		= lag_change_mtu,
	.ndo_set_mac_address	= lag_set_mac_address,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_change_rx_flags	= lag_change_rx_flags,
	.ndo_set_rx_mode	= lag_set_rx_mode,
	.ndo_add_slave		= lag_add_port,
	.ndo_del_slave		= lag_del_port,
	.ndo_fix_features	= lag_fix_features,
	.ndo_vlan_rx_add_vid	= lag_vlan_rx_add_vid,
	.ndo_vlan_rx_kill_vid	= lag_vlan_rx_kill_vid,
	.ndo_features_check	= passthru_features_check,
	.ndo_bpf		= lag_xdp_bpf,
	.ndo_xdp_xmit		= lag_xdp_xmit,
	.ndo_xdp_get_xmit_slave	= lag_xdp_get_xmit_slave,
#ifdef CONFIG_NET_POLL_CONTROLLER
	.ndo_poll_controller	= lag_poll_controller,
	.ndo_netpoll_setup	= lag_netpoll_setup,
	.ndo_netpoll_cleanup	= lag_netpoll_cleanup,
#endif
};

static void lag_get_drvinfo(struct net_device *dev,
			    struct ethtool_drvinfo *info)
{
	strscpy(info->driver, LAG_DRV_NAME, sizeof(info->driver));
	strscpy(info->version, LAG_DRV_VERSION, sizeof(info->version));
}

/*
 * The LAG's speed is the sum of its distributing members'. RTNL, without
 * &lag.lock: each member's fields are read once each (READ_ONCE); a report
 * racing a change may count a member just before or after it.
 */
static int lag_get_link_ksettings(struct net_device *dev,
				  struct ethtool_link_ksettings *cmd)
{
	struct lag *lag = netdev_priv(dev);
	struct lag_port *port;
	u32 speed = 0;

	list_for_each_entry(port, &lag->ports, list) {
		u32 s = READ_ONCE(port->speed);

		if (READ_ONCE(port->distributing) && lag_speed_known(s))
			speed += s;
	}
	cmd->base.speed = speed ? speed : SPEED_UNKNOWN;
	cmd->base.duplex = speed ? DUPLEX_FULL : DUPLEX_UNKNOWN;
	cmd->base.port = PORT_OTHER;
	cmd->base.autoneg = AUTONEG_DISABLE;
	return 0;
}

static const struct ethtool_ops lag_ethtool_ops = {
	.get_drvinfo		= lag_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_link_ksettings	= lag_get_link_ksettings,
};

#define LAG_HW_FEATURES	(MASTER_UPPER_DEV_VLAN_FEATURES | NETIF_F_HW_VLAN_CTAG_RX | \
			 NETIF_F_HW_VLAN_CTAG_FILTER | NETIF_F_HW_VLAN_STAG_RX | \
			 NETIF_F_HW_VLAN_STAG_FILTER)

/**
 * lag_setup - initialise a new LAG net_device
 * @dev: the device being created by rtnl_link_ops
 */
void lag_setup(struct net_device *dev)
{
	struct lag *lag = netdev_priv(dev);

	ether_setup(dev);
	lag->dev = dev;
	INIT_LIST_HEAD(&lag->ports);
	spin_lock_init(&lag->lock);
	lag_bucket_init(&lag->buckets);
	lag->hash_policy = LAG_HASH_DEFAULT;
	lag->speed = SPEED_UNKNOWN;
	lag_lacp_init(lag);

	dev->netdev_ops = &lag_netdev_ops;
	dev->ethtool_ops = &lag_ethtool_ops;
	dev->needs_free_netdev = true;
	dev->priv_destructor = lag_destructor;
	lag_dstats_setup(dev);
	dev->max_mtu = ETH_MAX_MTU;
	dev->priv_flags &= ~(IFF_XMIT_DST_RELEASE | IFF_TX_SKB_SHARING);
	dev->priv_flags |= IFF_NO_QUEUE | IFF_UNICAST_FLT | IFF_LIVE_ADDR_CHANGE;
	/* LLTX: the transmit path takes no lock; a LAG never changes netns. */
	lag_dev_set_lltx_netns_local(dev);
	dev->sysfs_groups[0] = &lag_sysfs_group;

	dev->hw_features = LAG_HW_FEATURES | NETIF_F_GSO_ENCAP_ALL;
	dev->features |= dev->hw_features | NETIF_F_GRO |
			 NETIF_F_HW_VLAN_CTAG_TX | NETIF_F_HW_VLAN_STAG_TX;
	eth_hw_addr_random(dev);
}

/* ---- member events ----------------------------------------------------- */

/*
 * A member's MTU and address are the LAG's: changed by anyone else, it
 * would silently break every flow hashed to it. NETDEV_PRE_CHANGEADDR
 * carries the request's extack; NETDEV_PRECHANGEMTU has none (the core
 * sends it without), so the refusal is also logged.
 */
static int lag_port_pre_change(struct lag_port *port, unsigned long event,
			       void *ptr)
{
	struct netlink_ext_ack *extack = netdev_notifier_info_to_extack(ptr);
	const char *what = event == NETDEV_PRECHANGEMTU ? "MTU" : "address";
	struct net_device *dev = port->lag->dev;

	if (port->lag->own_change)
		return NOTIFY_DONE;
	if (extack)
		NL_SET_ERR_MSG_FMT(extack, "%s: %s is a member: set the %s on %s",
				   dev->name, port->dev->name, what, dev->name);
	else if (net_ratelimit())
		netdev_info(dev, "%s is a member: set the %s on %s\n",
			    port->dev->name, what, dev->name);
	return notifier_from_errno(-EBUSY);
}

static int lag_port_event(struct lag_port *port, unsigned long event,
			  void *ptr)
{
	struct lag *lag = port->lag;

	switch (event) {
	case NETDEV_PRECHANGEMTU:
	case NETDEV_PRE_CHANGEADDR:
		return lag_port_pre_change(port, event, ptr);
	case NETDEV_UP:
	case NETDEV_DOWN:
	case NETDEV_CHANGE:
		lag_port_read_link(port);
		/* Members renegotiated: the LAG follows when none keeps its speed. */
		lag_update_speed(lag);
		lag_lacp_links(lag);
		break;
	case NETDEV_GOING_DOWN:
		lag_lacp_port_going_down(lag, port);
		break;
	case NETDEV_UNREGISTER:
		lag_release(lag, port, true);
		break;
	case NETDEV_FEAT_CHANGE:
		lag_compute_features(lag);
		break;
	case NETDEV_XDP_FEAT_CHANGE:
		lag_xdp_update_features(lag);
		break;
	case NETDEV_PRE_TYPE_CHANGE:
		/* A member stays Ethernet while it is one. */
		return NOTIFY_BAD;
	case NETDEV_NOTIFY_PEERS:
	case NETDEV_RESEND_IGMP:
		/*
		 * A member asked to announce itself (a bond member that failed
		 * over, a virtual NIC after migration): its addresses and
		 * groups are the LAG's, so the LAG announces, as team does.
		 */
		call_netdevice_notifiers(event, lag->dev);
		break;
	}
	return NOTIFY_DONE;
}

static int lag_netdev_event(struct notifier_block *nb, unsigned long event,
			    void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct lag_port *port;

	if (!lag_is_port_dev(dev))
		return NOTIFY_DONE;
	port = lag_port_get_rtnl(dev);
	if (!port)
		return NOTIFY_DONE;
	return lag_port_event(port, event, ptr);
}

static struct notifier_block lag_notifier_block = {
	.notifier_call = lag_netdev_event,
};

/**
 * lag_is_port_dev - is this net_device a member of one of our LAGs?
 * @dev: any net_device
 *
 * Return: true when @dev's rx handler is ours.
 */
bool lag_is_port_dev(const struct net_device *dev)
{
	return rcu_access_pointer(dev->rx_handler) == lag_handle_frame;
}
EXPORT_SYMBOL_IF_KUNIT(lag_is_port_dev);

static int __init lag_init(void)
{
	int err;

	lag_hash_init();
	lag_options_init();
	lag_sysfs_init();
	err = register_netdevice_notifier(&lag_notifier_block);
	if (err)
		return err;
	err = lag_netlink_init();
	if (err)
		unregister_netdevice_notifier(&lag_notifier_block);
	return err;
}

static void __exit lag_exit(void)
{
	lag_netlink_fini();
	unregister_netdevice_notifier(&lag_notifier_block);
	/* Members are freed after a grace period; wait for them. */
	rcu_barrier();
}

module_init(lag_init);
module_exit(lag_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("IEEE 802.1AX LACP link aggregation");
MODULE_VERSION(LAG_DRV_VERSION);
MODULE_ALIAS_RTNL_LINK(LAG_DRV_NAME);

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lag: IEEE 802.1AX link aggregation - struct lag and struct lag_port, their
 * lock, and the functions each file offers the others (grouped by file).
 */
#ifndef _LAG_H
#define _LAG_H

#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/cache.h>
#include <linux/spinlock.h>
#include <linux/stddef.h>

#include "lag_bucket.h"
#include "lag_hash.h"
#include "lacp.h"
#include "lag_options.h"

#define LAG_DRV_NAME	"lag"
#define LAG_DRV_VERSION	"0.1"

/**
 * struct lag_port - one member of a LAG
 * @dev: the member's net_device
 * @lag: the LAG it belongs to
 * @list: entry in &lag.ports
 * @slot: its index in &lag.tx_dev and the bucket table, 0..LAG_MAX_PORTS-1
 * @speed: its link speed in Mb/s, SPEED_UNKNOWN while unknown
 * @full_duplex: its link is full duplex
 * @link_up: it is running with carrier
 * @collecting: frames received on it are delivered as the LAG's (the LACP
 *              core's decision, copied for the lockless rx handler)
 * @distributing: it takes a share of the LAG's egress frames (likewise)
 * @notified: @distributing as last notified to the stack (RTNL)
 * @lacp: its LACP machines
 * @orig_addr: its MAC address before it joined, restored when it leaves
 *             and the source address of its LACPDUs
 * @orig_mtu: its MTU before it joined, restored when it leaves
 * @orig_up: it was administratively up before it joined
 * @np: its netpoll while the LAG is used by netpoll, else NULL
 * @rcu: frees it after a grace period
 *
 * Locking: @dev, @lag, @slot and the orig_* fields are set before the port
 * is published and never change. @list and @notified change under RTNL.
 * @speed, @full_duplex and @link_up are written under RTNL and &lag.lock,
 * @collecting, @distributing and @lacp under &lag.lock. Read without
 * &lag.lock, and so written with WRITE_ONCE: @collecting by the rx handler
 * (a stale value costs at most one frame delivered or dropped during a
 * change), @distributing and @speed by ethtool's speed report (RTNL only),
 * @distributing also by netpoll's poll. @np is published under RTNL and
 * read under RCU by netpoll's transmit (see lag_netpoll.c).
 */
struct lag_port {
	struct net_device *dev;
	struct lag *lag;
	struct list_head list;
	u8 slot;
	u32 speed;
	bool full_duplex;
	bool link_up;
	bool collecting;
	bool distributing;
	bool notified;
	struct lacp_port lacp;
	u8 orig_addr[ETH_ALEN];
	unsigned int orig_mtu;
	bool orig_up;
	struct netpoll __rcu *np;
	struct rcu_head rcu;
};

/**
 * struct lag - private data of a LAG net_device
 * @buckets: resilient hash bucket -> slot table
 * @tx_mask: bit n set while @tx_dev[n] is non-NULL
 * @hash_policy: the egress hash policy
 * @dev: the LAG's own net_device
 * @tx_dev: the net_device of the distributing member in each slot, NULL
 *          where none
 * @lock: the LACP lock: serialises the LACP core (@lacp and every member's
 *        lacp), the member states it decides, @tx_dev, @buckets, @tx_mask
 *        and the carrier decision. Taken with BH disabled from softirq (the
 *        LACP timer and the rx handler) and process context; see lag_lacp.c
 * @ports: members, in the order they joined
 * @nr_ports: number of members
 * @min_links: carrier needs at least max(1, @min_links) distributing members
 * @speed: the members' speed in Mb/s, SPEED_UNKNOWN while none is known
 * @actor_system: the user's actor system ID; all-zero: the LAG's address
 * @own_change: the LAG itself is changing its members' MTU or address;
 *              other changes of a member's MTU or address are refused
 * @running: the LAG is up (its aggregator is enabled)
 * @timer_done: the LAG is going away: @timer is not re-armed
 * @tx_dirty: member states changed under @lock; lag_unlock_publish()
 *            publishes them
 * @lacp: the LACP group of the members
 * @lacp_txq: PDUs queued under @lock, sent by lag_unlock_publish()
 * @timer: runs the LACP machines every LACP_TICK_MS, from the first member
 *         or the first open, whichever comes first, until lag_lacp_fini()
 * @notify_work: sends RTNL-only notifications of member state changes
 * @xdp_prog: the LAG's native XDP program, which every member runs, or NULL
 *            (the reference the core handed ndo_bpf; see lag_xdp.c)
 *
 * Locking: membership (@ports, @nr_ports) and configuration change under
 * RTNL; so do @own_change and @xdp_prog, set and read only under RTNL (the
 * datapath never reads @xdp_prog: the members' drivers run their own
 * reference to the program under their own rules). @ports is an
 * RCU list: written under RTNL only (list_add_tail_rcu(), list_del_rcu(),
 * the port freed after a grace period), read under RTNL or as an RCU
 * reader: rcu_read_lock() (sysfs, the rx mode) or a section with BH
 * disabled, which is an RCU read-side section too (the LACP timer and rx
 * handler, every holder of @lock: the lockdep_is_held(&lag->lock) in their
 * list walks states that, not that @lock guards the list). The datapath
 * reads @tx_mask, @buckets, @tx_dev and @hash_policy without any lock:
 * @tx_dev under RCU (a member's slot is cleared before its release calls
 * netdev_rx_handler_unregister(), whose synchronize_net() waits for every
 * transmitting reader, so the device outlives them), the others with
 * READ_ONCE, their writers using WRITE_ONCE; a frame hashed during an
 * update goes to the old or the new member, both valid, or finds its slot
 * already NULL and is dropped (counted in tx_dropped).
 *
 * Layout: the fields every frame reads come first: the packed bucket
 * slots fill the first cache line, the table's writer-only @buckets.active
 * and the rest of the datapath fields sit on the second. @lock starts a line
 * of its own, so the LACP timer and the rx of LACPDUs, which write @lock and
 * the fields after it, never dirty a line the transmit path reads. (This
 * relies on netdev_priv() being cache-line aligned: 6.12 declares it so;
 * on 6.1 it is only NETDEV_ALIGN, but the allocation is in practice.)
 */
struct lag {
	/* transmit and receive path: read-mostly */
	struct lag_bucket_table buckets;
	u8 tx_mask;
	enum lag_xmit_hash_policy hash_policy;
	struct net_device *dev;
	struct net_device __rcu *tx_dev[LAG_MAX_PORTS];

	/* control: LACP and configuration */
	spinlock_t lock ____cacheline_aligned_in_smp; /* see above */
	struct list_head ports;
	unsigned int nr_ports;
	u8 min_links;
	u32 speed;
	u8 actor_system[ETH_ALEN];
	bool own_change;
	bool running;
	bool timer_done;
	bool tx_dirty;
	struct lacp_group lacp;
	struct sk_buff_head lacp_txq;
	struct timer_list timer;
	struct delayed_work notify_work;
	struct bpf_prog *xdp_prog;
};

/* What every frame reads fits in the first two 64-byte cache lines. */
static_assert(offsetofend(struct lag, tx_dev) <= 2 * 64);

/**
 * lag_lock - take the LAG's LACP lock, &lag.lock
 * @lag: the LAG
 *
 * Disables BH: the lock is also taken in softirq (the LACP timer, the rx
 * handler). End a section that may change member states or make the core
 * send with lag_unlock_publish(), one that only reads with lag_unlock().
 */
static inline void lag_lock(struct lag *lag)
	__acquires(&lag->lock)
{
	spin_lock_bh(&lag->lock);
}

/**
 * lag_unlock - drop the LACP lock after a section that changed nothing the
 *	datapath or the partner must learn of
 * @lag: the LAG
 */
static inline void lag_unlock(struct lag *lag)
	__releases(&lag->lock)
{
	spin_unlock_bh(&lag->lock);
}

static inline bool lag_speed_known(u32 speed)
{
	return speed != 0 && speed != (u32)SPEED_UNKNOWN;
}

/* lag_main.c: the device, membership and datapath */
void lag_setup(struct net_device *dev);
bool lag_is_lag_dev(const struct net_device *dev);
bool lag_is_port_dev(const struct net_device *dev);
int lag_admission_check(unsigned int nr_ports, u32 lag_speed, u32 port_speed);
int lag_add_port(struct net_device *dev, struct net_device *port_dev,
		 struct netlink_ext_ack *extack);
int lag_del_port(struct net_device *dev, struct net_device *port_dev);
int lag_port_may_move(struct lag *lag, struct net_device *port_dev,
		      struct netlink_ext_ack *extack);
void lag_set_min_links(struct lag *lag, u8 min_links);
int lag_set_hash_policy(struct lag *lag, enum lag_xmit_hash_policy policy,
			struct netlink_ext_ack *extack);
unsigned int lag_active_ports(const struct lag *lag);
void lag_update_tx(struct lag *lag);
void lag_notify_ports(struct lag *lag);

/* lag_lacp.c: the LACP core bound to the devices; the only caller of it */
extern const u8 lag_slow_proto_addr[ETH_ALEN];
u64 lag_now(void);
void lag_unlock_publish(struct lag *lag) __releases(&lag->lock);
void lag_lacp_init(struct lag *lag);
void lag_lacp_fini(struct lag *lag);
void lag_lacp_update_system(struct lag *lag);
void lag_lacp_links(struct lag *lag);
void lag_lacp_start(struct lag *lag);
void lag_lacp_stop(struct lag *lag);
int lag_lacp_port_add(struct lag *lag, struct lag_port *port);
void lag_lacp_port_del(struct lag *lag, struct lag_port *port);
void lag_lacp_port_going_down(struct lag *lag, struct lag_port *port);
rx_handler_result_t lag_lacp_rx(struct lag_port *port, struct sk_buff *skb);
void lag_lacp_set_option(struct lag *lag, u16 attr, const union lag_opt_val *v);
void lag_lacp_set_port_prio(struct lag_port *port, u16 prio);
const struct lacp_agg *lag_lacp_active_agg(const struct lag *lag);

/* lag_netpoll.c: netpoll (netconsole) over the members */
#ifdef CONFIG_NET_POLL_CONTROLLER
int lag_netpoll_can_join(const struct lag *lag, const struct net_device *pd,
			 struct netlink_ext_ack *extack);
int lag_netpoll_port_add(struct lag_port *port, struct netlink_ext_ack *extack);
void lag_netpoll_port_del(struct lag_port *port);
netdev_tx_t lag_netpoll_send(const struct lag *lag, struct net_device *pd,
			     struct sk_buff *skb);
int lag_netpoll_setup(struct net_device *dev, struct netpoll_info *npinfo);
void lag_netpoll_cleanup(struct net_device *dev);
void lag_poll_controller(struct net_device *dev);
#else
static inline int lag_netpoll_can_join(const struct lag *lag,
				       const struct net_device *pd,
				       struct netlink_ext_ack *extack)
{
	return 0;
}

static inline int lag_netpoll_port_add(struct lag_port *port,
				       struct netlink_ext_ack *extack)
{
	return 0;
}

static inline void lag_netpoll_port_del(struct lag_port *port)
{
}

static inline netdev_tx_t lag_netpoll_send(const struct lag *lag,
					   struct net_device *pd,
					   struct sk_buff *skb)
{
	dev_kfree_skb_any(skb);
	return NET_XMIT_DROP;
}
#endif

/* lag_netlink.c: rtnetlink */
extern struct rtnl_link_ops lag_link_ops;
int lag_netlink_init(void);
void lag_netlink_fini(void);

/* lag_sysfs.c: sysfs */
extern const struct attribute_group lag_sysfs_group;
void lag_sysfs_init(void);
int lag_sysfs_port_add(struct lag_port *port);
void lag_sysfs_port_del(struct lag_port *port);

#endif /* _LAG_H */

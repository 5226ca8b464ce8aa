// SPDX-License-Identifier: GPL-2.0
/*
 * lag: binds the LACP core (lacp_sm.c, pure logic) to the LAG's devices:
 * its clock and timer, LACPDUs in and out as frames, and the locking.
 *
 * lag->lock is the LACP lock of lacp.h: it serialises every call into the
 * core and the member states the core decides. It is taken with BH disabled
 * everywhere, from the timer and the rx handler (softirq) and from process
 * context (configuration, membership, member events, under RTNL). Frames
 * the core asks to send are queued under the lock and sent by lag_unlock_publish()
 * after it is dropped, still with BH disabled: a member being released is
 * first removed from the core under the lock, then waits for a grace period
 * (synchronize_net() in netdev_rx_handler_unregister()), which also waits
 * for any such send in flight, so no frame outlives its member.
 */

#include <linux/etherdevice.h>
#include <linux/jiffies.h>
#include <linux/netdevice.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>

#include "lag.h"
#include "lag_options.h"

#define CREATE_TRACE_POINTS
#include "lag_trace.h"

/* IEEE 802.3 Annex 57A: the Slow_Protocols_Multicast address. */
const u8 lag_slow_proto_addr[ETH_ALEN] __aligned(2) = {
	0x01, 0x80, 0xc2, 0x00, 0x00, 0x02
};

/**
 * lag_now - the LACP core's clock
 *
 * Return: milliseconds since boot, in 64 bits so that it never wraps.
 */
u64 lag_now(void)
{
	return jiffies64_to_msecs(get_jiffies_64());
}

/**
 * lag_unlock_publish - publish what changed under the LACP lock, drop it,
 *	send the PDUs the core queued
 * @lag: the LAG, its LACP lock held (lag_lock())
 *
 * Member states the core changed are published to the datapath before the
 * lock is dropped; RTNL-only notifications are left to a work item; queued
 * LACPDUs and Marker PDUs are sent after the lock is dropped, with BH still
 * disabled (see the top of this file). Every section that may have changed
 * a member's state or made the core send ends with this; sections that only
 * read end with lag_unlock().
 */
void lag_unlock_publish(struct lag *lag)
	__releases(&lag->lock)
{
	struct sk_buff_head q;
	struct sk_buff *skb;

	__skb_queue_head_init(&q);
	if (lag->tx_dirty) {
		lag->tx_dirty = false;
		lag_update_tx(lag);
		if (READ_ONCE(lag->dev->reg_state) == NETREG_REGISTERED)
			schedule_delayed_work(&lag->notify_work, 0);
	}
	skb_queue_splice_init(&lag->lacp_txq, &q);
	spin_unlock(&lag->lock);

	while ((skb = __skb_dequeue(&q)))
		dev_queue_xmit(skb);
	local_bh_enable();
}

/*
 * The destinations 802.1AX-2014 allows for LACPDUs (aAggPortProtocolDA):
 * the Slow Protocols group address, which we send to, and the Nearest
 * Customer Bridge and Nearest non-TPMR Bridge group addresses, which some
 * switches can be set to use. All three are link-constrained groups: no
 * unicast frame a promiscuous member lets in is one of them.
 */
static bool lag_lacp_protocol_da(const u8 *da)
{
	return is_link_local_ether_addr(da) &&
	       (da[5] == 0x00 || da[5] == 0x02 || da[5] == 0x03);
}

static int lag_lacp_tx(struct lacp_port *lp, const u8 *pdu, size_t len)
{
	struct lag_port *port = container_of(lp, struct lag_port, lacp);
	struct net_device *pd = port->dev;
	struct sk_buff *skb;
	struct ethhdr *eth;

	lockdep_assert_held(&port->lag->lock);
	skb = alloc_skb(LL_RESERVED_SPACE(pd) + ETH_HLEN + len, GFP_ATOMIC);
	if (!skb)
		return -ENOMEM;
	skb_reserve(skb, LL_RESERVED_SPACE(pd));
	skb_reset_mac_header(skb);
	eth = skb_put(skb, ETH_HLEN);
	ether_addr_copy(eth->h_dest, lag_slow_proto_addr);
	/* Each member speaks with its own address, not the LAG's. */
	ether_addr_copy(eth->h_source, port->orig_addr);
	eth->h_proto = htons(ETH_P_SLOW);
	skb_put_data(skb, pdu, len);
	skb_set_network_header(skb, ETH_HLEN);
	skb->dev = pd;
	skb->protocol = htons(ETH_P_SLOW);
	skb->priority = TC_PRIO_CONTROL;
	__skb_queue_tail(&port->lag->lacp_txq, skb);
	return 0;
}

static void lag_lacp_changed(struct lacp_port *lp)
{
	struct lag_port *port = container_of(lp, struct lag_port, lacp);

	lockdep_assert_held(&port->lag->lock);
	WRITE_ONCE(port->distributing, lp->distributing);
	WRITE_ONCE(port->collecting, lp->collecting);
	port->lag->tx_dirty = true;
}

/* The Receive machine's states, as the trace events name them. */
static const char * const lag_rx_words[] = {
	[LACP_RX_INITIALIZE]	= "initialize",
	[LACP_RX_PORT_DISABLED]	= "port_disabled",
	[LACP_RX_LACP_DISABLED]	= "lacp_disabled",
	[LACP_RX_EXPIRED]	= "expired",
	[LACP_RX_DEFAULTED]	= "defaulted",
	[LACP_RX_CURRENT]	= "current",
};

static const char *lag_rx_word(enum lacp_rx_state s)
{
	return (unsigned int)s < ARRAY_SIZE(lag_rx_words) ? lag_rx_words[s] :
							     "unknown";
}

static void lag_lacp_rx_transition(struct lacp_port *lp,
				   enum lacp_rx_state from,
				   enum lacp_rx_state to)
{
	struct lag_port *port = container_of(lp, struct lag_port, lacp);

	if (trace_lag_rx_state_enabled())
		trace_lag_rx_state(port->dev, lp, 0, from, to, lag_rx_word(from),
				   lag_rx_word(to), lag_reason_word(lp->reason));
}

static void lag_lacp_mux_transition(struct lacp_port *lp,
				    enum lag_mux_state from,
				    enum lag_mux_state to)
{
	struct lag_port *port = container_of(lp, struct lag_port, lacp);

	if (trace_lag_mux_state_enabled())
		trace_lag_mux_state(port->dev, lp, 1, from, to,
				    lag_mux_word(from), lag_mux_word(to),
				    lag_reason_word(lp->reason));
}

static const struct lacp_ops lag_lacp_ops = {
	.tx = lag_lacp_tx,
	.changed = lag_lacp_changed,
	.rx_transition = lag_lacp_rx_transition,
	.mux_transition = lag_lacp_mux_transition,
};

static void lag_lacp_timer(struct timer_list *t)
{
	struct lag *lag = from_timer(lag, t, timer);

	lag_lock(lag);
	lacp_tick(&lag->lacp, lag_now());
	lag_unlock_publish(lag);
	/* lag_lacp_fini() sets timer_done before it deletes the timer. */
	if (!READ_ONCE(lag->timer_done))
		mod_timer(&lag->timer, jiffies + msecs_to_jiffies(LACP_TICK_MS));
}

/*
 * The machines run while the LAG has members, up or down: a LAG that is
 * down has a disabled aggregator, not silent members. RTNL held.
 */
static void lag_lacp_timer_start(struct lag *lag)
{
	if (!timer_pending(&lag->timer))
		mod_timer(&lag->timer, jiffies + msecs_to_jiffies(LACP_TICK_MS));
}

/* Notifications that need RTNL, for member state changes made in softirq. */
static void lag_notify_work(struct work_struct *work)
{
	struct lag *lag = container_of(to_delayed_work(work), struct lag,
				       notify_work);

	/* Unregistering a LAG cancels this work under RTNL: never block on it. */
	if (!rtnl_trylock()) {
		schedule_delayed_work(&lag->notify_work, 1);
		return;
	}
	lag_notify_ports(lag);
	rtnl_unlock();
}

/**
 * lag_lacp_init - set up a new LAG's LACP state
 * @lag: the LAG, not yet registered
 */
void lag_lacp_init(struct lag *lag)
{
	lacp_group_init(&lag->lacp, &lag_lacp_ops, lag);
	/* A new LAG is down until it is opened. */
	lacp_group_set_down(&lag->lacp, true, lag_now());
	skb_queue_head_init(&lag->lacp_txq);
	timer_setup(&lag->timer, lag_lacp_timer, 0);
	INIT_DELAYED_WORK(&lag->notify_work, lag_notify_work);
}

/**
 * lag_lacp_fini - stop everything lag_lacp_init() started
 * @lag: the LAG, being unregistered, with no member left
 *
 * Context: RTNL held.
 */
void lag_lacp_fini(struct lag *lag)
{
	WRITE_ONCE(lag->timer_done, true);
	timer_delete_sync(&lag->timer);
	cancel_delayed_work_sync(&lag->notify_work);
}

/* The actor system ID: the user's, or the LAG's own address. */
static void lag_lacp_push_system(struct lag *lag, u64 now)
{
	const u8 *system = is_zero_ether_addr(lag->actor_system) ?
			   lag->dev->dev_addr : lag->actor_system;

	lacp_group_set_system(&lag->lacp, system, now);
}

/**
 * lag_lacp_update_system - the LAG's address or actor_system changed
 * @lag: the LAG
 */
void lag_lacp_update_system(struct lag *lag)
{
	lag_lock(lag);
	lag_lacp_push_system(lag, lag_now());
	lag_unlock_publish(lag);
}

/* Tell the core about a member's link. Caller holds lag->lock. */
static void lag_lacp_push_link(struct lag *lag, struct lag_port *port, u64 now)
{
	bool up = port->link_up;
	bool speed_ok = !lag_speed_known(port->speed) ||
			!lag_speed_known(lag->speed) || port->speed == lag->speed;

	lacp_port_set_eligible(&port->lacp, speed_ok, now);
	lacp_port_set_link(&port->lacp, up, port->speed, port->full_duplex, now);
}

/**
 * lag_lacp_links - a member's link or speed, or the LAG's state, changed
 * @lag: the LAG
 *
 * Re-evaluates every member, since a change of the LAG's speed can change
 * other members' eligibility.
 */
void lag_lacp_links(struct lag *lag)
{
	struct lag_port *port;
	u64 now = lag_now();

	lag_lock(lag);
	list_for_each_entry(port, &lag->ports, list)
		lag_lacp_push_link(lag, port, now);
	lag_unlock_publish(lag);
}

/**
 * lag_lacp_start - the LAG goes up: its aggregator is enabled
 * @lag: the LAG
 *
 * Context: RTNL held (ndo_open).
 */
void lag_lacp_start(struct lag *lag)
{
	u64 now = lag_now();

	WRITE_ONCE(lag->running, true);
	lag_lock(lag);
	lag_lacp_push_system(lag, now);
	lacp_group_set_down(&lag->lacp, false, now);
	lag_unlock_publish(lag);
	lag_lacp_timer_start(lag);
}

/**
 * lag_lacp_stop - the LAG goes down: its aggregator is disabled
 * @lag: the LAG
 *
 * Every member detaches and tells its partner, out of sync, at once; LACP
 * runs on, so that the partners neither time out nor churn, and the
 * members aggregate again as soon as the LAG is up.
 *
 * Context: RTNL held (ndo_stop).
 */
void lag_lacp_stop(struct lag *lag)
{
	WRITE_ONCE(lag->running, false);
	lag_lock(lag);
	lacp_group_set_down(&lag->lacp, true, lag_now());
	lag_unlock_publish(lag);
}

/**
 * lag_lacp_port_add - a member joins the LAG's LACP group
 * @lag: the LAG
 * @port: the new member, already on &lag->ports
 *
 * Return: 0 or the core's error.
 */
int lag_lacp_port_add(struct lag *lag, struct lag_port *port)
{
	u64 now = lag_now();
	int err;

	lag_lock(lag);
	err = lacp_port_add(&lag->lacp, &port->lacp, port->slot + 1, now);
	if (!err)
		lag_lacp_push_link(lag, port, now);
	lag_unlock_publish(lag);
	if (!err)
		lag_lacp_timer_start(lag);
	return err;
}

/**
 * lag_lacp_port_del - a member leaves the LAG's LACP group
 * @lag: the LAG
 * @port: the member
 *
 * The core's last LACPDU for it, which tells the partner it leaves, is sent
 * before this returns, on the member's link; afterwards the core sends
 * nothing more for it and it does not distribute.
 */
void lag_lacp_port_del(struct lag *lag, struct lag_port *port)
{
	lag_lock(lag);
	if (port->lacp.group)
		lacp_port_del(&port->lacp, lag_now());
	WRITE_ONCE(port->distributing, false);
	WRITE_ONCE(port->collecting, false);
	lag->tx_dirty = true;
	lag_unlock_publish(lag);
}

/**
 * lag_lacp_port_going_down - a member's device is being closed
 * @lag: the LAG
 * @port: the member
 *
 * Closing comes first when a device is set down, unregistered or moved to
 * another network namespace: the partner is told now, while the link is
 * still up (lacp_port_leave()), and the member counts as down from here.
 *
 * Context: RTNL held (NETDEV_GOING_DOWN).
 */
void lag_lacp_port_going_down(struct lag *lag, struct lag_port *port)
{
	u64 now;

	lag_lock(lag);
	now = lag_now();
	lacp_port_leave(&port->lacp, now);
	port->link_up = false;
	lag_lacp_push_link(lag, port, now);
	lag_unlock_publish(lag);
}

/**
 * lag_lacp_rx - a Slow Protocols frame arrived on a member
 * @port: the member
 * @skb: the frame, data at the subtype (after the Ethernet header)
 *
 * A frame not addressed to one of 802.1AX's protocol destinations (a
 * unicast one a promiscuous member let in) is not the machines' to see: it
 * is dropped and counted in misdirected_rx.
 * LACPDUs and Marker PDUs (and frames too short to have a subtype) are the
 * LAG's: they run the LACP core and are consumed. Other subtypes (Link OAM,
 * ESMC, ...) belong to the physical link: they are counted in unknown_rx
 * and left to listeners bound to the member itself, never delivered as the
 * LAG's.
 *
 * Context: softirq (the rx handler).
 *
 * Return: %RX_HANDLER_CONSUMED (@skb consumed) or %RX_HANDLER_EXACT.
 */
rx_handler_result_t lag_lacp_rx(struct lag_port *port, struct sk_buff *skb)
{
	struct lag *lag = port->lag;
	u8 subtype, *p;

	if (unlikely(!lag_lacp_protocol_da(eth_hdr(skb)->h_dest))) {
		lag_lock(lag);
		port->lacp.stats.misdirected_rx++;
		lag_unlock(lag);
		kfree_skb(skb);
		return RX_HANDLER_CONSUMED;
	}

	/* A peek: the frame may be shared with taps, so no pull yet. */
	p = skb_header_pointer(skb, 0, sizeof(subtype), &subtype);
	if (p && !lacp_subtype_ours(*p)) {
		/* The core counts it, reading no further than the subtype. */
		lag_lock(lag);
		if (port->lacp.group)
			lacp_rx(&port->lacp, p, sizeof(subtype), lag_now());
		lag_unlock_publish(lag);
		return RX_HANDLER_EXACT;
	}

	skb = skb_share_check(skb, GFP_ATOMIC);
	if (!skb)
		return RX_HANDLER_CONSUMED;
	if (skb_linearize(skb)) {
		lag_lock(lag);
		port->lacp.stats.lacpdu_rx_errors++;
		lag_unlock_publish(lag);
		kfree_skb(skb);
		return RX_HANDLER_CONSUMED;
	}
	lag_lock(lag);
	/* Between rx handler registration and the core's port add: ignore. */
	if (port->lacp.group)
		lacp_rx(&port->lacp, skb->data, skb->len, lag_now());
	lag_unlock_publish(lag);
	consume_skb(skb);
	return RX_HANDLER_CONSUMED;
}

/* ---- configuration: the only door from netlink and sysfs to the core ---- */

/**
 * lag_lacp_set_option - set a LAG option the LACP core holds
 * @lag: the LAG
 * @attr: the option's IFLA_LAG_* attribute: LACP_RATE, LACP_ACTIVE,
 *	LACP_FALLBACK, ACTOR_SYS_PRIO, ACTOR_SYSTEM, USER_PORT_KEY or
 *	AGG_SELECT
 * @v: a value the option table accepted
 *
 * The core applies it at once and tells the partners; lag_unlock_publish()
 * sends what it queued.
 *
 * Context: RTNL held (the option tables' rule).
 */
void lag_lacp_set_option(struct lag *lag, u16 attr, const union lag_opt_val *v)
{
	struct lacp_group *g = &lag->lacp;
	u64 now;

	lag_lock(lag);
	now = lag_now();
	switch (attr) {
	case IFLA_LAG_LACP_RATE:
		lacp_group_set_fast(g, v->num, now);
		break;
	case IFLA_LAG_LACP_ACTIVE:
		lacp_group_set_active(g, v->num, now);
		break;
	case IFLA_LAG_LACP_FALLBACK:
		lacp_group_set_fallback(g, v->num, now);
		break;
	case IFLA_LAG_ACTOR_SYS_PRIO:
		lacp_group_set_sys_prio(g, v->num, now);
		break;
	case IFLA_LAG_ACTOR_SYSTEM:
		ether_addr_copy(lag->actor_system, v->mac);
		lag_lacp_push_system(lag, now);
		break;
	case IFLA_LAG_USER_PORT_KEY:
		/* In range by the option table, so the core accepts it. */
		WARN_ON_ONCE(lacp_group_set_user_key(g, v->num, now));
		break;
	case IFLA_LAG_AGG_SELECT:
		lacp_group_set_agg_select(g, v->num, now);
		break;
	default:
		WARN_ON_ONCE(1);
		break;
	}
	lag_unlock_publish(lag);
}

/**
 * lag_lacp_set_port_prio - a member's port_prio
 * @port: the member
 * @prio: 0..65535
 */
void lag_lacp_set_port_prio(struct lag_port *port, u16 prio)
{
	struct lag *lag = port->lag;

	lag_lock(lag);
	lacp_port_set_prio(&port->lacp, prio, lag_now());
	lag_unlock_publish(lag);
}

/**
 * lag_lacp_active_agg - the LAG's active aggregator
 * @lag: the LAG, its LACP lock held
 *
 * Return: the aggregator, or NULL when there is none.
 */
const struct lacp_agg *lag_lacp_active_agg(const struct lag *lag)
{
	const struct lacp_group *g = &lag->lacp;
	int i;

	lockdep_assert_held(&lag->lock);
	for (i = 0; i < ARRAY_SIZE(g->aggs); i++)
		if (g->active_agg && g->aggs[i].id == g->active_agg)
			return &g->aggs[i];
	return NULL;
}

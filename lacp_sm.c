// SPDX-License-Identifier: GPL-2.0
/*
 * lag: the IEEE 802.1AX (802.3ad) LACP core.
 *
 * The machines of 802.1AX-2014 clause 6.4 for one group of up to
 * LAG_MAX_PORTS ports: Receive (6.4.12), Periodic Transmission (6.4.13),
 * Selection Logic (6.4.14, simplified to one active aggregator per group),
 * Mux with independent control of collecting and distributing (6.4.15),
 * Transmit (6.4.16) and Churn Detection (6.4.17) and the Marker responder
 * (6.5). The PDU codec is lacp_pdu.c.
 *
 * Pure logic: time is a millisecond count given by the caller, timers are
 * deadlines compared with it, and every entry point runs with the caller's
 * LACP lock held (&lag.lock; see lacp.h). Nothing here sleeps or allocates.
 */

#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/limits.h>
#include <linux/string.h>
#include <linux/etherdevice.h>
#include <kunit/visibility.h>

#include "lacp.h"

static_assert(LACP_STATE_ACTIVITY == LACP_STATE_LACP_ACTIVITY);
static_assert(LACP_STATE_TIMEOUT == LACP_STATE_LACP_TIMEOUT);
static_assert(LACP_STATE_SYNC == LACP_STATE_SYNCHRONIZATION);
static_assert(LACP_STATE_AGGREGATION == 0x04 &&
	      LACP_STATE_COLLECTING == 0x10 &&
	      LACP_STATE_DISTRIBUTING == 0x20 &&
	      LACP_STATE_DEFAULTED == 0x40 && LACP_STATE_EXPIRED == 0x80);

/* the state bits update_NTT compares (802.1AX 6.4.9) */
#define LACP_NTT_STATE_MASK	(LACP_STATE_ACTIVITY | LACP_STATE_TIMEOUT | \
				 LACP_STATE_SYNC | LACP_STATE_AGGREGATION)

/**
 * lacp_speed_code - speed part of the actor key
 * @speed_mbps: link speed in Mb/s, 0 or SPEED_UNKNOWN if not known
 *
 * Return: an enum lacp_speed value, 0..31.
 */
u8 lacp_speed_code(u32 speed_mbps)
{
	switch (speed_mbps) {
	case 0:
	case U32_MAX:		/* SPEED_UNKNOWN */
		return LACP_SPEED_UNKNOWN;
	case 10:
		return LACP_SPEED_10M;
	case 100:
		return LACP_SPEED_100M;
	case 1000:
		return LACP_SPEED_1G;
	case 2500:
		return LACP_SPEED_2_5G;
	case 5000:
		return LACP_SPEED_5G;
	case 10000:
		return LACP_SPEED_10G;
	case 20000:
		return LACP_SPEED_20G;
	case 25000:
		return LACP_SPEED_25G;
	case 40000:
		return LACP_SPEED_40G;
	case 50000:
		return LACP_SPEED_50G;
	case 56000:
		return LACP_SPEED_56G;
	case 100000:
		return LACP_SPEED_100G;
	case 200000:
		return LACP_SPEED_200G;
	case 400000:
		return LACP_SPEED_400G;
	case 800000:
		return LACP_SPEED_800G;
	default:
		return LACP_SPEED_OTHER;
	}
}
EXPORT_SYMBOL_IF_KUNIT(lacp_speed_code);

/* ---- helpers ---- */

static bool lacp_timer_expired(u64 deadline, u64 now)
{
	return now >= deadline;
}

static u16 lacp_actor_key(const struct lacp_port *p)
{
	return (u16)(p->group->user_key << 6 | (p->speed & 0x1f) << 1 |
		     (p->lacp_enabled ? 1 : 0));
}

/*
 * Recompute the actor's administrative part (system, key, port, the
 * Activity, Timeout and Aggregation bits) from the configuration.
 * Return: true if anything the partner sees changed.
 */
static bool lacp_actor_refresh(struct lacp_port *p)
{
	const struct lacp_group *g = p->group;
	struct lacp_info old = p->actor;
	u8 st;

	st = p->actor.state & ~(LACP_STATE_ACTIVITY | LACP_STATE_TIMEOUT);
	if (g->active)
		st |= LACP_STATE_ACTIVITY;
	if (g->fast)
		st |= LACP_STATE_TIMEOUT;
	st |= LACP_STATE_AGGREGATION;

	p->actor.sys_prio = g->sys_prio;
	ether_addr_copy(p->actor.system, g->system);
	p->actor.key = lacp_actor_key(p);
	p->actor.port_prio = p->port_prio;
	p->actor.port = p->port_number;
	p->actor.state = st;

	return old.sys_prio != p->actor.sys_prio ||
	       !ether_addr_equal(old.system, p->actor.system) ||
	       old.key != p->actor.key || old.port_prio != p->actor.port_prio ||
	       old.port != p->actor.port || old.state != p->actor.state;
}

static bool lacp_info_same_port(const struct lacp_info *a,
				const struct lacp_info *b)
{
	return a->port == b->port && a->port_prio == b->port_prio &&
	       ether_addr_equal(a->system, b->system) &&
	       a->sys_prio == b->sys_prio && a->key == b->key &&
	       (a->state & LACP_STATE_AGGREGATION) ==
	       (b->state & LACP_STATE_AGGREGATION);
}

static void lacp_unselect(struct lacp_port *p)
{
	p->selected = LACP_UNSELECTED;
	p->agg_id = 0;
}

static bool lacp_actor_active(const struct lacp_port *p)
{
	return p->actor.state & LACP_STATE_ACTIVITY;
}

static bool lacp_partner_active(const struct lacp_port *p)
{
	return p->partner.state & LACP_STATE_ACTIVITY;
}

/* ---- Receive machine (6.4.12) and its functions (6.4.9) ---- */

/* recordDefault */
static void lacp_record_default(struct lacp_port *p)
{
	p->partner = p->partner_admin;
	p->actor.state |= LACP_STATE_DEFAULTED;
}

/*
 * choose_Matched: the partner is in sync with us if its PDU shows it in
 * sync and either its view of us is right, or it is an individual link;
 * and LACP actively maintains the link (either end active).
 */
static bool lacp_choose_matched(const struct lacp_port *p,
				const struct lacp_pdu *pdu)
{
	bool matched, active;

	matched = lacp_info_same_port(&pdu->partner, &p->actor);
	active = (pdu->actor.state & LACP_STATE_ACTIVITY) ||
		 (lacp_actor_active(p) &&
		  (pdu->partner.state & LACP_STATE_ACTIVITY));
	return (matched || !(pdu->actor.state & LACP_STATE_AGGREGATION)) &&
	       (pdu->actor.state & LACP_STATE_SYNC) && active;
}

/* recordPDU */
static void lacp_record_pdu(struct lacp_port *p, const struct lacp_pdu *pdu)
{
	bool sync = lacp_choose_matched(p, pdu);

	p->partner = pdu->actor;
	if (sync)
		p->partner.state |= LACP_STATE_SYNC;
	else
		p->partner.state &= ~LACP_STATE_SYNC;
	p->actor.state &= ~LACP_STATE_DEFAULTED;
}

/* update_Selected */
static void lacp_update_selected(struct lacp_port *p,
				 const struct lacp_pdu *pdu)
{
	if (!lacp_info_same_port(&pdu->actor, &p->partner))
		lacp_unselect(p);
}

/* update_Default_Selected */
static void lacp_update_default_selected(struct lacp_port *p)
{
	if (!lacp_info_same_port(&p->partner_admin, &p->partner))
		lacp_unselect(p);
}

/* update_NTT */
static void lacp_update_ntt(struct lacp_port *p, const struct lacp_pdu *pdu)
{
	const struct lacp_info *a = &pdu->partner, *b = &p->actor;

	if (a->port != b->port || a->port_prio != b->port_prio ||
	    !ether_addr_equal(a->system, b->system) ||
	    a->sys_prio != b->sys_prio || a->key != b->key ||
	    (a->state & LACP_NTT_STATE_MASK) !=
	    (b->state & LACP_NTT_STATE_MASK)) {
		p->ntt = true;
		p->answer = true;
	}
}

static void lacp_rx_enter(struct lacp_port *p, enum lacp_rx_state s,
			  const struct lacp_pdu *pdu, u64 now)
{
	const struct lacp_ops *ops = p->group->ops;

	if (ops->rx_transition)
		ops->rx_transition(p, p->rx_state, s);
	p->rx_state = s;
	switch (s) {
	case LACP_RX_INITIALIZE:
		lacp_unselect(p);
		lacp_record_default(p);
		p->actor.state &= ~LACP_STATE_EXPIRED;
		p->port_moved = false;
		break;
	case LACP_RX_PORT_DISABLED:
		p->partner.state &= ~LACP_STATE_SYNC;
		break;
	case LACP_RX_LACP_DISABLED:
		lacp_unselect(p);
		lacp_record_default(p);
		p->partner.state &= ~LACP_STATE_AGGREGATION;
		p->actor.state &= ~LACP_STATE_EXPIRED;
		break;
	case LACP_RX_EXPIRED:
		p->partner.state &= ~LACP_STATE_SYNC;
		p->partner.state |= LACP_STATE_TIMEOUT;
		p->current_while = now + LACP_SHORT_TIMEOUT_MS;
		p->actor.state |= LACP_STATE_EXPIRED;
		break;
	case LACP_RX_DEFAULTED:
		lacp_update_default_selected(p);
		lacp_record_default(p);
		p->actor.state &= ~LACP_STATE_EXPIRED;
		break;
	case LACP_RX_CURRENT:
		lacp_update_selected(p, pdu);
		lacp_update_ntt(p, pdu);
		lacp_record_pdu(p, pdu);
		p->current_while = now + (p->actor.state & LACP_STATE_TIMEOUT ?
					  LACP_SHORT_TIMEOUT_MS :
					  LACP_LONG_TIMEOUT_MS);
		p->actor.state &= ~LACP_STATE_EXPIRED;
		break;
	}
}

/* Run the Receive machine; @pdu is a received LACPDU or NULL. */
static void lacp_rx_sm(struct lacp_port *p, const struct lacp_pdu *pdu,
		       u64 now)
{
	int guard;

	if (!p->port_enabled && !p->port_moved &&
	    p->rx_state != LACP_RX_PORT_DISABLED)
		lacp_rx_enter(p, LACP_RX_PORT_DISABLED, NULL, now);

	for (guard = 0; guard < 8; guard++) {
		switch (p->rx_state) {
		case LACP_RX_INITIALIZE:
			lacp_rx_enter(p, LACP_RX_PORT_DISABLED, NULL, now);
			continue;
		case LACP_RX_PORT_DISABLED:
			if (p->port_moved)
				lacp_rx_enter(p, LACP_RX_INITIALIZE, NULL, now);
			else if (p->port_enabled && p->lacp_enabled)
				lacp_rx_enter(p, LACP_RX_EXPIRED, NULL, now);
			else if (p->port_enabled)
				lacp_rx_enter(p, LACP_RX_LACP_DISABLED, NULL,
					      now);
			else
				return;
			continue;
		case LACP_RX_LACP_DISABLED:
			if (p->lacp_enabled) {
				lacp_rx_enter(p, LACP_RX_PORT_DISABLED, NULL,
					      now);
				continue;
			}
			return;
		case LACP_RX_EXPIRED:
		case LACP_RX_DEFAULTED:
		case LACP_RX_CURRENT:
			if (pdu) {
				lacp_rx_enter(p, LACP_RX_CURRENT, pdu, now);
				pdu = NULL;
				continue;
			}
			if (p->rx_state == LACP_RX_DEFAULTED ||
			    !lacp_timer_expired(p->current_while, now))
				return;
			lacp_rx_enter(p, p->rx_state == LACP_RX_CURRENT ?
				      LACP_RX_EXPIRED : LACP_RX_DEFAULTED,
				      NULL, now);
			continue;
		}
	}
}

/* ---- Selection Logic (6.4.14) ---- */

/*
 * Why @p cannot be selected at all, or LAG_PORT_REASON_NONE if it is a
 * candidate for an aggregator.
 */
static enum lag_port_reason lacp_port_block(const struct lacp_port *p)
{
	if (!p->port_enabled)
		return LAG_PORT_REASON_DOWN;
	if (p->group->down)
		return LAG_PORT_REASON_LAG_DOWN;
	if (!p->eligible)
		return LAG_PORT_REASON_SPEED;
	if (!p->lacp_enabled)
		return LAG_PORT_REASON_PARTNER;	/* half duplex: individual */
	if (!lacp_actor_active(p) && !lacp_partner_active(p))
		return LAG_PORT_REASON_PASSIVE;
	if (p->actor.state & LACP_STATE_DEFAULTED)
		return LAG_PORT_REASON_DEFAULTED;
	/* our own LACPDUs came back: only the MAC is compared */
	if (ether_addr_equal(p->partner.system, p->group->system))
		return LAG_PORT_REASON_LOOP;
	return LAG_PORT_REASON_NONE;
}

/* The partner port reports itself Individual: the link aggregates alone. */
static bool lacp_port_individual(const struct lacp_port *p)
{
	return !(p->partner.state & LACP_STATE_AGGREGATION);
}

static struct lacp_agg *lacp_agg_find(struct lacp_group *g, u16 id)
{
	int i;

	if (!id)
		return NULL;
	for (i = 0; i < LAG_MAX_PORTS; i++)
		if (g->aggs[i].id == id)
			return &g->aggs[i];
	return NULL;
}

/*
 * Does @p belong in @agg? Ports with the same actor key and partner share
 * an aggregator; an Individual link has one of its own (802.1AX 6.4.14),
 * which it keeps while it stays Individual.
 */
static bool lacp_agg_match(const struct lacp_agg *agg,
			   const struct lacp_port *p)
{
	if (agg->individual || lacp_port_individual(p))
		return agg->individual && lacp_port_individual(p) &&
		       agg->id == p->agg_id;
	return agg->actor_key == p->actor.key &&
	       agg->partner_sys_prio == p->partner.sys_prio &&
	       ether_addr_equal(agg->partner_system, p->partner.system) &&
	       agg->partner_key == p->partner.key;
}

static int lacp_agg_members(const struct lacp_group *g, u16 id)
{
	int i, n = 0;

	for (i = 0; i < LAG_MAX_PORTS; i++)
		if (g->ports[i] && g->ports[i]->agg_id == id)
			n++;
	return n;
}

/*
 * A new aggregator's ID: the founding port's number if free, else the
 * lowest free port number of the group. One of them is free: every other
 * aggregator in use has a member other than the founder, and IDs are
 * distinct.
 */
static u16 lacp_agg_new_id(struct lacp_group *g, const struct lacp_port *p)
{
	u16 best = 0;
	int i;

	if (!lacp_agg_find(g, p->port_number))
		return p->port_number;
	for (i = 0; i < LAG_MAX_PORTS; i++) {
		u16 n = g->ports[i] ? g->ports[i]->port_number : 0;

		if (n && (!best || n < best) && !lacp_agg_find(g, n))
			best = n;
	}
	return best;
}

static struct lacp_agg *lacp_agg_alloc(struct lacp_group *g,
				       const struct lacp_port *p)
{
	u16 id = lacp_agg_new_id(g, p);
	struct lacp_agg *agg;
	int i;

	if (!id)
		return NULL;
	for (i = 0; i < LAG_MAX_PORTS; i++) {
		agg = &g->aggs[i];
		if (agg->id)
			continue;
		agg->id = id;
		agg->actor_key = p->actor.key;
		agg->partner_sys_prio = p->partner.sys_prio;
		ether_addr_copy(agg->partner_system, p->partner.system);
		agg->partner_key = p->partner.key;
		agg->individual = lacp_port_individual(p);
		return agg;
	}
	return NULL;
}

/* <0 if @a's partner system is better (priority, then ID) than @b's. */
static int lacp_agg_partner_cmp(const struct lacp_agg *a,
				const struct lacp_agg *b)
{
	if (a->partner_sys_prio != b->partner_sys_prio)
		return a->partner_sys_prio < b->partner_sys_prio ? -1 : 1;
	return memcmp(a->partner_system, b->partner_system, ETH_ALEN);
}

/*
 * Is @a a better active aggregator than @b? Under "prio" the partner
 * system decides first, then the member count; otherwise the member count
 * first, then an aggregatable partner before an Individual link, then the
 * partner system; the lower ID breaks a tie.
 */
static bool lacp_agg_better(const struct lacp_group *g,
			    const struct lacp_agg *a, const struct lacp_agg *b)
{
	int na = lacp_agg_members(g, a->id), nb = lacp_agg_members(g, b->id);
	int c = lacp_agg_partner_cmp(a, b);

	if (g->agg_select == LAG_AGG_SELECT_PRIO && c)
		return c < 0;
	if (na != nb)
		return na > nb;
	if (a->individual != b->individual)
		return !a->individual;
	if (c)
		return c < 0;
	return a->id < b->id;
}

/*
 * Does @best, the best aggregator, displace @cur, the active one? Never
 * under "stable"; under "count" when it has more members; under "prio"
 * when its partner system is better.
 */
static bool lacp_agg_displaces(const struct lacp_group *g,
			       const struct lacp_agg *best,
			       const struct lacp_agg *cur)
{
	switch (g->agg_select) {
	case LAG_AGG_SELECT_COUNT:
		return lacp_agg_members(g, best->id) > lacp_agg_members(g, cur->id);
	case LAG_AGG_SELECT_PRIO:
		return lacp_agg_partner_cmp(best, cur) < 0;
	default:
		return false;
	}
}

/*
 * One pass of the Selection Logic. A port is attached to one aggregator:
 * the one whose actor key and partner system priority, system and key it
 * shares, or, for an Individual link, one of its own. A port whose
 * information no longer matches its aggregator is
 * unselected; it joins another only once its Mux is DETACHED. The active
 * aggregator follows the group's agg_select: kept while it has a member
 * ("stable"), or displaced by one with more ports ("count") or with a
 * better partner system ("prio"); when there is none, the one with most
 * ports wins, ties to an aggregatable partner before an Individual link,
 * then to the lowest partner system priority, then system ID (under
 * "prio": the partner system first). Ports of the active
 * aggregator are SELECTED, the others STANDBY.
 * Return: true if a port's Selected or aggregator changed.
 */
static bool lacp_select(struct lacp_group *g)
{
	struct lacp_agg *agg, *best = NULL;
	bool changed = false;
	struct lacp_port *p;
	int i, j;

	for (i = 0; i < LAG_MAX_PORTS; i++) {
		p = g->ports[i];
		if (!p || p->selected == LACP_UNSELECTED)
			continue;
		agg = lacp_agg_find(g, p->agg_id);
		if (lacp_port_block(p) != LAG_PORT_REASON_NONE || !agg ||
		    !lacp_agg_match(agg, p)) {
			lacp_unselect(p);
			changed = true;
		}
	}

	for (i = 0; i < LAG_MAX_PORTS; i++)
		if (g->aggs[i].id && !lacp_agg_members(g, g->aggs[i].id))
			g->aggs[i].id = 0;

	/* join, in port number order so an aggregator takes the lowest */
	for (;;) {
		p = NULL;
		for (i = 0; i < LAG_MAX_PORTS; i++) {
			struct lacp_port *q = g->ports[i];

			if (q && q->selected == LACP_UNSELECTED &&
			    q->mux_state == LAG_MUX_DETACHED &&
			    lacp_port_block(q) == LAG_PORT_REASON_NONE &&
			    (!p || q->port_number < p->port_number))
				p = q;
		}
		if (!p)
			break;
		agg = NULL;
		for (j = 0; j < LAG_MAX_PORTS; j++) {
			if (g->aggs[j].id && lacp_agg_match(&g->aggs[j], p)) {
				agg = &g->aggs[j];
				break;
			}
		}
		if (!agg)
			agg = lacp_agg_alloc(g, p);
		if (WARN_ON_ONCE(!agg))
			break;
		p->agg_id = agg->id;
		p->selected = LACP_STANDBY;
		changed = true;
	}

	for (i = 0; i < LAG_MAX_PORTS; i++) {
		agg = &g->aggs[i];
		if (agg->id && (!best || lacp_agg_better(g, agg, best)))
			best = agg;
	}
	agg = lacp_agg_find(g, g->active_agg);
	if (!agg || (best && best != agg && lacp_agg_displaces(g, best, agg)))
		g->active_agg = best ? best->id : 0;

	for (i = 0; i < LAG_MAX_PORTS; i++) {
		enum lacp_selected sel;

		p = g->ports[i];
		if (!p || !p->agg_id)
			continue;
		sel = p->agg_id == g->active_agg ? LACP_SELECTED : LACP_STANDBY;
		if (p->selected != sel) {
			p->selected = sel;
			changed = true;
		}
	}
	return changed;
}

/* ---- Mux machine, independent control (6.4.15) ---- */

/*
 * Ready: every port selected for @p's aggregator and waiting in WAITING
 * has seen its wait_while_timer expire (ready_N).
 */
static bool lacp_mux_ready(const struct lacp_port *p, u64 now)
{
	const struct lacp_group *g = p->group;
	int i;

	for (i = 0; i < LAG_MAX_PORTS; i++) {
		const struct lacp_port *q = g->ports[i];

		if (q && q->agg_id == p->agg_id &&
		    q->selected == LACP_SELECTED &&
		    q->mux_state == LAG_MUX_WAITING &&
		    !lacp_timer_expired(q->wait_while, now))
			return false;
	}
	return true;
}

static void lacp_mux_enter(struct lacp_port *p, enum lag_mux_state s,
			   u64 now)
{
	const struct lacp_ops *ops = p->group->ops;

	if (ops->mux_transition)
		ops->mux_transition(p, p->mux_state, s);
	p->mux_state = s;
	p->mux_since = now;
	switch (s) {
	case LAG_MUX_DETACHED:
		p->actor.state &= ~(LACP_STATE_SYNC | LACP_STATE_COLLECTING |
				    LACP_STATE_DISTRIBUTING);
		p->ntt = true;
		break;
	case LAG_MUX_WAITING:
		p->wait_while = now + LACP_AGG_WAIT_MS;
		break;
	case LAG_MUX_ATTACHED:
		p->actor.state |= LACP_STATE_SYNC;
		p->actor.state &= ~(LACP_STATE_COLLECTING |
				    LACP_STATE_DISTRIBUTING);
		p->ntt = true;
		break;
	case LAG_MUX_COLLECTING:
		p->actor.state |= LACP_STATE_COLLECTING;
		p->actor.state &= ~LACP_STATE_DISTRIBUTING;
		p->ntt = true;
		break;
	case LAG_MUX_DISTRIBUTING:
		p->actor.state |= LACP_STATE_DISTRIBUTING;
		/*
		 * Not in the standard's figure, which leaves the news to the
		 * next periodic LACPDU (up to 30 s): tell the partner at once
		 * so that its record of our state is current.
		 */
		p->ntt = true;
		break;
	case __LAG_MUX_MAX:	/* the count, not a state */
		break;
	}
}

/* Return: true if the machine changed state. */
static bool lacp_mux_sm(struct lacp_port *p, u64 now)
{
	bool changed = false;
	int guard;

	for (guard = 0; guard < 8; guard++) {
		bool sel = p->selected == LACP_SELECTED;
		bool psync = p->partner.state & LACP_STATE_SYNC;
		bool pcoll = p->partner.state & LACP_STATE_COLLECTING;
		enum lag_mux_state next = p->mux_state;

		switch (p->mux_state) {
		case LAG_MUX_DETACHED:
			if (p->selected != LACP_UNSELECTED)
				next = LAG_MUX_WAITING;
			break;
		case LAG_MUX_WAITING:
			if (p->selected == LACP_UNSELECTED)
				next = LAG_MUX_DETACHED;
			else if (sel && lacp_mux_ready(p, now))
				next = LAG_MUX_ATTACHED;
			break;
		case LAG_MUX_ATTACHED:
			if (!sel)
				next = LAG_MUX_DETACHED;
			else if (psync)
				next = LAG_MUX_COLLECTING;
			break;
		case LAG_MUX_COLLECTING:
			if (!sel || !psync)
				next = LAG_MUX_ATTACHED;
			else if (pcoll)
				next = LAG_MUX_DISTRIBUTING;
			break;
		case LAG_MUX_DISTRIBUTING:
			if (!sel || !psync || !pcoll)
				next = LAG_MUX_COLLECTING;
			break;
		case __LAG_MUX_MAX:	/* the count, not a state */
			break;
		}
		if (next == p->mux_state)
			break;
		lacp_mux_enter(p, next, now);
		changed = true;
	}
	return changed;
}

/* ---- Periodic Transmission machine (6.4.13) ---- */

static void lacp_periodic_sm(struct lacp_port *p, u64 now)
{
	int guard;

	if (!p->port_enabled || !p->lacp_enabled ||
	    (!lacp_actor_active(p) && !lacp_partner_active(p))) {
		p->periodic_state = LACP_PERIODIC_NO;
		return;
	}

	for (guard = 0; guard < 4; guard++) {
		bool pshort = p->partner.state & LACP_STATE_TIMEOUT;
		bool expired = lacp_timer_expired(p->periodic_until, now);

		switch (p->periodic_state) {
		case LACP_PERIODIC_NO:
			p->periodic_state = LACP_PERIODIC_FAST;
			p->periodic_until = now + LACP_FAST_PERIODIC_MS;
			continue;
		case LACP_PERIODIC_FAST:
			if (expired) {
				p->periodic_state = LACP_PERIODIC_TX;
				continue;
			}
			if (!pshort) {
				p->periodic_state = LACP_PERIODIC_SLOW;
				p->periodic_until = now + LACP_SLOW_PERIODIC_MS;
			}
			return;
		case LACP_PERIODIC_SLOW:
			if (!expired && !pshort)
				return;
			p->periodic_state = LACP_PERIODIC_TX;
			continue;
		case LACP_PERIODIC_TX:
			p->ntt = true;
			if (pshort) {
				p->periodic_state = LACP_PERIODIC_FAST;
				p->periodic_until = now + LACP_FAST_PERIODIC_MS;
			} else {
				p->periodic_state = LACP_PERIODIC_SLOW;
				p->periodic_until = now + LACP_SLOW_PERIODIC_MS;
			}
			return;
		}
	}
}

/* ---- Churn Detection machines (6.4.17) ---- */

/* Return: true when the machine enters LACP_CHURN (churn detected). */
static bool lacp_churn_sm(enum lacp_churn_state *st, u64 *until, bool enabled,
			  bool in_sync, u64 now)
{
	if (!enabled) {
		/* global transition to the MONITOR state, timer restarted */
		*st = LACP_CHURN_MONITOR;
		*until = now + LACP_CHURN_MS;
		return false;
	}
	switch (*st) {
	case LACP_CHURN_MONITOR:
		if (in_sync) {
			*st = LACP_CHURN_NONE;
		} else if (lacp_timer_expired(*until, now)) {
			*st = LACP_CHURN;
			return true;
		}
		break;
	case LACP_CHURN_NONE:
		if (!in_sync) {
			*st = LACP_CHURN_MONITOR;
			*until = now + LACP_CHURN_MS;
		}
		break;
	case LACP_CHURN:
		if (in_sync)
			*st = LACP_CHURN_NONE;
		break;
	}
	return false;
}

/* ---- Transmit machine (6.4.16) ---- */

/* Whether @max sends (at most LACP_WINDOW_MAX) were noted in the last @span ms. */
static bool lacp_window_full(const struct lacp_send_window *w, unsigned int max,
			     u64 span, u64 now)
{
	return w->count >= max && now < w->times[w->next] + span;
}

/* Note a send at @now in a window used with the limit @max. */
static void lacp_window_note(struct lacp_send_window *w, unsigned int max,
			     u64 now)
{
	w->times[w->next] = now;
	w->next = (w->next + 1) % max;
	if (w->count < max)
		w->count++;
}

/*
 * Whether @p may send an LACPDU. When either end is active, yes. When both
 * are passive (speak only when spoken to), only to answer an LACPDU that has
 * us wrong, or to take back what our last LACPDU claimed: that we were
 * active, in sync, collecting or distributing. A partner that stays
 * passive then knows both ends are, and goes quiet as we do; one that
 * turns active starts from that knowledge (its Periodic machine leaves
 * NO_PERIODIC) and we follow at its first LACPDU.
 */
static bool lacp_claims_changed(const struct lacp_port *p)
{
	const u8 claims = LACP_STATE_ACTIVITY | LACP_STATE_SYNC |
			  LACP_STATE_COLLECTING | LACP_STATE_DISTRIBUTING;

	return (p->told & claims) != (p->actor.state & claims);
}

static bool lacp_may_speak(const struct lacp_port *p)
{
	return lacp_actor_active(p) || lacp_partner_active(p) || p->answer ||
	       lacp_claims_changed(p);
}

static void lacp_tx_sm(struct lacp_port *p, u64 now)
{
	const struct lacp_ops *ops = p->group->ops;
	u8 pdu[LACP_PDU_LEN];

	if (!p->port_enabled || !p->lacp_enabled) {
		p->ntt = false;
		p->answer = false;
		return;
	}
	/* what we last said is no longer true (the change may have come
	 * while the link was down, when NTT was dropped): say it again
	 */
	if (lacp_claims_changed(p))
		p->ntt = true;
	if (!p->ntt || !lacp_may_speak(p))
		return;
	/* at most LACP_TX_MAX_PER_FAST in any LACP_FAST_PERIODIC_MS */
	if (lacp_window_full(&p->lacpdu_window, LACP_TX_MAX_PER_FAST,
			     LACP_FAST_PERIODIC_MS, now))
		return;
	if (!ops || !ops->tx)
		return;

	lacp_pdu_build_lacpdu(pdu, &p->actor, &p->partner, 0);
	if (ops->tx(p, pdu, sizeof(pdu)))
		return;		/* not queued: NTT stays, retried next tick */

	p->ntt = false;
	p->answer = false;
	p->told = p->actor.state;
	p->stats.lacpdu_tx++;
	lacp_window_note(&p->lacpdu_window, LACP_TX_MAX_PER_FAST, now);
}

/*
 * Tell the partner that @p leaves: one LACPDU with Synchronization,
 * Collecting and Distributing cleared, so that it stops distributing to the
 * link at once instead of at its own timeout (90 s at the slow rate). Sent
 * whatever the window says, since it is the port's last (with a full window
 * and the Marker Responses still below 802.3's 10 frames a second), and
 * noted in it, since the link may come back into a group at once.
 */
static void lacp_tx_leaving(struct lacp_port *p, u64 now)
{
	const struct lacp_ops *ops = p->group->ops;
	u8 pdu[LACP_PDU_LEN];

	p->actor.state &= ~(LACP_STATE_SYNC | LACP_STATE_COLLECTING |
			    LACP_STATE_DISTRIBUTING);
	/* No carrier, half duplex, or passive ends that never aggregated. */
	if (!p->port_enabled || !p->lacp_enabled || !lacp_may_speak(p))
		return;
	if (!ops || !ops->tx)
		return;
	lacp_pdu_build_lacpdu(pdu, &p->actor, &p->partner, 0);
	if (ops->tx(p, pdu, sizeof(pdu)))
		return;
	p->told = p->actor.state;
	p->stats.lacpdu_tx++;
	lacp_window_note(&p->lacpdu_window, LACP_TX_MAX_PER_FAST, now);
}

/* ---- the group ---- */

/**
 * lacp_group_has_partner - whether any port heard a partner
 * @g: the group
 *
 * Return: true if an enabled port has partner information from an LACPDU
 * (not defaulted).
 */
bool lacp_group_has_partner(const struct lacp_group *g)
{
	int i;

	for (i = 0; i < LAG_MAX_PORTS; i++) {
		const struct lacp_port *p = g->ports[i];

		if (p && p->port_enabled &&
		    !(p->actor.state & LACP_STATE_DEFAULTED))
			return true;
	}
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(lacp_group_has_partner);

/* The port made to distribute by the fallback rule, or NULL. */
static struct lacp_port *lacp_fallback_port(const struct lacp_group *g)
{
	struct lacp_port *best = NULL;
	int i;

	if (!g->fallback || g->down || lacp_group_has_partner(g))
		return NULL;
	for (i = 0; i < LAG_MAX_PORTS; i++) {
		struct lacp_port *p = g->ports[i];

		if (p && p->port_enabled && p->eligible &&
		    (!best || p->port_number < best->port_number))
			best = p;
	}
	return best;
}

static enum lag_port_reason lacp_port_reason(const struct lacp_port *p,
					     const struct lacp_port *fb)
{
	enum lag_port_reason r;

	if (p->distributing)
		return LAG_PORT_REASON_NONE;
	r = lacp_port_block(p);
	if (fb && r != LAG_PORT_REASON_DOWN && r != LAG_PORT_REASON_SPEED)
		return LAG_PORT_REASON_DEFAULTED;
	if (r != LAG_PORT_REASON_NONE)
		return r;
	if (p->rx_state == LACP_RX_EXPIRED)
		return LAG_PORT_REASON_EXPIRED;
	if (p->selected == LACP_STANDBY)
		return lacp_port_individual(p) ? LAG_PORT_REASON_INDIVIDUAL :
						 LAG_PORT_REASON_PARTNER;
	if (p->actor_churn_state == LACP_CHURN ||
	    p->partner_churn_state == LACP_CHURN)
		return LAG_PORT_REASON_CHURN;
	return LAG_PORT_REASON_SYNC;
}

/* Run every machine of every port at @now. */
static void lacp_run(struct lacp_group *g, u64 now)
{
	struct lacp_port *p, *fb;
	int i, pass;

	for (i = 0; i < LAG_MAX_PORTS; i++)
		if (g->ports[i])
			lacp_rx_sm(g->ports[i], NULL, now);

	/* Selection and Mux until settled (a detach lets a port re-select) */
	for (pass = 0; pass < 4; pass++) {
		bool changed = lacp_select(g);

		for (i = 0; i < LAG_MAX_PORTS; i++)
			if (g->ports[i])
				changed |= lacp_mux_sm(g->ports[i], now);
		if (!changed)
			break;
	}

	for (i = 0; i < LAG_MAX_PORTS; i++) {
		p = g->ports[i];
		if (!p)
			continue;
		lacp_periodic_sm(p, now);
		if (lacp_churn_sm(&p->actor_churn_state, &p->actor_churn_until,
				  p->port_enabled,
				  p->actor.state & LACP_STATE_SYNC, now))
			p->stats.churn++;
		if (lacp_churn_sm(&p->partner_churn_state,
				  &p->partner_churn_until, p->port_enabled,
				  p->partner.state & LACP_STATE_SYNC, now))
			p->stats.churn++;
	}

	fb = lacp_fallback_port(g);
	for (i = 0; i < LAG_MAX_PORTS; i++) {
		bool coll, dist;

		p = g->ports[i];
		if (!p)
			continue;
		p->fallback = p == fb;
		coll = p->fallback || p->mux_state == LAG_MUX_COLLECTING ||
		       p->mux_state == LAG_MUX_DISTRIBUTING;
		dist = p->fallback || p->mux_state == LAG_MUX_DISTRIBUTING;
		if (coll != p->collecting || dist != p->distributing) {
			p->collecting = coll;
			p->distributing = dist;
			if (g->ops && g->ops->changed)
				g->ops->changed(p);
		}
		p->reason = lacp_port_reason(p, fb);
	}

	for (i = 0; i < LAG_MAX_PORTS; i++)
		if (g->ports[i])
			lacp_tx_sm(g->ports[i], now);
}

/**
 * lacp_group_init - initialise a group with the defaults
 * @g: the group
 * @ops: callbacks to the glue
 * @priv: the glue's pointer, stored in @g->priv
 *
 * Defaults: system priority 65535, system ID zero (the glue sets it),
 * user key 0, active, slow rate, fallback off, no ports.
 */
void lacp_group_init(struct lacp_group *g, const struct lacp_ops *ops,
		     void *priv)
{
	memset(g, 0, sizeof(*g));
	g->sys_prio = 65535;
	g->active = true;
	g->ops = ops;
	g->priv = priv;
}
EXPORT_SYMBOL_IF_KUNIT(lacp_group_init);

/**
 * lacp_port_add - add a port to a group
 * @g: the group
 * @p: the port, zeroed or removed with lacp_port_del(); every field is
 *	(re)initialised
 * @port_number: its port number, 1..65535, unique in @g
 * @now: current time, ms
 *
 * The port starts disabled (no carrier: see lacp_port_set_link()), with
 * port priority 255 (see lacp_port_set_prio()) and eligible.
 *
 * Return: 0; -EINVAL for port number 0; -EBUSY if @p is in a group;
 * -EEXIST if the number is taken in @g; -ENOSPC if @g has LAG_MAX_PORTS
 * ports.
 */
int lacp_port_add(struct lacp_group *g, struct lacp_port *p, u16 port_number,
		  u64 now)
{
	struct lacp_send_window windows[2];
	int i, slot = -1;
	u8 told;

	if (!port_number)
		return -EINVAL;
	if (p->group)
		return -EBUSY;
	for (i = 0; i < LAG_MAX_PORTS; i++) {
		if (!g->ports[i]) {
			if (slot < 0)
				slot = i;
			continue;
		}
		if (g->ports[i]->port_number == port_number)
			return -EEXIST;
	}
	if (slot < 0)
		return -ENOSPC;

	/*
	 * The link's recent sends outlive its membership: keep their windows,
	 * and what the partner was last told.
	 */
	windows[0] = p->lacpdu_window;
	windows[1] = p->marker_window;
	told = p->told;
	memset(p, 0, sizeof(*p));
	p->lacpdu_window = windows[0];
	p->marker_window = windows[1];
	p->told = told;
	p->group = g;
	p->port_number = port_number;
	p->port_prio = 255;
	p->eligible = true;
	/* partner_admin: all zero: passive, long timeout, individual */
	lacp_actor_refresh(p);
	g->ports[slot] = p;

	/* BEGIN */
	lacp_rx_enter(p, LACP_RX_INITIALIZE, NULL, now);
	lacp_mux_enter(p, LAG_MUX_DETACHED, now);
	p->periodic_state = LACP_PERIODIC_NO;
	p->actor_churn_state = LACP_CHURN_MONITOR;
	p->actor_churn_until = now + LACP_CHURN_MS;
	p->partner_churn_state = LACP_CHURN_MONITOR;
	p->partner_churn_until = now + LACP_CHURN_MS;
	p->reason = LAG_PORT_REASON_DOWN;

	lacp_run(g, now);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(lacp_port_add);

/**
 * lacp_port_del - remove a port from its group
 * @p: the port
 * @now: current time, ms
 *
 * The port is detached and, if it has carrier and runs LACP, tells its
 * partner with one last LACPDU that it is out of sync and neither collects
 * nor distributes; its outputs are cleared without calling ops->changed
 * for it; the other ports are re-selected (and ops->changed is called for
 * those whose outputs change). No-op if @p is in no group.
 */
void lacp_port_del(struct lacp_port *p, u64 now)
{
	struct lacp_group *g = p->group;
	int i;

	if (!g)
		return;
	for (i = 0; i < LAG_MAX_PORTS; i++)
		if (g->ports[i] == p)
			g->ports[i] = NULL;

	lacp_unselect(p);
	p->mux_state = LAG_MUX_DETACHED;
	lacp_tx_leaving(p, now);
	p->collecting = false;
	p->distributing = false;
	p->fallback = false;
	p->ntt = false;
	p->answer = false;
	p->reason = LAG_PORT_REASON_DOWN;
	p->group = NULL;

	lacp_run(g, now);
}
EXPORT_SYMBOL_IF_KUNIT(lacp_port_del);

/**
 * lacp_port_leave - the port is about to lose its link for good (its
 *	device is closed, unregistered or moved away): tell the partner now
 * @p: the port
 * @now: current time, ms
 *
 * Sends the LACPDU lacp_port_del() sends, while the link can still carry
 * it. The caller then takes the link down (lacp_port_set_link()).
 */
void lacp_port_leave(struct lacp_port *p, u64 now)
{
	if (p->group)
		lacp_tx_leaving(p, now);
}
EXPORT_SYMBOL_IF_KUNIT(lacp_port_leave);

/**
 * lacp_port_set_link - carrier, speed and duplex of a port changed
 * @p: the port
 * @up: carrier: the port is enabled (port_enabled)
 * @speed_mbps: link speed in Mb/s (0 or SPEED_UNKNOWN if unknown)
 * @full_duplex: LACP runs only on full duplex links (LACP_Enabled)
 * @now: current time, ms
 *
 * Updates the speed and duplex parts of the actor key and runs the
 * machines.
 */
void lacp_port_set_link(struct lacp_port *p, bool up, u32 speed_mbps,
			bool full_duplex, u64 now)
{
	if (!p->group)
		return;
	p->port_enabled = up;
	p->lacp_enabled = full_duplex;
	p->speed = lacp_speed_code(speed_mbps);
	if (lacp_actor_refresh(p))
		p->ntt = true;
	lacp_run(p->group, now);
}
EXPORT_SYMBOL_IF_KUNIT(lacp_port_set_link);

/**
 * lacp_port_set_eligible - the glue's verdict on a port's speed
 * @p: the port
 * @eligible: false if its speed differs from the LAG's: never selected,
 *	reason LAG_PORT_REASON_SPEED
 * @now: current time, ms
 */
void lacp_port_set_eligible(struct lacp_port *p, bool eligible, u64 now)
{
	if (!p->group)
		return;
	p->eligible = eligible;
	lacp_run(p->group, now);
}
EXPORT_SYMBOL_IF_KUNIT(lacp_port_set_eligible);

/**
 * lacp_port_set_prio - set a port's priority
 * @p: the port
 * @prio: the actor port priority
 * @now: current time, ms
 *
 * Sent to the partner in the next LACPDU.
 */
void lacp_port_set_prio(struct lacp_port *p, u16 prio, u64 now)
{
	if (!p->group)
		return;
	p->port_prio = prio;
	if (lacp_actor_refresh(p))
		p->ntt = true;
	lacp_run(p->group, now);
}
EXPORT_SYMBOL_IF_KUNIT(lacp_port_set_prio);

/* The configuration of @g changed: tell the partners and re-select. */
static void lacp_group_config_changed(struct lacp_group *g, u64 now)
{
	int i;

	for (i = 0; i < LAG_MAX_PORTS; i++)
		if (g->ports[i] && lacp_actor_refresh(g->ports[i]))
			g->ports[i]->ntt = true;
	lacp_run(g, now);
}

/**
 * lacp_group_set_sys_prio - set the actor system priority
 * @g: the group
 * @prio: the priority
 * @now: current time, ms
 */
void lacp_group_set_sys_prio(struct lacp_group *g, u16 prio, u64 now)
{
	g->sys_prio = prio;
	lacp_group_config_changed(g, now);
}
EXPORT_SYMBOL_IF_KUNIT(lacp_group_set_sys_prio);

/**
 * lacp_group_set_system - set the actor system ID
 * @g: the group
 * @system: the MAC address (ETH_ALEN bytes)
 * @now: current time, ms
 */
void lacp_group_set_system(struct lacp_group *g, const u8 *system, u64 now)
{
	ether_addr_copy(g->system, system);
	lacp_group_config_changed(g, now);
}
EXPORT_SYMBOL_IF_KUNIT(lacp_group_set_system);

/**
 * lacp_group_set_user_key - set the user part of the actor key
 * @g: the group
 * @key: 0..LAG_USER_PORT_KEY_MAX
 * @now: current time, ms
 *
 * Return: 0, or -ERANGE if @key is above LAG_USER_PORT_KEY_MAX.
 */
int lacp_group_set_user_key(struct lacp_group *g, u16 key, u64 now)
{
	if (key > LAG_USER_PORT_KEY_MAX)
		return -ERANGE;
	g->user_key = key;
	lacp_group_config_changed(g, now);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(lacp_group_set_user_key);

/**
 * lacp_group_set_active - set LACP activity
 * @g: the group
 * @active: true: active LACP; false: passive (speak only when spoken to)
 * @now: current time, ms
 */
void lacp_group_set_active(struct lacp_group *g, bool active, u64 now)
{
	g->active = active;
	lacp_group_config_changed(g, now);
}
EXPORT_SYMBOL_IF_KUNIT(lacp_group_set_active);

/**
 * lacp_group_set_fast - set the LACP rate
 * @g: the group
 * @fast: true: ask the partner for short timeouts (LACPDU every second)
 * @now: current time, ms
 */
void lacp_group_set_fast(struct lacp_group *g, bool fast, u64 now)
{
	u64 tmo = fast ? LACP_SHORT_TIMEOUT_MS : LACP_LONG_TIMEOUT_MS;
	int i;

	/*
	 * current_while runs for the actor's timeout (CURRENT state). Apply
	 * a new rate to the running timer too: after fast -> slow the partner
	 * turns to slow periodic at once, and a timer still running for the
	 * short timeout would expire a healthy partner.
	 */
	for (i = 0; i < LAG_MAX_PORTS; i++) {
		struct lacp_port *p = g->ports[i];

		if (p && p->rx_state == LACP_RX_CURRENT &&
		    (!fast || p->current_while > now + tmo))
			p->current_while = now + tmo;
	}
	g->fast = fast;
	lacp_group_config_changed(g, now);
}
EXPORT_SYMBOL_IF_KUNIT(lacp_group_set_fast);

/**
 * lacp_group_set_fallback - set LACP fallback
 * @g: the group
 * @fallback: true: while no port has heard a partner, the enabled eligible
 *	port with the lowest number collects and distributes alone
 * @now: current time, ms
 */
void lacp_group_set_fallback(struct lacp_group *g, bool fallback, u64 now)
{
	g->fallback = fallback;
	lacp_group_config_changed(g, now);
}
EXPORT_SYMBOL_IF_KUNIT(lacp_group_set_fallback);

/**
 * lacp_group_set_agg_select - set the aggregator selection policy
 * @g: the group
 * @policy: an &enum lag_agg_select value
 * @now: current time, ms
 *
 * Takes effect at once: under "count" or "prio" a better aggregator than
 * the active one becomes active in this call.
 */
void lacp_group_set_agg_select(struct lacp_group *g, u8 policy, u64 now)
{
	g->agg_select = policy;
	lacp_run(g, now);
}
EXPORT_SYMBOL_IF_KUNIT(lacp_group_set_agg_select);

/**
 * lacp_group_set_down - the LAG is set administratively down, or up
 * @g: the group
 * @down: true: disable the aggregator
 * @now: current time, ms
 *
 * Down, every port is unselected and detaches, which tells its partner at
 * once that it is out of sync (so the partner stops distributing to it);
 * the machines keep running, so the partners stay current and the ports
 * aggregate again as soon as @down is cleared, without a timeout.
 */
void lacp_group_set_down(struct lacp_group *g, bool down, u64 now)
{
	g->down = down;
	lacp_run(g, now);
}
EXPORT_SYMBOL_IF_KUNIT(lacp_group_set_down);

/**
 * lacp_rx - a Slow Protocols PDU arrived on a port
 * @p: the port
 * @pdu: the PDU from the subtype byte on (after the Ethernet header)
 * @len: bytes left in the frame (may include padding)
 * @now: current time, ms
 *
 * An LACPDU runs the machines. A Marker Information PDU is answered with
 * a Marker Response carrying the requester's port, system and transaction
 * ID, at most LACP_MARKER_RESP_MAX in any second (the others are counted
 * in marker_rx_dropped). A Marker Response is counted, never answered. A malformed PDU is
 * counted in lacpdu_rx_errors and changes nothing else; an unknown subtype
 * is counted in unknown_rx.
 */
void lacp_rx(struct lacp_port *p, const u8 *pdu, size_t len, u64 now)
{
	struct lacp_group *g = p->group;
	struct lacp_pdu in;
	u8 resp[LACP_PDU_LEN];
	int i, err;

	if (!g)
		return;
	err = lacp_pdu_parse(pdu, len, &in);
	if (err == -EPROTONOSUPPORT) {
		p->stats.unknown_rx++;
		return;
	}
	if (err) {
		p->stats.lacpdu_rx_errors++;
		return;
	}

	if (in.subtype == LACP_SUBTYPE_MARKER) {
		if (in.marker_type == LACP_MARKER_RESPONSE) {
			p->stats.marker_resp_rx++;
			return;
		}
		p->stats.marker_rx++;
		if (!p->port_enabled || !g->ops || !g->ops->tx)
			return;
		if (lacp_window_full(&p->marker_window, LACP_MARKER_RESP_MAX,
				     LACP_MARKER_WINDOW_MS, now)) {
			p->stats.marker_rx_dropped++;
			return;
		}
		lacp_pdu_build_marker(resp, true, in.marker_port,
				      in.marker_system, in.marker_tid);
		if (g->ops->tx(p, resp, sizeof(resp)))
			return;
		p->stats.marker_tx++;
		lacp_window_note(&p->marker_window, LACP_MARKER_RESP_MAX, now);
		return;
	}

	p->stats.lacpdu_rx++;

	/* port_moved: our partner's port now speaks on another port */
	for (i = 0; i < LAG_MAX_PORTS; i++) {
		struct lacp_port *q = g->ports[i];

		if (q && q != p && q->rx_state == LACP_RX_PORT_DISABLED &&
		    q->partner.port == in.actor.port &&
		    ether_addr_equal(q->partner.system, in.actor.system))
			q->port_moved = true;
	}

	lacp_rx_sm(p, &in, now);
	lacp_run(g, now);
}
EXPORT_SYMBOL_IF_KUNIT(lacp_rx);

/**
 * lacp_tick - run every machine of every port of a group
 * @g: the group
 * @now: current time, ms
 *
 * Called by the glue every LACP_TICK_MS: expires timers, sends periodic
 * and pending LACPDUs.
 */
void lacp_tick(struct lacp_group *g, u64 now)
{
	lacp_run(g, now);
}
EXPORT_SYMBOL_IF_KUNIT(lacp_tick);

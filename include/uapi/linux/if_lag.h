/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * lag: IEEE 802.1AX (802.3ad) LACP link aggregation - rtnetlink interface.
 *
 * IFLA_LAG_* are carried in IFLA_INFO_DATA of a link of kind "lag",
 * IFLA_LAG_PORT_* in IFLA_INFO_SLAVE_DATA of its members (slave kind "lag").
 * Attributes marked read-only are reported by the kernel and refused in a
 * request. The enum values below are ABI: they never change meaning.
 */
#ifndef _UAPI_LINUX_IF_LAG_H
#define _UAPI_LINUX_IF_LAG_H

#include <linux/types.h>

/**
 * enum lag_xmit_hash_policy - values of IFLA_LAG_XMIT_HASH_POLICY
 * @LAG_XMIT_POLICY_LAYER2: MAC addresses and ethertype ("layer2")
 * @LAG_XMIT_POLICY_LAYER23: MAC and IP addresses ("layer2+3")
 * @LAG_XMIT_POLICY_LAYER34: IP addresses, protocol and ports ("layer3+4")
 * @LAG_XMIT_POLICY_ENCAP23: innermost IP addresses ("encap2+3")
 * @LAG_XMIT_POLICY_ENCAP34: innermost IP header and ports ("encap3+4")
 * @__LAG_XMIT_POLICY_MAX: number of policies
 */
enum lag_xmit_hash_policy {
	LAG_XMIT_POLICY_LAYER2,
	LAG_XMIT_POLICY_LAYER23,
	LAG_XMIT_POLICY_LAYER34,
	LAG_XMIT_POLICY_ENCAP23,
	LAG_XMIT_POLICY_ENCAP34,
	__LAG_XMIT_POLICY_MAX
};

/**
 * enum lag_agg_select - values of IFLA_LAG_AGG_SELECT: which aggregator is
 *	active when members reach more than one partner
 * @LAG_AGG_SELECT_STABLE: keep the active aggregator while it has a
 *	member; choose a new one (most members, then the best partner
 *	system priority, then ID) only when it has none ("stable")
 * @LAG_AGG_SELECT_COUNT: move to an aggregator with more members as soon
 *	as there is one ("count", as bonding's ad_select count)
 * @LAG_AGG_SELECT_PRIO: move to the aggregator whose partner system has the
 *	best (lowest) system priority, then the lowest system ID ("prio")
 * @__LAG_AGG_SELECT_MAX: number of policies
 */
enum lag_agg_select {
	LAG_AGG_SELECT_STABLE,
	LAG_AGG_SELECT_COUNT,
	LAG_AGG_SELECT_PRIO,
	__LAG_AGG_SELECT_MAX
};

/**
 * enum lag_mux_state - values of IFLA_LAG_PORT_MUX_STATE (802.1AX 6.4.15)
 * @LAG_MUX_DETACHED: not attached to an aggregator
 * @LAG_MUX_WAITING: waiting for the aggregator to be ready
 * @LAG_MUX_ATTACHED: attached, not collecting
 * @LAG_MUX_COLLECTING: collecting
 * @LAG_MUX_DISTRIBUTING: collecting and distributing
 * @__LAG_MUX_MAX: number of states
 */
enum lag_mux_state {
	LAG_MUX_DETACHED,
	LAG_MUX_WAITING,
	LAG_MUX_ATTACHED,
	LAG_MUX_COLLECTING,
	LAG_MUX_DISTRIBUTING,
	__LAG_MUX_MAX
};

/**
 * enum lag_port_reason - values of IFLA_LAG_PORT_REASON: why a member
 * does not distribute
 * @LAG_PORT_REASON_NONE: it distributes
 * @LAG_PORT_REASON_DOWN: no carrier
 * @LAG_PORT_REASON_SPEED: its speed differs from the LAG's
 * @LAG_PORT_REASON_PARTNER: its partner differs from the active
 *	aggregator's, or the link is half duplex
 * @LAG_PORT_REASON_DEFAULTED: no partner heard
 * @LAG_PORT_REASON_EXPIRED: the partner's information expired
 * @LAG_PORT_REASON_SYNC: waiting for synchronisation
 * @LAG_PORT_REASON_CHURN: actor or partner churn detected
 * @LAG_PORT_REASON_LOOP: the partner is this system
 * @LAG_PORT_REASON_PASSIVE: both ends passive
 * @LAG_PORT_REASON_INDIVIDUAL: its partner port is Individual: the link
 *	has an aggregator of its own, not the active one
 * @__LAG_PORT_REASON_MAX: number of LACP reasons
 * @LAG_PORT_REASON_LAG_DOWN: the LAG itself is down
 */
enum lag_port_reason {
	LAG_PORT_REASON_NONE,
	LAG_PORT_REASON_DOWN,
	LAG_PORT_REASON_SPEED,
	LAG_PORT_REASON_PARTNER,
	LAG_PORT_REASON_DEFAULTED,
	LAG_PORT_REASON_EXPIRED,
	LAG_PORT_REASON_SYNC,
	LAG_PORT_REASON_CHURN,
	LAG_PORT_REASON_LOOP,
	LAG_PORT_REASON_PASSIVE,
	LAG_PORT_REASON_INDIVIDUAL,
	__LAG_PORT_REASON_MAX,
	LAG_PORT_REASON_LAG_DOWN = 255,
};

/* IFLA_LAG_PORT_STATE of a member the fallback rule makes distribute */
#define LAG_PORT_STATE_FALLBACK	__LAG_MUX_MAX

/* Limits of the settable attributes. */
/* Members a LAG can have; min_links is at most this. */
#define LAG_MAX_PORTS		4
#define LAG_USER_PORT_KEY_MAX	1023

/*
 * LAG attributes (IFLA_INFO_DATA). Settable with RTM_NEWLINK, when the LAG
 * is created or later:
 *   MIN_LINKS       u8   0..LAG_MAX_PORTS
 *   LACP_RATE       u8   0 slow, 1 fast
 *   LACP_ACTIVE     u8   0 passive, 1 active
 *   LACP_FALLBACK   u8   0 off, 1 on
 *   XMIT_HASH_POLICY u8  enum lag_xmit_hash_policy
 *   ACTOR_SYS_PRIO  u16  1..65535
 *   ACTOR_SYSTEM    6 bytes, unicast; all-zero: the LAG's own address
 *   USER_PORT_KEY   u16  0..LAG_USER_PORT_KEY_MAX
 *   AGG_SELECT      u8   enum lag_agg_select
 * Read-only, from the active aggregator (zero when there is none):
 *   ACTIVE_PORTS    u8   distributing members
 *   ACTIVE_AGG_ID   u16  aggregator ID
 *   PARTNER_SYSTEM  6 bytes
 *   PARTNER_SYS_PRIO u16
 *   PARTNER_KEY     u16
 */
enum {
	IFLA_LAG_UNSPEC,
	IFLA_LAG_MIN_LINKS,
	IFLA_LAG_LACP_RATE,
	IFLA_LAG_LACP_ACTIVE,
	IFLA_LAG_LACP_FALLBACK,
	IFLA_LAG_XMIT_HASH_POLICY,
	IFLA_LAG_ACTOR_SYS_PRIO,
	IFLA_LAG_ACTOR_SYSTEM,
	IFLA_LAG_USER_PORT_KEY,
	IFLA_LAG_ACTIVE_PORTS,
	IFLA_LAG_ACTIVE_AGG_ID,
	IFLA_LAG_PARTNER_SYSTEM,
	IFLA_LAG_PARTNER_SYS_PRIO,
	IFLA_LAG_PARTNER_KEY,
	IFLA_LAG_AGG_SELECT,
	__IFLA_LAG_MAX,
};

#define IFLA_LAG_MAX	(__IFLA_LAG_MAX - 1)

/*
 * Member attributes (IFLA_INFO_SLAVE_DATA). Only PORT_PRIO is settable
 * (RTM_NEWLINK on the member); the rest are read-only:
 *   STATE           u8   enum lag_mux_state, or LAG_PORT_STATE_FALLBACK
 *                        while the fallback rule makes it distribute
 *   MUX_STATE       u8   enum lag_mux_state
 *   ACTOR_STATE     u8   LACP actor state bits (802.1AX 6.4.2.3)
 *   PARTNER_STATE   u8   LACP partner state bits
 *   PORT_NUMBER     u16
 *   PORT_PRIO       u16  0..65535, settable
 *   ACTOR_KEY       u16  operational key
 *   PARTNER_SYSTEM  6 bytes
 *   PARTNER_KEY     u16
 *   PARTNER_PORT    u16
 *   AGG_ID          u16  aggregator ID, 0 if none
 *   REASON          u8   enum lag_port_reason
 *   LACPDU_RX, LACPDU_TX, LACPDU_RX_ERRORS, MARKER_RX, MARKER_TX,
 *   MARKER_RESP_RX, MARKER_RX_DROPPED, UNKNOWN_RX  u64 counters
 *   CHURN_COUNT     u64  times actor or partner churn was detected
 *   LAST_CHANGE_MS  u64  milliseconds since the mux state last changed
 *   MISDIRECTED_RX  u64  Slow Protocols frames not addressed to an
 *                        802.1AX LACP destination (01:80:c2:00:00:02,
 *                        :00 or :03), dropped
 *   PAD             alignment of the u64 counters
 */
enum {
	IFLA_LAG_PORT_UNSPEC,
	IFLA_LAG_PORT_MUX_STATE,
	IFLA_LAG_PORT_ACTOR_STATE,
	IFLA_LAG_PORT_PARTNER_STATE,
	IFLA_LAG_PORT_PORT_NUMBER,
	IFLA_LAG_PORT_PORT_PRIO,
	IFLA_LAG_PORT_ACTOR_KEY,
	IFLA_LAG_PORT_PARTNER_SYSTEM,
	IFLA_LAG_PORT_PARTNER_KEY,
	IFLA_LAG_PORT_PARTNER_PORT,
	IFLA_LAG_PORT_AGG_ID,
	IFLA_LAG_PORT_REASON,
	IFLA_LAG_PORT_LACPDU_RX,
	IFLA_LAG_PORT_LACPDU_TX,
	IFLA_LAG_PORT_LACPDU_RX_ERRORS,
	IFLA_LAG_PORT_MARKER_RX,
	IFLA_LAG_PORT_MARKER_TX,
	IFLA_LAG_PORT_PAD,
	IFLA_LAG_PORT_MARKER_RESP_RX,
	IFLA_LAG_PORT_MARKER_RX_DROPPED,
	IFLA_LAG_PORT_UNKNOWN_RX,
	IFLA_LAG_PORT_STATE,
	IFLA_LAG_PORT_CHURN_COUNT,
	IFLA_LAG_PORT_LAST_CHANGE_MS,
	IFLA_LAG_PORT_MISDIRECTED_RX,
	__IFLA_LAG_PORT_MAX,
};

#define IFLA_LAG_PORT_MAX	(__IFLA_LAG_PORT_MAX - 1)

#endif /* _UAPI_LINUX_IF_LAG_H */

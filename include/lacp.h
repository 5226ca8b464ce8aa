/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lag: the IEEE 802.1AX (802.3ad) LACP core.
 *
 * Pure logic after IEEE 802.1AX-2014 clause 6: the Receive, Periodic
 * Transmission, Selection, Mux (independent control), Transmit and Churn
 * Detection machines and the Marker responder (lacp_sm.c); the PDU codec
 * they use is lacp_pdu.c (lacp_pdu.h). No net_device, no skb, no timers,
 * no locks of its own, no allocation.
 *
 * Every function below is called with the LAG's LACP lock, &lag.lock, held
 * (lag_lock() in lag.h), and only from lag_lacp.c,
 * from softirq or from process context with BH disabled; nothing here sleeps.
 * Time is a u64 in milliseconds given by the caller, which calls lacp_tick()
 * every LACP_TICK_MS. It must never go backwards or wrap: use
 * jiffies64_to_msecs(get_jiffies_64()), not the 32-bit jiffies_to_msecs().
 */
#ifndef _LAG_LACP_H
#define _LAG_LACP_H

#include <linux/build_bug.h>
#include <linux/types.h>
#include <linux/if_ether.h>
#include <linux/if_bonding.h>

#include "lacp_pdu.h"
#include "uapi/linux/if_lag.h"

#define LACP_TICK_MS		100	/* the glue calls lacp_tick() this often */

/*
 * Actor/Partner state bits (802.1AX 6.4.2.3). <linux/if_bonding.h>, which
 * <linux/netdevice.h> pulls in, already defines LACP_STATE_AGGREGATION
 * (0x04, aggregatable), LACP_STATE_COLLECTING (0x10),
 * LACP_STATE_DISTRIBUTING (0x20), LACP_STATE_DEFAULTED (0x40) and
 * LACP_STATE_EXPIRED (0x80) with the standard's values; they are used from
 * there so that both headers can be included. The others:
 */
#define LACP_STATE_ACTIVITY	0x01	/* 1: active LACP */
#define LACP_STATE_TIMEOUT	0x02	/* 1: short timeout */
#define LACP_STATE_SYNC		0x08	/* 1: in sync */

/* Timer constants of 802.1AX 6.4.4, in milliseconds */
#define LACP_FAST_PERIODIC_MS	1000
#define LACP_SLOW_PERIODIC_MS	30000
#define LACP_SHORT_TIMEOUT_MS	3000
#define LACP_LONG_TIMEOUT_MS	90000
#define LACP_CHURN_MS		60000
#define LACP_AGG_WAIT_MS	2000
#define LACP_TX_MAX_PER_FAST	3	/* LACPDUs per LACP_FAST_PERIODIC_MS */
/*
 * Marker Responses a port sends in any LACP_MARKER_WINDOW_MS, at most. IEEE
 * 802.3 Annex 57A caps Slow Protocols frames at 10 in any one-second period
 * per port; with at most LACP_TX_MAX_PER_FAST LACPDUs, this stays below.
 */
#define LACP_MARKER_RESP_MAX	5
#define LACP_MARKER_WINDOW_MS	1000

/* The most sends a struct lacp_send_window remembers: the larger limit. */
#define LACP_WINDOW_MAX		LACP_MARKER_RESP_MAX
static_assert(LACP_WINDOW_MAX >= LACP_TX_MAX_PER_FAST);

/**
 * struct lacp_send_window - a port's last sends of one kind, for a limit of
 *	at most N sends in any span of time (a sliding window, N at most
 *	LACP_WINDOW_MAX, the same N at every use of one window)
 * @times: ring of their send times, ms
 * @next: index of the oldest of the last N
 * @count: entries in use, at most N
 *
 * Locking: part of &struct lacp_port.
 */
struct lacp_send_window {
	u64 times[LACP_WINDOW_MAX];
	u8 next;
	u8 count;
};

/*
 * Actor key layout (16 bits):
 *   bits 15..6  user_key, 0..LAG_USER_PORT_KEY_MAX
 *   bits  5..1  speed code, enum lacp_speed (0..31)
 *   bit      0  1 if full duplex
 */
#define LAG_USER_PORT_KEY_MAX	1023

/**
 * enum lacp_speed - speed code in bits 5..1 of the actor key
 * @LACP_SPEED_UNKNOWN: link down or speed not reported
 * @LACP_SPEED_10M: 10 Mb/s
 * @LACP_SPEED_100M: 100 Mb/s
 * @LACP_SPEED_1G: 1 Gb/s
 * @LACP_SPEED_2_5G: 2.5 Gb/s
 * @LACP_SPEED_5G: 5 Gb/s
 * @LACP_SPEED_10G: 10 Gb/s
 * @LACP_SPEED_20G: 20 Gb/s
 * @LACP_SPEED_25G: 25 Gb/s
 * @LACP_SPEED_40G: 40 Gb/s
 * @LACP_SPEED_50G: 50 Gb/s
 * @LACP_SPEED_56G: 56 Gb/s
 * @LACP_SPEED_100G: 100 Gb/s
 * @LACP_SPEED_200G: 200 Gb/s
 * @LACP_SPEED_400G: 400 Gb/s
 * @LACP_SPEED_800G: 800 Gb/s
 * @LACP_SPEED_OTHER: any other speed
 */
enum lacp_speed {
	LACP_SPEED_UNKNOWN,
	LACP_SPEED_10M,
	LACP_SPEED_100M,
	LACP_SPEED_1G,
	LACP_SPEED_2_5G,
	LACP_SPEED_5G,
	LACP_SPEED_10G,
	LACP_SPEED_20G,
	LACP_SPEED_25G,
	LACP_SPEED_40G,
	LACP_SPEED_50G,
	LACP_SPEED_56G,
	LACP_SPEED_100G,
	LACP_SPEED_200G,
	LACP_SPEED_400G,
	LACP_SPEED_800G,
	LACP_SPEED_OTHER,
};

/**
 * enum lacp_rx_state - Receive machine states (802.1AX 6.4.12)
 * @LACP_RX_INITIALIZE: begin: partner defaulted, unselected
 * @LACP_RX_PORT_DISABLED: no carrier
 * @LACP_RX_LACP_DISABLED: half duplex: LACP not run on the port
 * @LACP_RX_EXPIRED: partner information timed out once (short timeout)
 * @LACP_RX_DEFAULTED: partner information is the administrative default
 * @LACP_RX_CURRENT: partner information is current
 */
enum lacp_rx_state {
	LACP_RX_INITIALIZE,
	LACP_RX_PORT_DISABLED,
	LACP_RX_LACP_DISABLED,
	LACP_RX_EXPIRED,
	LACP_RX_DEFAULTED,
	LACP_RX_CURRENT,
};

/**
 * enum lacp_periodic_state - Periodic Transmission machine states (6.4.13)
 * @LACP_PERIODIC_NO: no periodic transmission
 * @LACP_PERIODIC_FAST: every LACP_FAST_PERIODIC_MS
 * @LACP_PERIODIC_SLOW: every LACP_SLOW_PERIODIC_MS
 * @LACP_PERIODIC_TX: transient: sets NTT
 */
enum lacp_periodic_state {
	LACP_PERIODIC_NO,
	LACP_PERIODIC_FAST,
	LACP_PERIODIC_SLOW,
	LACP_PERIODIC_TX,
};

/**
 * enum lacp_churn_state - Actor/Partner Churn Detection states (6.4.17)
 * @LACP_CHURN_MONITOR: out of sync, churn timer running
 * @LACP_CHURN_NONE: in sync
 * @LACP_CHURN: out of sync for LACP_CHURN_MS
 */
enum lacp_churn_state {
	LACP_CHURN_MONITOR,
	LACP_CHURN_NONE,
	LACP_CHURN,
};

/**
 * enum lacp_selected - value of the Selected variable (6.4.8)
 * @LACP_UNSELECTED: no aggregator chosen; the Mux detaches
 * @LACP_SELECTED: the active aggregator was chosen
 * @LACP_STANDBY: an aggregator that is not the active one was chosen
 */
enum lacp_selected {
	LACP_UNSELECTED,
	LACP_SELECTED,
	LACP_STANDBY,
};

/**
 * struct lacp_port_stats - per-port LACP counters
 * @lacpdu_rx: well-formed LACPDUs received
 * @lacpdu_tx: LACPDUs handed to ops->tx
 * @lacpdu_rx_errors: malformed LACPDUs or Marker PDUs dropped
 * @marker_rx: Marker Information PDUs received
 * @marker_tx: Marker Response PDUs handed to ops->tx
 * @marker_resp_rx: Marker Response PDUs received
 * @unknown_rx: Slow Protocols PDUs of an unknown subtype
 * @marker_rx_dropped: Marker Information PDUs (counted in @marker_rx) left
 *	unanswered: LACP_MARKER_RESP_MAX were answered in the last second
 * @churn: times the Actor or the Partner Churn Detection machine detected
 *	churn (entered ACTOR_CHURN or PARTNER_CHURN)
 * @misdirected_rx: Slow Protocols frames not addressed to one of 802.1AX's
 *	LACP destinations, dropped by the glue before the machines
 *
 * Locking: all fields under the LACP lock, &lag.lock (see lag.h).
 */
struct lacp_port_stats {
	u64 lacpdu_rx;
	u64 lacpdu_tx;
	u64 lacpdu_rx_errors;
	u64 marker_rx;
	u64 marker_tx;
	u64 marker_resp_rx;
	u64 unknown_rx;
	u64 marker_rx_dropped;
	u64 churn;
	u64 misdirected_rx;
};

struct lacp_group;

/**
 * struct lacp_port - LACP state of one member port
 * @port_number: port number, 1..65535, unique in the group (lacp_port_add())
 * @port_prio: port priority, default 255 (lacp_port_set_prio())
 * @actor: actor operational information (Actor_Oper_*)
 * @partner: partner operational information (Partner_Oper_*)
 * @partner_admin: partner administrative defaults (recordDefault())
 * @rx_state: Receive machine state
 * @mux_state: Mux machine state
 * @mux_since: when the Mux machine last changed state, ms
 * @periodic_state: Periodic Transmission machine state
 * @actor_churn_state: Actor Churn Detection machine state
 * @partner_churn_state: Partner Churn Detection machine state
 * @selected: the Selected variable
 * @agg_id: ID of the aggregator chosen by Selection, 0 if none
 * @current_while: deadline of current_while_timer
 * @periodic_until: deadline of periodic_timer
 * @wait_while: deadline of wait_while_timer
 * @actor_churn_until: deadline of actor_churn_timer
 * @partner_churn_until: deadline of partner_churn_timer
 * @lacpdu_window: the last LACPDUs sent (LACP_TX_MAX_PER_FAST of them)
 * @marker_window: the last Marker Responses sent (LACP_MARKER_RESP_MAX)
 * @speed: speed code of the actor key
 * @port_enabled: carrier (lacp_port_set_link())
 * @lacp_enabled: full duplex: LACP runs on the port
 * @eligible: the glue's speed eligibility (lacp_port_set_eligible())
 * @ntt: Need To Transmit
 * @answer: @ntt was raised by a received LACPDU that has our information
 *	wrong: sent even when both ends are passive, since the partner spoke
 * @told: the actor state in the last LACPDU sent on the link (kept across
 *	lacp_port_del() and lacp_port_add(), as the send windows are)
 * @port_moved: partner moved to another port while this one was disabled
 * @fallback: made collecting+distributing by the fallback rule
 * @reason: why not distributing (LAG_PORT_REASON_NONE while distributing)
 * @collecting: output: frames received on the port are accepted
 * @distributing: output: frames may be transmitted on the port
 * @stats: counters
 * @group: the group the port belongs to, NULL when not added
 *
 * Embedded in the glue's struct lag_port. The glue sets @port_number and
 * @port_prio through lacp_port_add() and lacp_port_set_prio() and reads
 * @reason, @collecting, @distributing and @stats; the rest is internal.
 *
 * Locking: all fields under the LACP lock, &lag.lock (see lag.h).
 */
struct lacp_port {
	u16 port_number;
	u16 port_prio;

	struct lacp_info actor;
	struct lacp_info partner;
	struct lacp_info partner_admin;

	enum lacp_rx_state rx_state;
	enum lag_mux_state mux_state;
	u64 mux_since;
	enum lacp_periodic_state periodic_state;
	enum lacp_churn_state actor_churn_state;
	enum lacp_churn_state partner_churn_state;
	enum lacp_selected selected;
	u16 agg_id;

	u64 current_while;
	u64 periodic_until;
	u64 wait_while;
	u64 actor_churn_until;
	u64 partner_churn_until;
	struct lacp_send_window lacpdu_window;
	struct lacp_send_window marker_window;
	u8 speed;

	bool port_enabled;
	bool lacp_enabled;
	bool eligible;
	bool ntt;
	bool answer;
	u8 told;
	bool port_moved;
	bool fallback;

	enum lag_port_reason reason;
	bool collecting;
	bool distributing;
	struct lacp_port_stats stats;
	struct lacp_group *group;
};

/**
 * struct lacp_agg - an aggregator: ports sharing actor key and partner
 * @id: aggregator ID, 0 when the slot is free
 * @actor_key: actor operational key of its ports
 * @partner_sys_prio: partner system priority of its ports
 * @partner_system: partner system of its ports
 * @partner_key: partner operational key of its ports
 * @individual: the aggregator of one Individual link (its partner port
 *	reports Aggregation FALSE), shared with no other port (802.1AX 6.4.14)
 *
 * Locking: all fields under the LACP lock, &lag.lock (see lag.h).
 */
struct lacp_agg {
	u16 id;
	u16 actor_key;
	u16 partner_sys_prio;
	u8 partner_system[ETH_ALEN];
	u16 partner_key;
	bool individual;
};

/**
 * struct lacp_ops - callbacks from the LACP core to the glue
 * @tx: send a PDU (LACP_PDU_LEN bytes from the subtype on); the glue wraps
 *	it in an Ethernet frame to 01:80:C2:00:00:02, ethertype 0x8809,
 *	source the member's own address, and sends it after dropping the
 *	lock. Called with the lock held; must not sleep. Returns 0 if queued.
 * @changed: @port->collecting or @port->distributing changed. Called with
 *	the lock held; must not sleep.
 * @rx_transition: optional; the Receive machine of @port enters @to (for
 *	tracing). Called with the lock held; must not sleep.
 * @mux_transition: optional; likewise for the Mux machine.
 */
struct lacp_ops {
	int (*tx)(struct lacp_port *port, const u8 *pdu, size_t len);
	void (*changed)(struct lacp_port *port);
	void (*rx_transition)(struct lacp_port *port, enum lacp_rx_state from,
			      enum lacp_rx_state to);
	void (*mux_transition)(struct lacp_port *port,
			       enum lag_mux_state from,
			       enum lag_mux_state to);
};

/**
 * struct lacp_group - LACP state of one LAG
 * @sys_prio: actor system priority, default 65535
 * @system: actor system ID (the LAG MAC or a user value)
 * @user_key: user part of the actor key, 0..LAG_USER_PORT_KEY_MAX
 * @active: lacp_active, default true
 * @fast: lacp_rate fast: ask the partner for short timeouts
 * @fallback: lacp_fallback, default false
 * @agg_select: which aggregator is active, enum lag_agg_select (default
 *	stable)
 * @down: the LAG is administratively down: its aggregator is disabled and
 *	no port is selected, but LACP runs on, out of sync (default false)
 * @ports: member ports, NULL where empty
 * @aggs: aggregators in use (id != 0)
 * @active_agg: ID of the active aggregator, 0 if none
 * @ops: callbacks to the glue
 * @priv: the glue's pointer
 *
 * Embedded in the glue's struct lag. Configuration is changed only through
 * the lacp_group_set_*() setters, which take effect at once.
 *
 * Locking: all fields under the LACP lock, &lag.lock (see lag.h).
 */
struct lacp_group {
	u16 sys_prio;
	u8 system[ETH_ALEN];
	u16 user_key;
	bool active;
	bool fast;
	bool fallback;
	u8 agg_select;
	bool down;
	struct lacp_port *ports[LAG_MAX_PORTS];
	struct lacp_agg aggs[LAG_MAX_PORTS];
	u16 active_agg;
	const struct lacp_ops *ops;
	void *priv;
};

u8 lacp_speed_code(u32 speed_mbps);

void lacp_group_init(struct lacp_group *g, const struct lacp_ops *ops,
		     void *priv);
int lacp_port_add(struct lacp_group *g, struct lacp_port *p, u16 port_number,
		  u64 now);
void lacp_port_del(struct lacp_port *p, u64 now);
void lacp_port_leave(struct lacp_port *p, u64 now);
void lacp_port_set_link(struct lacp_port *p, bool up, u32 speed_mbps,
			bool full_duplex, u64 now);
void lacp_port_set_eligible(struct lacp_port *p, bool eligible, u64 now);
void lacp_port_set_prio(struct lacp_port *p, u16 prio, u64 now);

void lacp_group_set_sys_prio(struct lacp_group *g, u16 prio, u64 now);
void lacp_group_set_system(struct lacp_group *g, const u8 *system, u64 now);
int lacp_group_set_user_key(struct lacp_group *g, u16 key, u64 now);
void lacp_group_set_active(struct lacp_group *g, bool active, u64 now);
void lacp_group_set_fast(struct lacp_group *g, bool fast, u64 now);
void lacp_group_set_fallback(struct lacp_group *g, bool fallback, u64 now);
void lacp_group_set_agg_select(struct lacp_group *g, u8 policy, u64 now);
void lacp_group_set_down(struct lacp_group *g, bool down, u64 now);

void lacp_rx(struct lacp_port *p, const u8 *pdu, size_t len, u64 now);
void lacp_tick(struct lacp_group *g, u64 now);
bool lacp_group_has_partner(const struct lacp_group *g);

#endif /* _LAG_LACP_H */

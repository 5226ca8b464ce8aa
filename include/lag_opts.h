/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * lag: the one list of LAG and member options and attributes, and the words
 * their values are shown and set with.
 *
 * Plain C over the uapi header, included by the kernel module (the option
 * tables of lag_options.c, from which the netlink policies, fill_info and
 * its size, and the sysfs files are made) and by the iproute2 plugin
 * (tools/iproute2/link_lag.c, which parses and prints the same rows). A
 * name here is the sysfs file, the ip keyword and the JSON key alike.
 * Adding an option is one row below, its attribute in the uapi header, its
 * getter and setter in lag_options.c and its line in
 * Documentation/networking/lag.rst.
 */
#ifndef _LAG_OPTS_H
#define _LAG_OPTS_H

#ifdef __KERNEL__
#include <linux/stddef.h>
#else
#include <stddef.h>
#endif

#include "uapi/linux/if_lag.h"

/**
 * struct lag_word - one enumerated value and its word
 * @value: the value, as in the netlink attribute
 * @name: the word sysfs and ip show and accept
 */
struct lag_word {
	unsigned int value;
	const char *name;
};

/**
 * struct lag_words - the words of one list
 * @w: the words, @n of them
 * @n: how many
 */
struct lag_words {
	const struct lag_word *w;
	unsigned int n;
};

/* The word of @v in @ws, or NULL. */
static inline const char *lag_word_name(const struct lag_words *ws,
					unsigned int v)
{
	unsigned int i;

	for (i = 0; i < ws->n; i++)
		if (ws->w[i].value == v)
			return ws->w[i].name;
	return NULL;
}

/**
 * enum lag_opt_type - how an option's value is carried and shown
 * @LAG_OPT_U8: a number, u8 attribute, shown in decimal
 * @LAG_OPT_U16: a number, u16 attribute
 * @LAG_OPT_U64: a counter, u64 attribute
 * @LAG_OPT_HEX8: LACP state bits, u8 attribute, shown as two hex digits
 * @LAG_OPT_MAC: an Ethernet address, 6 bytes; a settable one must be
 *	unicast or all-zero
 * @LAG_OPT_WORD: a u8 attribute whose value has a word (&lag_opt_row.words)
 */
enum lag_opt_type {
	LAG_OPT_U8,
	LAG_OPT_U16,
	LAG_OPT_U64,
	LAG_OPT_HEX8,
	LAG_OPT_MAC,
	LAG_OPT_WORD,
};

/**
 * struct lag_opt_row - one option or reported attribute
 * @name: sysfs file, ip keyword and JSON key
 * @attr: its IFLA_LAG_* (LAG) or IFLA_LAG_PORT_* (member) attribute
 * @type: how its value is carried and shown
 * @rw: settable; otherwise reported only
 * @min: smallest settable value of a number
 * @max: largest settable value of a number
 * @words: the words of a %LAG_OPT_WORD value, NULL otherwise
 */
struct lag_opt_row {
	const char *name;
	unsigned short attr;
	unsigned char type;
	unsigned char rw;
	unsigned long long min;
	unsigned long long max;
	const struct lag_words *words;
};

/*
 * The tables themselves, in the one file of each user that defines
 * LAG_OPTS_TABLES before including this header (lag_options.c, the
 * iproute2 plugin). The order of the rows is the order ip prints them in.
 */
#ifdef LAG_OPTS_TABLES

static const struct lag_word lag_onoff_w[] = { { 0, "off" }, { 1, "on" } };
static const struct lag_word lag_rate_w[] = { { 0, "slow" }, { 1, "fast" } };
static const struct lag_word lag_hash_w[] = {
	{ LAG_XMIT_POLICY_LAYER2, "layer2" },
	{ LAG_XMIT_POLICY_LAYER23, "layer2+3" },
	{ LAG_XMIT_POLICY_LAYER34, "layer3+4" },
	{ LAG_XMIT_POLICY_ENCAP23, "encap2+3" },
	{ LAG_XMIT_POLICY_ENCAP34, "encap3+4" },
};

static const struct lag_word lag_agg_select_w[] = {
	{ LAG_AGG_SELECT_STABLE, "stable" },
	{ LAG_AGG_SELECT_COUNT, "count" },
	{ LAG_AGG_SELECT_PRIO, "prio" },
};

/* The mux states; "state" adds the fallback rule's word. */
static const struct lag_word lag_state_w[] = {
	{ LAG_MUX_DETACHED, "detached" },
	{ LAG_MUX_WAITING, "waiting" },
	{ LAG_MUX_ATTACHED, "attached" },
	{ LAG_MUX_COLLECTING, "collecting" },
	{ LAG_MUX_DISTRIBUTING, "distributing" },
	{ LAG_PORT_STATE_FALLBACK, "fallback" },
};

static const struct lag_word lag_reason_w[] = {
	{ LAG_PORT_REASON_NONE, "none" },
	{ LAG_PORT_REASON_DOWN, "down" },
	{ LAG_PORT_REASON_SPEED, "speed" },
	{ LAG_PORT_REASON_PARTNER, "partner" },
	{ LAG_PORT_REASON_DEFAULTED, "defaulted" },
	{ LAG_PORT_REASON_EXPIRED, "expired" },
	{ LAG_PORT_REASON_SYNC, "sync" },
	{ LAG_PORT_REASON_CHURN, "churn" },
	{ LAG_PORT_REASON_LOOP, "loop" },
	{ LAG_PORT_REASON_PASSIVE, "passive" },
	{ LAG_PORT_REASON_INDIVIDUAL, "individual" },
	{ LAG_PORT_REASON_LAG_DOWN, "lag_down" },
};

static const struct lag_words lag_onoff_words = {
	lag_onoff_w, sizeof(lag_onoff_w) / sizeof(*lag_onoff_w)
};

static const struct lag_words lag_rate_words = {
	lag_rate_w, sizeof(lag_rate_w) / sizeof(*lag_rate_w)
};

static const struct lag_words lag_hash_words = {
	lag_hash_w, sizeof(lag_hash_w) / sizeof(*lag_hash_w)
};

static const struct lag_words lag_agg_select_words = {
	lag_agg_select_w, sizeof(lag_agg_select_w) / sizeof(*lag_agg_select_w)
};

static const struct lag_words lag_state_words = {
	lag_state_w, sizeof(lag_state_w) / sizeof(*lag_state_w)
};

static const struct lag_words lag_mux_words = { lag_state_w, __LAG_MUX_MAX };

static const struct lag_words lag_reason_words = {
	lag_reason_w, sizeof(lag_reason_w) / sizeof(*lag_reason_w)
};

/* Adding an option: a row here, its attribute, getter, setter and doc. */
static const struct lag_opt_row lag_opt_rows[] = {
	{ "min_links", IFLA_LAG_MIN_LINKS, LAG_OPT_U8, 1, 0, LAG_MAX_PORTS,
	  NULL },
	{ "lacp_rate", IFLA_LAG_LACP_RATE, LAG_OPT_WORD, 1, 0, 0,
	  &lag_rate_words },
	{ "lacp_active", IFLA_LAG_LACP_ACTIVE, LAG_OPT_WORD, 1, 0, 0,
	  &lag_onoff_words },
	{ "lacp_fallback", IFLA_LAG_LACP_FALLBACK, LAG_OPT_WORD, 1, 0, 0,
	  &lag_onoff_words },
	{ "xmit_hash_policy", IFLA_LAG_XMIT_HASH_POLICY, LAG_OPT_WORD, 1, 0, 0,
	  &lag_hash_words },
	{ "actor_sys_prio", IFLA_LAG_ACTOR_SYS_PRIO, LAG_OPT_U16, 1, 1, 65535,
	  NULL },
	{ "actor_system", IFLA_LAG_ACTOR_SYSTEM, LAG_OPT_MAC, 1, 0, 0, NULL },
	{ "user_port_key", IFLA_LAG_USER_PORT_KEY,
	  LAG_OPT_U16, 1, 0, LAG_USER_PORT_KEY_MAX, NULL },
	{ "agg_select", IFLA_LAG_AGG_SELECT, LAG_OPT_WORD, 1, 0, 0,
	  &lag_agg_select_words },
	{ "active_ports", IFLA_LAG_ACTIVE_PORTS, LAG_OPT_U8, 0, 0, 0, NULL },
	{ "active_aggregator", IFLA_LAG_ACTIVE_AGG_ID, LAG_OPT_U16, 0, 0, 0,
	  NULL },
	{ "partner_system", IFLA_LAG_PARTNER_SYSTEM, LAG_OPT_MAC, 0, 0, 0,
	  NULL },
	{ "partner_sys_prio", IFLA_LAG_PARTNER_SYS_PRIO, LAG_OPT_U16, 0, 0, 0,
	  NULL },
	{ "partner_key", IFLA_LAG_PARTNER_KEY, LAG_OPT_U16, 0, 0, 0, NULL },
};

static const struct lag_opt_row lag_port_opt_rows[] = {
	{ "state", IFLA_LAG_PORT_STATE, LAG_OPT_WORD, 0, 0, 0,
	  &lag_state_words },
	{ "mux_state", IFLA_LAG_PORT_MUX_STATE, LAG_OPT_WORD, 0, 0, 0,
	  &lag_mux_words },
	{ "reason", IFLA_LAG_PORT_REASON, LAG_OPT_WORD, 0, 0, 0,
	  &lag_reason_words },
	{ "port_number", IFLA_LAG_PORT_PORT_NUMBER, LAG_OPT_U16, 0, 0, 0,
	  NULL },
	{ "port_prio", IFLA_LAG_PORT_PORT_PRIO, LAG_OPT_U16, 1, 0, 65535,
	  NULL },
	{ "actor_key", IFLA_LAG_PORT_ACTOR_KEY, LAG_OPT_U16, 0, 0, 0, NULL },
	{ "actor_state", IFLA_LAG_PORT_ACTOR_STATE, LAG_OPT_HEX8, 0, 0, 0,
	  NULL },
	{ "aggregator_id", IFLA_LAG_PORT_AGG_ID, LAG_OPT_U16, 0, 0, 0, NULL },
	{ "partner_system", IFLA_LAG_PORT_PARTNER_SYSTEM, LAG_OPT_MAC, 0, 0, 0,
	  NULL },
	{ "partner_key", IFLA_LAG_PORT_PARTNER_KEY, LAG_OPT_U16, 0, 0, 0,
	  NULL },
	{ "partner_port", IFLA_LAG_PORT_PARTNER_PORT, LAG_OPT_U16, 0, 0, 0,
	  NULL },
	{ "partner_state", IFLA_LAG_PORT_PARTNER_STATE, LAG_OPT_HEX8, 0, 0, 0,
	  NULL },
	{ "lacpdu_rx", IFLA_LAG_PORT_LACPDU_RX, LAG_OPT_U64, 0, 0, 0, NULL },
	{ "lacpdu_tx", IFLA_LAG_PORT_LACPDU_TX, LAG_OPT_U64, 0, 0, 0, NULL },
	{ "lacpdu_rx_errors", IFLA_LAG_PORT_LACPDU_RX_ERRORS,
	  LAG_OPT_U64, 0, 0, 0, NULL },
	{ "marker_rx", IFLA_LAG_PORT_MARKER_RX, LAG_OPT_U64, 0, 0, 0, NULL },
	{ "marker_tx", IFLA_LAG_PORT_MARKER_TX, LAG_OPT_U64, 0, 0, 0, NULL },
	{ "marker_resp_rx", IFLA_LAG_PORT_MARKER_RESP_RX, LAG_OPT_U64, 0, 0, 0,
	  NULL },
	{ "marker_rx_dropped", IFLA_LAG_PORT_MARKER_RX_DROPPED,
	  LAG_OPT_U64, 0, 0, 0, NULL },
	{ "unknown_rx", IFLA_LAG_PORT_UNKNOWN_RX, LAG_OPT_U64, 0, 0, 0, NULL },
	{ "churn_count", IFLA_LAG_PORT_CHURN_COUNT, LAG_OPT_U64, 0, 0, 0,
	  NULL },
	{ "last_change_ms", IFLA_LAG_PORT_LAST_CHANGE_MS, LAG_OPT_U64, 0, 0, 0,
	  NULL },
	{ "misdirected_rx", IFLA_LAG_PORT_MISDIRECTED_RX, LAG_OPT_U64, 0, 0, 0,
	  NULL },
};

#endif /* LAG_OPTS_TABLES */

#endif /* _LAG_OPTS_H */

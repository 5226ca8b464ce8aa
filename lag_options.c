// SPDX-License-Identifier: GPL-2.0
/*
 * lag: the option tables. Each row of lag_opts.h becomes a struct lag_opt
 * here, and its attribute a case of its table's getter and, if settable,
 * setter; lag_netlink.c makes the netlink
 * policies, fill_info and its size from the tables, lag_sysfs.c the sysfs
 * files, and both check a value with lag_opt_check(), so that netlink and
 * sysfs accept the same values and refuse the others with the same words.
 */

#include <linux/errno.h>
#include <linux/etherdevice.h>
#include <linux/kstrtox.h>
#include <linux/sysfs.h>
#include <kunit/visibility.h>

#define LAG_OPTS_TABLES		/* the rows and words of lag_opts.h, here */
#include "lag.h"
#include "lag_options.h"

/* ---- getters (LACP lock held) and setters (RTNL held) ------------------ */

/* The active aggregator, or one of all zeroes when there is none. */
static const struct lacp_agg lag_no_agg;

static const struct lacp_agg *lag_agg(const struct lag *lag)
{
	return lag_lacp_active_agg(lag) ?: &lag_no_agg;
}

static void lag_opt_get(const struct lag *lag, const struct lag_port *port,
			const struct lag_opt *o, union lag_opt_val *v)
{
	const struct lacp_group *g = &lag->lacp;

	switch (o->attr) {
	case IFLA_LAG_MIN_LINKS:
		v->num = lag->min_links;
		break;
	case IFLA_LAG_LACP_RATE:
		v->num = g->fast;
		break;
	case IFLA_LAG_LACP_ACTIVE:
		v->num = g->active;
		break;
	case IFLA_LAG_LACP_FALLBACK:
		v->num = g->fallback;
		break;
	case IFLA_LAG_XMIT_HASH_POLICY:
		v->num = lag->hash_policy;
		break;
	case IFLA_LAG_ACTOR_SYS_PRIO:
		v->num = g->sys_prio;
		break;
	case IFLA_LAG_ACTOR_SYSTEM:
		ether_addr_copy(v->mac, lag->actor_system);
		break;
	case IFLA_LAG_USER_PORT_KEY:
		v->num = g->user_key;
		break;
	case IFLA_LAG_AGG_SELECT:
		v->num = g->agg_select;
		break;
	case IFLA_LAG_ACTIVE_PORTS:
		v->num = lag_active_ports(lag);
		break;
	case IFLA_LAG_ACTIVE_AGG_ID:
		v->num = lag_agg(lag)->id;
		break;
	case IFLA_LAG_PARTNER_SYSTEM:
		ether_addr_copy(v->mac, lag_agg(lag)->partner_system);
		break;
	case IFLA_LAG_PARTNER_SYS_PRIO:
		v->num = lag_agg(lag)->partner_sys_prio;
		break;
	case IFLA_LAG_PARTNER_KEY:
		v->num = lag_agg(lag)->partner_key;
		break;
	}
}

static int lag_opt_set(struct lag *lag, struct lag_port *port,
		       const struct lag_opt *o, const union lag_opt_val *v,
		       struct netlink_ext_ack *extack)
{
	switch (o->attr) {
	case IFLA_LAG_MIN_LINKS:
		lag_set_min_links(lag, v->num);
		break;
	case IFLA_LAG_XMIT_HASH_POLICY:
		return lag_set_hash_policy(lag, v->num, extack);
	default:	/* the LACP core's, through its one door */
		lag_lacp_set_option(lag, o->attr, v);
		break;
	}
	return 0;
}

static void lag_port_opt_get(const struct lag *lag, const struct lag_port *port,
			     const struct lag_opt *o, union lag_opt_val *v)
{
	const struct lacp_port *lp = &port->lacp;

	switch (o->attr) {
	case IFLA_LAG_PORT_STATE:
		v->num = lp->fallback ? LAG_PORT_STATE_FALLBACK : lp->mux_state;
		break;
	case IFLA_LAG_PORT_MUX_STATE:
		v->num = lp->mux_state;
		break;
	case IFLA_LAG_PORT_REASON:
		/* The core's reason, unless the LAG is down, which says more. */
		v->num = READ_ONCE(lag->running) ? lp->reason :
						   LAG_PORT_REASON_LAG_DOWN;
		break;
	case IFLA_LAG_PORT_PORT_NUMBER:
		v->num = lp->port_number;
		break;
	case IFLA_LAG_PORT_PORT_PRIO:
		v->num = lp->port_prio;
		break;
	case IFLA_LAG_PORT_ACTOR_KEY:
		v->num = lp->actor.key;
		break;
	case IFLA_LAG_PORT_ACTOR_STATE:
		v->num = lp->actor.state;
		break;
	case IFLA_LAG_PORT_AGG_ID:
		v->num = lp->agg_id;
		break;
	case IFLA_LAG_PORT_PARTNER_SYSTEM:
		ether_addr_copy(v->mac, lp->partner.system);
		break;
	case IFLA_LAG_PORT_PARTNER_KEY:
		v->num = lp->partner.key;
		break;
	case IFLA_LAG_PORT_PARTNER_PORT:
		v->num = lp->partner.port;
		break;
	case IFLA_LAG_PORT_PARTNER_STATE:
		v->num = lp->partner.state;
		break;
	case IFLA_LAG_PORT_LACPDU_RX:
		v->num = lp->stats.lacpdu_rx;
		break;
	case IFLA_LAG_PORT_LACPDU_TX:
		v->num = lp->stats.lacpdu_tx;
		break;
	case IFLA_LAG_PORT_LACPDU_RX_ERRORS:
		v->num = lp->stats.lacpdu_rx_errors;
		break;
	case IFLA_LAG_PORT_MARKER_RX:
		v->num = lp->stats.marker_rx;
		break;
	case IFLA_LAG_PORT_MARKER_TX:
		v->num = lp->stats.marker_tx;
		break;
	case IFLA_LAG_PORT_MARKER_RESP_RX:
		v->num = lp->stats.marker_resp_rx;
		break;
	case IFLA_LAG_PORT_MARKER_RX_DROPPED:
		v->num = lp->stats.marker_rx_dropped;
		break;
	case IFLA_LAG_PORT_MISDIRECTED_RX:
		v->num = lp->stats.misdirected_rx;
		break;
	case IFLA_LAG_PORT_UNKNOWN_RX:
		v->num = lp->stats.unknown_rx;
		break;
	case IFLA_LAG_PORT_CHURN_COUNT:
		v->num = lp->stats.churn;
		break;
	case IFLA_LAG_PORT_LAST_CHANGE_MS:
		v->num = lag_now() - lp->mux_since;
		break;
	}
}

static int lag_port_opt_set(struct lag *lag, struct lag_port *port,
			    const struct lag_opt *o,
			    const union lag_opt_val *v,
			    struct netlink_ext_ack *extack)
{
	switch (o->attr) {
	case IFLA_LAG_PORT_PORT_PRIO:
		lag_lacp_set_port_prio(port, v->num);
		break;
	}
	return 0;
}

/* ---- the tables -------------------------------------------------------- */

/* Made from the rows at module init (lag_options_init()), then read-only. */
static struct lag_opt lag_lag_opt_tab[ARRAY_SIZE(lag_opt_rows)] __ro_after_init;
static struct lag_opt lag_port_opt_tab[ARRAY_SIZE(lag_port_opt_rows)] __ro_after_init;

static_assert(ARRAY_SIZE(lag_opt_rows) <= LAG_OPT_ROWS_MAX);
static_assert(ARRAY_SIZE(lag_port_opt_rows) <= LAG_OPT_ROWS_MAX);

const struct lag_opt_table lag_lag_opts = {
	.opts = lag_lag_opt_tab,
	.n = ARRAY_SIZE(lag_lag_opt_tab),
	.maxattr = IFLA_LAG_MAX,
	.get = lag_opt_get,
	.set = lag_opt_set,
};
EXPORT_SYMBOL_IF_KUNIT(lag_lag_opts);

const struct lag_opt_table lag_port_opts = {
	.opts = lag_port_opt_tab,
	.n = ARRAY_SIZE(lag_port_opt_tab),
	.maxattr = IFLA_LAG_PORT_MAX,
	.pad = IFLA_LAG_PORT_PAD,
	.get = lag_port_opt_get,
	.set = lag_port_opt_set,
};
EXPORT_SYMBOL_IF_KUNIT(lag_port_opts);

/* A row of lag_opts.h, and why a value of it is refused. */
static void lag_opt_make(struct lag_opt *o, const struct lag_opt_row *r)
{
	unsigned int i;
	int len;

	o->name = r->name;
	o->words = r->words;
	o->min = r->min;
	o->max = r->max;
	o->attr = r->attr;
	o->type = r->type;
	o->rw = r->rw;
	snprintf(o->ro_msg, sizeof(o->ro_msg), "%s is read-only", o->name);
	if (!o->rw)
		return;
	switch (o->type) {
	case LAG_OPT_MAC:
		snprintf(o->err, sizeof(o->err),
			 "%s must be a unicast address, or all-zero for the LAG's own",
			 o->name);
		break;
	case LAG_OPT_WORD:
		len = snprintf(o->err, sizeof(o->err), "%s must be one of:",
			       o->name);
		for (i = 0; i < o->words->n && len < sizeof(o->err); i++)
			len += snprintf(o->err + len, sizeof(o->err) - len,
					" %s", o->words->w[i].name);
		WARN_ON(len >= sizeof(o->err));
		break;
	default:
		snprintf(o->err, sizeof(o->err), "%s must be %llu..%llu",
			 o->name, o->min, o->max);
		break;
	}
}

/**
 * lag_options_init - make the option tables from the rows of lag_opts.h
 *
 * Call once from module init, before netlink and sysfs use the tables.
 */
void lag_options_init(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lag_opt_rows); i++) {
		lag_opt_make(&lag_lag_opt_tab[i], &lag_opt_rows[i]);
		/* Its setter relinks every member, which a driver may refuse. */
		lag_lag_opt_tab[i].may_fail =
			lag_opt_rows[i].attr == IFLA_LAG_XMIT_HASH_POLICY;
	}
	for (i = 0; i < ARRAY_SIZE(lag_port_opt_rows); i++)
		lag_opt_make(&lag_port_opt_tab[i], &lag_port_opt_rows[i]);
}

/**
 * lag_mux_word - the word of a mux state, for the trace events
 * @state: an &enum lag_mux_state
 *
 * Return: the word sysfs and ip show, or "unknown".
 */
const char *lag_mux_word(unsigned int state)
{
	return lag_word_name(&lag_mux_words, state) ?: "unknown";
}

/**
 * lag_reason_word - the word of a reason, for the trace events
 * @reason: an &enum lag_port_reason
 *
 * Return: the word sysfs and ip show, or "unknown".
 */
const char *lag_reason_word(unsigned int reason)
{
	return lag_word_name(&lag_reason_words, reason) ?: "unknown";
}

/* ---- values ------------------------------------------------------------ */

/**
 * lag_opt_len - the payload length of an option's netlink attribute
 * @o: the option
 *
 * Return: 1, 2, 8 or ETH_ALEN bytes.
 */
unsigned int lag_opt_len(const struct lag_opt *o)
{
	switch (o->type) {
	case LAG_OPT_U16:
		return sizeof(u16);
	case LAG_OPT_U64:
		return sizeof(u64);
	case LAG_OPT_MAC:
		return ETH_ALEN;
	default:
		return sizeof(u8);
	}
}

/**
 * lag_opt_check - may this value be set?
 * @o: a settable option
 * @v: the value
 *
 * The one check of a value, for netlink requests and sysfs writes alike;
 * @o->err says why a value is refused.
 *
 * Return: 0; -ERANGE for a number or word out of range; -EINVAL for an
 * address that is neither unicast nor all-zero.
 */
int lag_opt_check(const struct lag_opt *o, const union lag_opt_val *v)
{
	if (o->type == LAG_OPT_MAC)
		return is_multicast_ether_addr(v->mac) ? -EINVAL : 0;
	if (o->type == LAG_OPT_WORD)
		return lag_word_name(o->words, v->num) ? 0 : -ERANGE;
	return v->num < o->min || v->num > o->max ? -ERANGE : 0;
}
EXPORT_SYMBOL_IF_KUNIT(lag_opt_check);

/**
 * lag_opt_parse - a value from the text written to a sysfs file
 * @o: a settable option
 * @buf: the text, one trailing newline allowed
 * @v: the value read
 *
 * Words are taken as words, numbers in decimal, addresses as
 * xx:xx:xx:xx:xx:xx. The value is checked with lag_opt_check().
 *
 * Return: 0, -EINVAL for text that is no value of the option's type, or
 * lag_opt_check()'s error.
 */
int lag_opt_parse(const struct lag_opt *o, const char *buf,
		  union lag_opt_val *v)
{
	unsigned int i;

	memset(v, 0, sizeof(*v));
	switch (o->type) {
	case LAG_OPT_MAC:
		if (!mac_pton(buf, v->mac))
			return -EINVAL;
		break;
	case LAG_OPT_WORD:
		for (i = 0; i < o->words->n; i++)
			if (sysfs_streq(buf, o->words->w[i].name))
				break;
		if (i == o->words->n)
			return -EINVAL;
		v->num = o->words->w[i].value;
		break;
	default:
		if (kstrtou64(buf, 10, &v->num))
			return -EINVAL;
		break;
	}
	return lag_opt_check(o, v);
}
EXPORT_SYMBOL_IF_KUNIT(lag_opt_parse);

/**
 * lag_opt_show - a value as its sysfs file shows it, with a newline
 * @o: the option
 * @v: the value
 * @buf: the sysfs page
 *
 * Return: the length written.
 */
int lag_opt_show(const struct lag_opt *o, const union lag_opt_val *v,
		 char *buf)
{
	const char *word;

	switch (o->type) {
	case LAG_OPT_MAC:
		return sysfs_emit(buf, "%pM\n", v->mac);
	case LAG_OPT_HEX8:
		return sysfs_emit(buf, "%02llx\n", v->num);
	case LAG_OPT_WORD:
		word = lag_word_name(o->words, v->num);
		return sysfs_emit(buf, "%s\n", word ?: "unknown");
	default:
		return sysfs_emit(buf, "%llu\n", v->num);
	}
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lag: the option tables (lag_options.c), made from the rows of lag_opts.h,
 * which netlink (lag_netlink.c) and sysfs (lag_sysfs.c) both serve.
 */
#ifndef _LAG_OPTIONS_H
#define _LAG_OPTIONS_H

#include <linux/if_ether.h>
#include <linux/types.h>

#include "lag_opts.h"

struct lag;
struct lag_port;
struct netlink_ext_ack;

/**
 * union lag_opt_val - an option's value
 * @num: every type but %LAG_OPT_MAC
 * @mac: %LAG_OPT_MAC
 */
union lag_opt_val {
	u64 num;
	u8 mac[ETH_ALEN];
};

/* The longest refusal message, with its NUL. */
#define LAG_OPT_MSG_LEN		96

/**
 * struct lag_opt - one row of an option table, made from a
 *	&struct lag_opt_row of lag_opts.h
 * @name: sysfs file, ip keyword and JSON key
 * @words: the words of a %LAG_OPT_WORD value
 * @min: smallest settable value of a number or word
 * @max: largest settable value
 * @attr: netlink attribute, IFLA_LAG_* or IFLA_LAG_PORT_*
 * @type: how the value is carried and shown
 * @rw: settable; otherwise reported only
 * @may_fail: its setter can be refused after lag_opt_check() accepted the
 *	value (a member's driver refuses it); netlink applies such rows
 *	before the others, so that a refusal leaves every option as it was
 * @err: why a value of a settable row is refused, as netlink's extack and
 *	the kernel log (for sysfs) both say it
 * @ro_msg: the refusal of a read-only attribute in a request
 *
 * Locking: none; written once at module init (lag_options_init()).
 */
struct lag_opt {
	const char *name;
	const struct lag_words *words;
	u64 min;
	u64 max;
	u16 attr;
	enum lag_opt_type type;
	bool rw;
	bool may_fail;
	char err[LAG_OPT_MSG_LEN];
	char ro_msg[LAG_OPT_MSG_LEN];
};

/**
 * struct lag_opt_table - the options of a LAG or of a member
 * @opts: the rows, in the order of lag_opts.h
 * @n: how many
 * @maxattr: the highest attribute of the kind (IFLA_LAG_MAX, ...)
 * @pad: the attribute that aligns u64 values, 0 if none is needed
 * @get: read row @o's value; called with the LACP lock held (lag_lock()).
 *	For a member option @port is the member and @lag its LAG; for a LAG
 *	option @port is NULL.
 * @set: apply a value of a settable row that lag_opt_check() accepted,
 *	with RTNL held, without the LACP lock. Returns 0; only a
 *	&lag_opt.may_fail row can return an errno (with @extack set), and
 *	then nothing changed.
 */
struct lag_opt_table {
	const struct lag_opt *opts;
	unsigned int n;
	u16 maxattr;
	u16 pad;
	void (*get)(const struct lag *lag, const struct lag_port *port,
		    const struct lag_opt *o, union lag_opt_val *v);
	int (*set)(struct lag *lag, struct lag_port *port,
		   const struct lag_opt *o, const union lag_opt_val *v,
		   struct netlink_ext_ack *extack);
};

/* Rows a table has at most (checked at build time). */
#define LAG_OPT_ROWS_MAX	32

extern const struct lag_opt_table lag_lag_opts;
extern const struct lag_opt_table lag_port_opts;

void lag_options_init(void);
const char *lag_mux_word(unsigned int state);
const char *lag_reason_word(unsigned int reason);
unsigned int lag_opt_len(const struct lag_opt *o);
int lag_opt_check(const struct lag_opt *o, const union lag_opt_val *v);
int lag_opt_parse(const struct lag_opt *o, const char *buf,
		  union lag_opt_val *v);
int lag_opt_show(const struct lag_opt *o, const union lag_opt_val *v,
		 char *buf);

#endif /* _LAG_OPTIONS_H */

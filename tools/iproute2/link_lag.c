// SPDX-License-Identifier: GPL-2.0
/*
 * link_lag.so: the iproute2 plugin for lag devices and their members.
 *
 *   ip link add lag0 type lag [ OPTIONS ]
 *   ip link set lag0 type lag OPTIONS
 *   ip link set eth0 type lag_slave port_prio N
 *   ip -d [-j] link show { lag0 | eth0 }
 *   ip link help lag
 *
 * ip (iproute2 6.1) loads $IP_LIB_DIR/link_<kind>.so (default /usr/lib/ip)
 * and looks up <kind>_link_util in it; link_lag_slave.so is a symlink to
 * this file, which defines both lag_link_util and lag_slave_link_util.
 * The helpers used below are exported by the ip binary itself.
 *
 * The options are the rows of include/lag_opts.h, which the kernel's netlink
 * and sysfs code are made from too. The plugin checks the syntax of a value
 * (a number of the attribute's width, a known keyword, a MAC address); the
 * kernel checks its range and explains a refusal.
 */

#include <ctype.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/if_ether.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/types.h>

#define LAG_OPTS_TABLES		/* the rows and words of lag_opts.h, here */
#include "lag_opts.h"

/* ---- what ip 6.1 provides (include/utils.h, ip/ip_common.h) ----------- */

/* struct link_util of iproute2 6.1.0 (ip/ip_common.h), field for field. */
struct link_util {
	struct link_util *next;
	const char *id;
	int maxattr;
	int (*parse_opt)(struct link_util *lu, int argc, char **argv,
			 struct nlmsghdr *n);
	void (*print_opt)(struct link_util *lu, FILE *f, struct rtattr *tb[]);
	void (*print_xstats)(struct link_util *lu, FILE *f, struct rtattr *xs);
	void (*print_help)(struct link_util *lu, int argc, char **argv, FILE *f);
	int (*parse_ifla_xstats)(struct link_util *lu, int argc, char **argv);
	int (*print_ifla_xstats)(struct nlmsghdr *n, void *arg);
};

/* include/json_print.h and include/color.h of iproute2 6.1.0 */
enum output_type {
	PRINT_FP = 1,
	PRINT_JSON = 2,
	PRINT_ANY = 4,
};

enum color_attr {
	COLOR_IFNAME,
	COLOR_MAC,
	COLOR_INET,
	COLOR_INET6,
	COLOR_OPERSTATE_UP,
	COLOR_OPERSTATE_DOWN,
	COLOR_NONE
};

/*
 * ip's printers, which write plain text or JSON as ip was asked to, found
 * in the ip binary when the plugin is loaded.
 */
static int (*lag_pr_string)(enum output_type t, enum color_attr color,
			    const char *key, const char *fmt,
			    const char *value);
static int (*lag_pr_uint)(enum output_type t, enum color_attr color,
			  const char *key, const char *fmt,
			  unsigned int value);
static int (*lag_pr_u64)(enum output_type t, enum color_attr color,
			 const char *key, const char *fmt,
			 unsigned long long value);

static void __attribute__((constructor)) lag_plugin_init(void)
{
	lag_pr_string = dlsym(RTLD_DEFAULT, "print_color_string");
	lag_pr_uint = dlsym(RTLD_DEFAULT, "print_color_uint");
	lag_pr_u64 = dlsym(RTLD_DEFAULT, "print_color_lluint");
}

static bool lag_can_print(void)
{
	return lag_pr_string && lag_pr_uint && lag_pr_u64;
}

/* ip's request buffers hold at least this much (struct iplink_req). */
#define LAG_REQ_MAX	1024

/* Append one attribute to the request, as iproute2's addattr_l() does. */
static int lag_addattr(struct nlmsghdr *n, int type, const void *data,
		       size_t len)
{
	size_t at = NLMSG_ALIGN(n->nlmsg_len);
	struct rtattr *rta = (struct rtattr *)((char *)n + at);

	if (at + RTA_ALIGN(RTA_LENGTH(len)) > LAG_REQ_MAX) {
		fprintf(stderr, "lag: request too long\n");
		return -1;
	}
	rta->rta_type = type;
	rta->rta_len = RTA_LENGTH(len);
	memcpy(RTA_DATA(rta), data, len);
	n->nlmsg_len = at + RTA_ALIGN(RTA_LENGTH(len));
	return 0;
}

static int lag_add_u8(struct nlmsghdr *n, int type, __u8 v)
{
	return lag_addattr(n, type, &v, sizeof(v));
}

static int lag_add_u16(struct nlmsghdr *n, int type, __u16 v)
{
	return lag_addattr(n, type, &v, sizeof(v));
}

/* ---- the options: the rows of lag_opts.h, shared with the kernel ----- */

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

/* ---- parsing ----------------------------------------------------------- */

/* The settable options of @opts, with their words or range. */
static void lag_usage_of(FILE *f, const char *kind,
			 const struct lag_opt_row *opts, size_t n)
{
	const char *lead = "Usage: ... ";
	unsigned int i;
	size_t k;

	for (k = 0; k < n; k++) {
		const struct lag_opt_row *o = &opts[k];

		if (!o->rw)
			continue;
		fprintf(f, "%-11s%-10s [ %s ", lead, kind, o->name);
		lead = "";
		kind = "";
		if (o->type == LAG_OPT_WORD) {
			fprintf(f, "{ ");
			for (i = 0; i < o->words->n; i++)
				fprintf(f, "%s%s", i ? " | " : "",
					o->words->w[i].name);
			fprintf(f, " } ]\n");
		} else if (o->type == LAG_OPT_MAC) {
			fprintf(f, "LLADDR ]   (00:00:00:00:00:00: the LAG's own)\n");
		} else {
			fprintf(f, "N ]   (%llu..%llu)\n", o->min, o->max);
		}
	}
}

/* The rows of the kind @lu is for: a LAG's, or a member's (lag_slave). */
static const struct lag_opt_row *lag_rows(const struct link_util *lu,
					  size_t *n)
{
	if (!strcmp(lu->id, "lag_slave")) {
		*n = ARRAY_LEN(lag_port_opt_rows);
		return lag_port_opt_rows;
	}
	*n = ARRAY_LEN(lag_opt_rows);
	return lag_opt_rows;
}

static int lag_bad(const char *kind, const char *opt, const char *val)
{
	fprintf(stderr, "%s: invalid value \"%s\" for \"%s\"\n", kind, val, opt);
	return -1;
}

/* A decimal number no larger than @max (the attribute's width). */
static int lag_parse_num(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	*out = strtoul(s, &end, 10);
	if (errno || *end || *out > max)
		return -1;
	return 0;
}

/* The value of the word @s in @ws, or -1. */
static int lag_parse_word(const char *s, const struct lag_words *ws)
{
	unsigned int i;

	for (i = 0; i < ws->n; i++)
		if (!strcmp(s, ws->w[i].name))
			return ws->w[i].value;
	return -1;
}

static int lag_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* xx:xx:xx:xx:xx:xx, two hex digits each. */
static int lag_parse_mac(const char *s, __u8 mac[ETH_ALEN])
{
	int i, hi, lo;

	for (i = 0; i < ETH_ALEN; i++, s += 3) {
		hi = lag_hexval(s[0]);
		lo = hi < 0 ? -1 : lag_hexval(s[1]);
		if (lo < 0 || s[2] != (i == ETH_ALEN - 1 ? '\0' : ':'))
			return -1;
		mac[i] = hi << 4 | lo;
	}
	return 0;
}

static int lag_parse_one(struct nlmsghdr *n, const struct lag_opt_row *o,
			 const char *kind, const char *val)
{
	__u8 mac[ETH_ALEN];
	unsigned long v;
	int w;

	switch (o->type) {
	case LAG_OPT_MAC:
		if (lag_parse_mac(val, mac))
			return lag_bad(kind, o->name, val);
		return lag_addattr(n, o->attr, mac, ETH_ALEN);
	case LAG_OPT_WORD:
		w = lag_parse_word(val, o->words);
		if (w < 0)
			return lag_bad(kind, o->name, val);
		return lag_add_u8(n, o->attr, w);
	case LAG_OPT_U16:
		if (lag_parse_num(val, 0xffff, &v))
			return lag_bad(kind, o->name, val);
		return lag_add_u16(n, o->attr, v);
	default:
		if (lag_parse_num(val, 0xff, &v))
			return lag_bad(kind, o->name, val);
		return lag_add_u8(n, o->attr, v);
	}
}

/* "NAME VALUE" pairs, each NAME a settable option of @lu's kind. */
static int lag_parse_opt(struct link_util *lu, int argc, char **argv,
			 struct nlmsghdr *n)
{
	const struct lag_opt_row *opts, *o;
	size_t i, nopts;

	opts = lag_rows(lu, &nopts);
	for (; argc > 0; argc -= 2, argv += 2) {
		if (!strcmp(*argv, "help")) {
			lag_usage_of(stderr, lu->id, opts, nopts);
			return -1;
		}
		for (i = 0, o = NULL; i < nopts && !o; i++)
			if (opts[i].rw && !strcmp(*argv, opts[i].name))
				o = &opts[i];
		if (!o) {
			fprintf(stderr, "%s: unknown option \"%s\"\n", lu->id,
				*argv);
			lag_usage_of(stderr, lu->id, opts, nopts);
			return -1;
		}
		if (argc < 2) {
			fprintf(stderr, "%s: \"%s\" needs a value\n", lu->id,
				*argv);
			return -1;
		}
		if (lag_parse_one(n, o, lu->id, argv[1]))
			return -1;
	}
	return 0;
}

/* ---- printing ---------------------------------------------------------- */

static unsigned int lag_u8(const struct rtattr *a)
{
	return *(const __u8 *)RTA_DATA(a);
}

static unsigned int lag_u16(const struct rtattr *a)
{
	__u16 v;

	memcpy(&v, RTA_DATA(a), sizeof(v));
	return v;
}

static __u64 lag_u64(const struct rtattr *a)
{
	__u64 v;

	memcpy(&v, RTA_DATA(a), sizeof(v));
	return v;
}

static bool lag_has(struct rtattr *tb[], int type, size_t len)
{
	return tb[type] && RTA_PAYLOAD(tb[type]) >= len;
}

static void lag_print_str(const char *key, const char *val)
{
	char fmt[64];

	snprintf(fmt, sizeof(fmt), "%s %%s ", key);
	lag_pr_string(PRINT_ANY, COLOR_NONE, key, fmt, val);
}

static void lag_print_one(struct rtattr *tb[], const struct lag_opt_row *o)
{
	static const size_t len[] = {
		[LAG_OPT_U8] = 1, [LAG_OPT_U16] = 2, [LAG_OPT_U64] = 8, [LAG_OPT_HEX8] = 1,
		[LAG_OPT_MAC] = ETH_ALEN, [LAG_OPT_WORD] = 1,
	};
	char fmt[64], buf[24];
	const char *word;
	const __u8 *m;

	if (!lag_has(tb, o->attr, len[o->type]))
		return;
	switch (o->type) {
	case LAG_OPT_MAC:
		m = RTA_DATA(tb[o->attr]);
		snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x",
			 m[0], m[1], m[2], m[3], m[4], m[5]);
		snprintf(fmt, sizeof(fmt), "%s %%s ", o->name);
		lag_pr_string(PRINT_ANY, COLOR_MAC, o->name, fmt, buf);
		break;
	case LAG_OPT_WORD:
		word = lag_word_name(o->words, lag_u8(tb[o->attr]));
		lag_print_str(o->name, word ? word : "unknown");
		break;
	case LAG_OPT_HEX8:
		/* LACP state bits: a number in JSON, two hex digits as sysfs */
		lag_pr_uint(PRINT_JSON, COLOR_NONE, o->name, NULL,
			    lag_u8(tb[o->attr]));
		snprintf(buf, sizeof(buf), "%02x", lag_u8(tb[o->attr]));
		snprintf(fmt, sizeof(fmt), "%s %%s ", o->name);
		lag_pr_string(PRINT_FP, COLOR_NONE, NULL, fmt, buf);
		break;
	case LAG_OPT_U64:
		snprintf(fmt, sizeof(fmt), "%s %%llu ", o->name);
		lag_pr_u64(PRINT_ANY, COLOR_NONE, o->name, fmt,
			   lag_u64(tb[o->attr]));
		break;
	default:
		snprintf(fmt, sizeof(fmt), "%s %%u ", o->name);
		lag_pr_uint(PRINT_ANY, COLOR_NONE, o->name, fmt,
			    o->type == LAG_OPT_U16 ? lag_u16(tb[o->attr]) :
						 lag_u8(tb[o->attr]));
		break;
	}
}

/* print_opt's FILE is always ip's stdout, where ip's printers write. */
static void lag_print_opt(struct link_util *lu, FILE *f, struct rtattr *tb[])
{
	const struct lag_opt_row *opts;
	size_t i, n;

	if (!tb || !lag_can_print()) {
		fprintf(f, "(%s: cannot print) ", lu->id);
		return;
	}
	opts = lag_rows(lu, &n);
	for (i = 0; i < n; i++)
		lag_print_one(tb, &opts[i]);
}

/* ip link help { lag | lag_slave } [ ARGS ]: ARGS are not used. */
static void lag_print_help(struct link_util *lu, int argc, char **argv,
			   FILE *f)
{
	const struct lag_opt_row *opts;
	size_t n;

	(void)argc;
	(void)argv;
	opts = lag_rows(lu, &n);
	lag_usage_of(f, lu->id, opts, n);
}

struct link_util lag_link_util = {
	.id		= "lag",
	.maxattr	= IFLA_LAG_MAX,
	.parse_opt	= lag_parse_opt,
	.print_opt	= lag_print_opt,
	.print_help	= lag_print_help,
};

struct link_util lag_slave_link_util = {
	.id		= "lag_slave",
	.maxattr	= IFLA_LAG_PORT_MAX,
	.parse_opt	= lag_parse_opt,
	.print_opt	= lag_print_opt,
	.print_help	= lag_print_help,
};

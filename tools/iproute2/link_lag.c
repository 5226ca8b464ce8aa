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
 * The plugin checks the syntax of a value (a number of the attribute's
 * width, a known keyword, a MAC address); the kernel checks its range and
 * explains a refusal.
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

#include <linux/if_lag.h>

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

/* ---- names ------------------------------------------------------------- */

static const char * const lag_policy_names[__LAG_XMIT_POLICY_MAX] = {
	[LAG_XMIT_POLICY_LAYER2]	= "layer2",
	[LAG_XMIT_POLICY_LAYER23]	= "layer2+3",
	[LAG_XMIT_POLICY_LAYER34]	= "layer3+4",
	[LAG_XMIT_POLICY_ENCAP23]	= "encap2+3",
	[LAG_XMIT_POLICY_ENCAP34]	= "encap3+4",
};

static const char * const lag_mux_names[__LAG_MUX_MAX] = {
	[LAG_MUX_DETACHED]	= "detached",
	[LAG_MUX_WAITING]	= "waiting",
	[LAG_MUX_ATTACHED]	= "attached",
	[LAG_MUX_COLLECTING]	= "collecting",
	[LAG_MUX_DISTRIBUTING]	= "distributing",
};

static const char * const lag_reason_names[__LAG_PORT_REASON_MAX] = {
	[LAG_PORT_REASON_NONE]		= "none",
	[LAG_PORT_REASON_DOWN]		= "down",
	[LAG_PORT_REASON_SPEED]		= "speed",
	[LAG_PORT_REASON_PARTNER]	= "partner",
	[LAG_PORT_REASON_DEFAULTED]	= "defaulted",
	[LAG_PORT_REASON_EXPIRED]	= "expired",
	[LAG_PORT_REASON_SYNC]		= "sync",
	[LAG_PORT_REASON_CHURN]		= "churn",
	[LAG_PORT_REASON_LOOP]		= "loop",
	[LAG_PORT_REASON_PASSIVE]	= "passive",
};

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

static const char *lag_name(const char * const *names, size_t n,
			    unsigned int v)
{
	return v < n && names[v] ? names[v] : "unknown";
}

/* ---- parsing ----------------------------------------------------------- */

static void lag_usage(FILE *f)
{
	fprintf(f,
		"Usage: ... lag [ min_links N ]            (0..%d)\n"
		"               [ lacp_rate { slow | fast } ]\n"
		"               [ lacp_active { on | off } ]\n"
		"               [ lacp_fallback { on | off } ]\n"
		"               [ xmit_hash_policy POLICY ]\n"
		"               [ actor_sys_prio N ]       (1..65535)\n"
		"               [ actor_system LLADDR ]    (00:00:00:00:00:00: the LAG's address)\n"
		"               [ user_port_key N ]        (0..%d)\n"
		"\n"
		"POLICY := { layer2 | layer2+3 | layer3+4 | encap2+3 | encap3+4 }\n",
		LAG_MAX_PORTS, LAG_USER_PORT_KEY_MAX);
}

static void lag_slave_usage(FILE *f)
{
	fprintf(f, "Usage: ... lag_slave [ port_prio N ]      (0..65535)\n");
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

/* The index of @s in @names, or -1. */
static int lag_parse_word(const char *s, const char * const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (names[i] && !strcmp(s, names[i]))
			return i;
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

static const char * const lag_rate_names[] = { "slow", "fast" };
static const char * const lag_onoff_names[] = { "off", "on" };

/*
 * The LAG's options: name, attribute, and either the keywords the value is
 * one of (the attribute holds the keyword's index) or the largest number
 * the attribute holds (its range is the kernel's to check).
 */
static const struct lag_opt {
	const char *name;
	int type;
	const char * const *words;
	size_t nwords;
	unsigned long max;
} lag_opts[] = {
	{ "min_links", IFLA_LAG_MIN_LINKS, NULL, 0, 0xff },
	{ "lacp_rate", IFLA_LAG_LACP_RATE, lag_rate_names, 2, 0 },
	{ "lacp_active", IFLA_LAG_LACP_ACTIVE, lag_onoff_names, 2, 0 },
	{ "lacp_fallback", IFLA_LAG_LACP_FALLBACK, lag_onoff_names, 2, 0 },
	{ "xmit_hash_policy", IFLA_LAG_XMIT_HASH_POLICY, lag_policy_names,
	  ARRAY_LEN(lag_policy_names), 0 },
	{ "actor_sys_prio", IFLA_LAG_ACTOR_SYS_PRIO, NULL, 0, 0xffff },
	{ "actor_system", IFLA_LAG_ACTOR_SYSTEM, NULL, 0, 0 },
	{ "user_port_key", IFLA_LAG_USER_PORT_KEY, NULL, 0, 0xffff },
};

static int lag_parse_one(struct nlmsghdr *n, const struct lag_opt *o,
			 const char *kind, const char *val)
{
	__u8 mac[ETH_ALEN];
	unsigned long v;
	int w;

	if (o->type == IFLA_LAG_ACTOR_SYSTEM) {
		if (lag_parse_mac(val, mac))
			return lag_bad(kind, o->name, val);
		return lag_addattr(n, o->type, mac, ETH_ALEN);
	}
	if (o->words) {
		w = lag_parse_word(val, o->words, o->nwords);
		if (w < 0)
			return lag_bad(kind, o->name, val);
		return lag_add_u8(n, o->type, w);
	}
	if (lag_parse_num(val, o->max, &v))
		return lag_bad(kind, o->name, val);
	return o->max > 0xff ? lag_add_u16(n, o->type, v) :
			       lag_add_u8(n, o->type, v);
}

static int lag_parse_opt(struct link_util *lu, int argc, char **argv,
			 struct nlmsghdr *n)
{
	const struct lag_opt *o;
	size_t i;

	for (; argc > 0; argc -= 2, argv += 2) {
		if (!strcmp(*argv, "help")) {
			lag_usage(stderr);
			return -1;
		}
		for (i = 0, o = NULL; i < ARRAY_LEN(lag_opts) && !o; i++)
			if (!strcmp(*argv, lag_opts[i].name))
				o = &lag_opts[i];
		if (!o) {
			fprintf(stderr, "%s: unknown option \"%s\"\n", lu->id,
				*argv);
			lag_usage(stderr);
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

static int lag_slave_parse_opt(struct link_util *lu, int argc, char **argv,
			       struct nlmsghdr *n)
{
	unsigned long v;

	for (; argc > 0; argc -= 2, argv += 2) {
		if (!strcmp(*argv, "help")) {
			lag_slave_usage(stderr);
			return -1;
		}
		if (strcmp(*argv, "port_prio")) {
			fprintf(stderr, "%s: unknown option \"%s\"\n", lu->id,
				*argv);
			lag_slave_usage(stderr);
			return -1;
		}
		if (argc < 2) {
			fprintf(stderr, "%s: \"port_prio\" needs a value\n",
				lu->id);
			return -1;
		}
		if (lag_parse_num(argv[1], 0xffff, &v))
			return lag_bad(lu->id, "port_prio", argv[1]);
		if (lag_add_u16(n, IFLA_LAG_PORT_PORT_PRIO, v))
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

static void lag_print_uint(struct rtattr *tb[], int type, bool wide,
			   const char *key)
{
	char fmt[64];

	if (!lag_has(tb, type, wide ? 2 : 1))
		return;
	snprintf(fmt, sizeof(fmt), "%s %%u ", key);
	lag_pr_uint(PRINT_ANY, COLOR_NONE, key, fmt,
		    wide ? lag_u16(tb[type]) : lag_u8(tb[type]));
}

static void lag_print_str(const char *key, const char *val)
{
	char fmt[64];

	snprintf(fmt, sizeof(fmt), "%s %%s ", key);
	lag_pr_string(PRINT_ANY, COLOR_NONE, key, fmt, val);
}

static void lag_print_mac(struct rtattr *tb[], int type, const char *key)
{
	const __u8 *m;
	char fmt[64], buf[18];

	if (!lag_has(tb, type, ETH_ALEN))
		return;
	m = RTA_DATA(tb[type]);
	snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x",
		 m[0], m[1], m[2], m[3], m[4], m[5]);
	snprintf(fmt, sizeof(fmt), "%s %%s ", key);
	lag_pr_string(PRINT_ANY, COLOR_MAC, key, fmt, buf);
}

/* LACP state bits: a number in JSON, two hex digits as sysfs shows them. */
static void lag_print_state(struct rtattr *tb[], int type, const char *key)
{
	char fmt[64], buf[8];

	if (!lag_has(tb, type, 1))
		return;
	lag_pr_uint(PRINT_JSON, COLOR_NONE, key, NULL, lag_u8(tb[type]));
	snprintf(buf, sizeof(buf), "%02x", lag_u8(tb[type]));
	snprintf(fmt, sizeof(fmt), "%s %%s ", key);
	lag_pr_string(PRINT_FP, COLOR_NONE, NULL, fmt, buf);
}

static void lag_print_u64(struct rtattr *tb[], int type, const char *key)
{
	char fmt[64];

	if (!lag_has(tb, type, sizeof(__u64)))
		return;
	snprintf(fmt, sizeof(fmt), "%s %%llu ", key);
	lag_pr_u64(PRINT_ANY, COLOR_NONE, key, fmt, lag_u64(tb[type]));
}

static void lag_print_word(struct rtattr *tb[], int type, const char *key,
			   const char * const *names, size_t n)
{
	if (lag_has(tb, type, 1))
		lag_print_str(key, lag_name(names, n, lag_u8(tb[type])));
}

/* print_opt's FILE is always ip's stdout, where ip's printers write. */
static void lag_print_opt(struct link_util *lu, FILE *f, struct rtattr *tb[])
{
	if (!tb || !lag_can_print()) {
		fprintf(f, "(%s: cannot print) ", lu->id);
		return;
	}
	lag_print_uint(tb, IFLA_LAG_MIN_LINKS, false, "min_links");
	lag_print_word(tb, IFLA_LAG_LACP_RATE, "lacp_rate", lag_rate_names,
		       ARRAY_LEN(lag_rate_names));
	lag_print_word(tb, IFLA_LAG_LACP_ACTIVE, "lacp_active",
		       lag_onoff_names, ARRAY_LEN(lag_onoff_names));
	lag_print_word(tb, IFLA_LAG_LACP_FALLBACK, "lacp_fallback",
		       lag_onoff_names, ARRAY_LEN(lag_onoff_names));
	lag_print_word(tb, IFLA_LAG_XMIT_HASH_POLICY, "xmit_hash_policy",
		       lag_policy_names, ARRAY_LEN(lag_policy_names));
	lag_print_uint(tb, IFLA_LAG_ACTOR_SYS_PRIO, true, "actor_sys_prio");
	lag_print_mac(tb, IFLA_LAG_ACTOR_SYSTEM, "actor_system");
	lag_print_uint(tb, IFLA_LAG_USER_PORT_KEY, true, "user_port_key");
	lag_print_uint(tb, IFLA_LAG_ACTIVE_PORTS, false, "active_ports");
	lag_print_uint(tb, IFLA_LAG_ACTIVE_AGG_ID, true, "active_aggregator");
	lag_print_mac(tb, IFLA_LAG_PARTNER_SYSTEM, "partner_system");
	lag_print_uint(tb, IFLA_LAG_PARTNER_SYS_PRIO, true, "partner_sys_prio");
	lag_print_uint(tb, IFLA_LAG_PARTNER_KEY, true, "partner_key");
}

static void lag_slave_print_opt(struct link_util *lu, FILE *f,
				struct rtattr *tb[])
{
	unsigned int reason;

	if (!tb || !lag_can_print()) {
		fprintf(f, "(%s: cannot print) ", lu->id);
		return;
	}
	lag_print_word(tb, IFLA_LAG_PORT_MUX_STATE, "mux_state", lag_mux_names,
		       ARRAY_LEN(lag_mux_names));
	if (lag_has(tb, IFLA_LAG_PORT_REASON, 1)) {
		reason = lag_u8(tb[IFLA_LAG_PORT_REASON]);
		lag_print_str("reason", reason == LAG_PORT_REASON_LAG_DOWN ?
			      "lag_down" :
			      lag_name(lag_reason_names,
				       ARRAY_LEN(lag_reason_names), reason));
	}
	lag_print_uint(tb, IFLA_LAG_PORT_PORT_NUMBER, true, "port_number");
	lag_print_uint(tb, IFLA_LAG_PORT_PORT_PRIO, true, "port_prio");
	lag_print_uint(tb, IFLA_LAG_PORT_ACTOR_KEY, true, "actor_key");
	lag_print_state(tb, IFLA_LAG_PORT_ACTOR_STATE, "actor_state");
	lag_print_uint(tb, IFLA_LAG_PORT_AGG_ID, true, "aggregator_id");
	lag_print_mac(tb, IFLA_LAG_PORT_PARTNER_SYSTEM, "partner_system");
	lag_print_uint(tb, IFLA_LAG_PORT_PARTNER_KEY, true, "partner_key");
	lag_print_uint(tb, IFLA_LAG_PORT_PARTNER_PORT, true, "partner_port");
	lag_print_state(tb, IFLA_LAG_PORT_PARTNER_STATE, "partner_state");
	lag_print_u64(tb, IFLA_LAG_PORT_LACPDU_RX, "lacpdu_rx");
	lag_print_u64(tb, IFLA_LAG_PORT_LACPDU_TX, "lacpdu_tx");
	lag_print_u64(tb, IFLA_LAG_PORT_LACPDU_RX_ERRORS, "lacpdu_rx_errors");
	lag_print_u64(tb, IFLA_LAG_PORT_MARKER_RX, "marker_rx");
	lag_print_u64(tb, IFLA_LAG_PORT_MARKER_TX, "marker_tx");
}

/* ip link help { lag | lag_slave } [ ARGS ]: ARGS are not used. */
static void lag_print_help(struct link_util *lu, int argc, char **argv,
			   FILE *f)
{
	(void)argc;
	(void)argv;
	if (!strcmp(lu->id, "lag_slave"))
		lag_slave_usage(f);
	else
		lag_usage(f);
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
	.parse_opt	= lag_slave_parse_opt,
	.print_opt	= lag_slave_print_opt,
	.print_help	= lag_print_help,
};

// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the rtnetlink policies and validation of lag_netlink.c, fed the
 * attribute streams user space could send: missing, oversized, undersized,
 * out-of-range and read-only attributes. Parsing is done as rtnetlink does
 * it for IFLA_INFO_DATA and IFLA_INFO_SLAVE_DATA (liberal), and strictly.
 */

#include <kunit/test.h>
#include <linux/netlink.h>
#include <linux/string.h>
#include <net/netlink.h>

#include "lag.h"
#include "lag_netlink.h"

#define LAG_NLT_BUF	256

/**
 * struct lag_nlt - an attribute stream being built, and its parse
 * @buf: the attributes, back to back, each padded to NLA_ALIGNTO
 * @len: bytes used in @buf
 * @tb: the parsed attributes
 * @ptb: the parsed member attributes
 * @extack: what the parse or validation said
 *
 * Locking: none; owned by one test case.
 */
struct lag_nlt {
	u8 buf[LAG_NLT_BUF];
	int len;
	struct nlattr *tb[IFLA_LAG_MAX + 1];
	struct nlattr *ptb[IFLA_LAG_PORT_MAX + 1];
	struct netlink_ext_ack extack;
};

static struct lag_nlt *lag_nlt_new(struct kunit *test)
{
	struct lag_nlt *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	return t;
}

/* Append attribute @type with @len bytes of @data; returns it. */
static struct nlattr *lag_nlt_put(struct kunit *test, struct lag_nlt *t,
				  int type, const void *data, int len)
{
	struct nlattr *nla = (struct nlattr *)(t->buf + t->len);

	KUNIT_ASSERT_LE(test, t->len + nla_total_size(len), LAG_NLT_BUF);
	nla->nla_type = type;
	nla->nla_len = nla_attr_size(len);
	if (len)
		memcpy(nla_data(nla), data, len);
	memset((u8 *)nla_data(nla) + len, 0, nla_padlen(len));
	t->len += nla_total_size(len);
	return nla;
}

static struct nlattr *lag_nlt_u8(struct kunit *test, struct lag_nlt *t,
				 int type, u8 v)
{
	return lag_nlt_put(test, t, type, &v, sizeof(v));
}

static struct nlattr *lag_nlt_u16(struct kunit *test, struct lag_nlt *t,
				  int type, u16 v)
{
	return lag_nlt_put(test, t, type, &v, sizeof(v));
}

static struct nlattr *lag_nlt_u32(struct kunit *test, struct lag_nlt *t,
				  int type, u32 v)
{
	return lag_nlt_put(test, t, type, &v, sizeof(v));
}

/* The extack message of the last check contains @what. */
static bool lag_nlt_msg_has(struct lag_nlt *t, const char *what)
{
	return t->extack._msg && strstr(t->extack._msg, what);
}

/* Parse as rtnetlink does, then run the LAG's validate; returns the error. */
static int lag_nlt_check(struct lag_nlt *t)
{
	int err;

	memset(&t->extack, 0, sizeof(t->extack));
	err = nla_parse_deprecated(t->tb, IFLA_LAG_MAX,
				   (struct nlattr *)t->buf, t->len,
				   lag_nl_policy, &t->extack);
	if (err)
		return err;
	return lag_nl_validate(NULL, t->tb, &t->extack);
}

static int lag_nlt_check_strict(struct lag_nlt *t)
{
	memset(&t->extack, 0, sizeof(t->extack));
	return nla_parse(t->tb, IFLA_LAG_MAX, (struct nlattr *)t->buf, t->len,
			 lag_nl_policy, &t->extack);
}

static int lag_nlt_check_port(struct lag_nlt *t)
{
	memset(&t->extack, 0, sizeof(t->extack));
	return nla_parse_deprecated(t->ptb, IFLA_LAG_PORT_MAX,
				    (struct nlattr *)t->buf, t->len,
				    lag_port_nl_policy, &t->extack);
}

/* No attributes at all, and no data: nothing to change, accepted. */
static void lag_nl_missing(struct kunit *test)
{
	struct lag_nlt *t = lag_nlt_new(test);
	int i;

	KUNIT_EXPECT_EQ(test, lag_nlt_check(t), 0);
	for (i = 0; i <= IFLA_LAG_MAX; i++)
		KUNIT_EXPECT_NULL(test, t->tb[i]);
	KUNIT_EXPECT_EQ(test, lag_nl_validate(NULL, NULL, &t->extack), 0);
}

/* Every settable attribute at both ends of its range. */
static void lag_nl_limits_ok(struct kunit *test)
{
	static const u8 zero[ETH_ALEN], mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 1 };
	struct lag_nlt *t = lag_nlt_new(test);

	lag_nlt_u8(test, t, IFLA_LAG_MIN_LINKS, LAG_MAX_PORTS);
	lag_nlt_u8(test, t, IFLA_LAG_LACP_RATE, 1);
	lag_nlt_u8(test, t, IFLA_LAG_LACP_ACTIVE, 0);
	lag_nlt_u8(test, t, IFLA_LAG_LACP_FALLBACK, 1);
	lag_nlt_u8(test, t, IFLA_LAG_XMIT_HASH_POLICY, LAG_XMIT_POLICY_ENCAP34);
	lag_nlt_u16(test, t, IFLA_LAG_ACTOR_SYS_PRIO, 1);
	lag_nlt_put(test, t, IFLA_LAG_ACTOR_SYSTEM, mac, ETH_ALEN);
	lag_nlt_u16(test, t, IFLA_LAG_USER_PORT_KEY, LAG_USER_PORT_KEY_MAX);
	KUNIT_EXPECT_EQ(test, lag_nlt_check(t), 0);
	KUNIT_EXPECT_EQ(test, nla_get_u8(t->tb[IFLA_LAG_MIN_LINKS]),
			LAG_MAX_PORTS);
	KUNIT_EXPECT_EQ(test, nla_get_u16(t->tb[IFLA_LAG_USER_PORT_KEY]),
			LAG_USER_PORT_KEY_MAX);
	KUNIT_EXPECT_EQ(test, lag_nlt_check_strict(t), 0);

	t = lag_nlt_new(test);
	lag_nlt_u8(test, t, IFLA_LAG_MIN_LINKS, 0);
	lag_nlt_u8(test, t, IFLA_LAG_XMIT_HASH_POLICY, LAG_XMIT_POLICY_LAYER2);
	lag_nlt_u16(test, t, IFLA_LAG_ACTOR_SYS_PRIO, 65535);
	lag_nlt_put(test, t, IFLA_LAG_ACTOR_SYSTEM, zero, ETH_ALEN);
	lag_nlt_u16(test, t, IFLA_LAG_USER_PORT_KEY, 0);
	KUNIT_EXPECT_EQ(test, lag_nlt_check(t), 0);
}

/* One past either end: refused, the offending attribute named. */
static void lag_nl_out_of_range(struct kunit *test)
{
	static const struct {
		int type;
		bool wide;
		u16 value;
	} bad[] = {
		{ IFLA_LAG_MIN_LINKS, false, LAG_MAX_PORTS + 1 },
		{ IFLA_LAG_MIN_LINKS, false, 255 },
		{ IFLA_LAG_LACP_RATE, false, 2 },
		{ IFLA_LAG_LACP_ACTIVE, false, 2 },
		{ IFLA_LAG_LACP_FALLBACK, false, 255 },
		{ IFLA_LAG_XMIT_HASH_POLICY, false, __LAG_XMIT_POLICY_MAX },
		{ IFLA_LAG_ACTOR_SYS_PRIO, true, 0 },
		{ IFLA_LAG_USER_PORT_KEY, true, LAG_USER_PORT_KEY_MAX + 1 },
		{ IFLA_LAG_USER_PORT_KEY, true, 65535 },
	};
	struct nlattr *nla;
	struct lag_nlt *t;
	int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		t = lag_nlt_new(test);
		/* A valid attribute first: the whole request is refused. */
		lag_nlt_u8(test, t, IFLA_LAG_LACP_RATE, 1);
		nla = bad[i].wide ?
		      lag_nlt_u16(test, t, bad[i].type, bad[i].value) :
		      lag_nlt_u8(test, t, bad[i].type, bad[i].value);
		KUNIT_EXPECT_EQ_MSG(test, lag_nlt_check(t), -ERANGE,
				    "attribute %d value %u", bad[i].type,
				    bad[i].value);
		KUNIT_EXPECT_PTR_EQ(test, t->extack.bad_attr,
				    (const struct nlattr *)nla);
		KUNIT_EXPECT_NOT_NULL(test, t->extack._msg);
		/* The policy entry goes back to user space with the refusal. */
		KUNIT_EXPECT_PTR_EQ(test, t->extack.policy,
				    &lag_nl_policy[bad[i].type]);
	}
}

/* Too short for its type: refused even by the liberal parse. */
static void lag_nl_undersized(struct kunit *test)
{
	static const u8 five[5] = { 2, 0, 0, 0, 0 };
	struct lag_nlt *t = lag_nlt_new(test);

	lag_nlt_u8(test, t, IFLA_LAG_ACTOR_SYS_PRIO, 7);
	KUNIT_EXPECT_EQ(test, lag_nlt_check(t), -ERANGE);

	t = lag_nlt_new(test);
	lag_nlt_put(test, t, IFLA_LAG_MIN_LINKS, NULL, 0);
	KUNIT_EXPECT_EQ(test, lag_nlt_check(t), -ERANGE);

	t = lag_nlt_new(test);
	lag_nlt_put(test, t, IFLA_LAG_ACTOR_SYSTEM, five, sizeof(five));
	KUNIT_EXPECT_EQ(test, lag_nlt_check(t), -ERANGE);
}

/*
 * Too long: the address must be exactly six bytes in any parse; a number
 * wider than its type is refused by a strict parse and read in its first
 * bytes (host order) by the liberal one rtnetlink uses.
 */
static void lag_nl_oversized(struct kunit *test)
{
	static const u8 seven[7] = { 2, 0, 0, 0, 0, 1, 0 };
	struct lag_nlt *t = lag_nlt_new(test);

	lag_nlt_put(test, t, IFLA_LAG_ACTOR_SYSTEM, seven, sizeof(seven));
	KUNIT_EXPECT_EQ(test, lag_nlt_check(t), -ERANGE);
	KUNIT_EXPECT_EQ(test, lag_nlt_check_strict(t), -ERANGE);

	t = lag_nlt_new(test);
	lag_nlt_u32(test, t, IFLA_LAG_ACTOR_SYS_PRIO, 100);
	KUNIT_EXPECT_EQ(test, lag_nlt_check_strict(t), -EINVAL);

	t = lag_nlt_new(test);
	lag_nlt_u16(test, t, IFLA_LAG_MIN_LINKS, 0x0909);
	KUNIT_EXPECT_EQ(test, lag_nlt_check_strict(t), -EINVAL);
	/* Its first byte is 9, out of range, in either parse. */
	KUNIT_EXPECT_EQ(test, lag_nlt_check(t), -ERANGE);
}

/* Attributes above the maximum: ignored by rtnetlink's parse. */
static void lag_nl_unknown(struct kunit *test)
{
	struct lag_nlt *t = lag_nlt_new(test);

	lag_nlt_u8(test, t, IFLA_LAG_MAX + 1, 1);
	lag_nlt_u8(test, t, IFLA_LAG_MIN_LINKS, 1);
	KUNIT_EXPECT_EQ(test, lag_nlt_check(t), 0);
	KUNIT_EXPECT_NOT_NULL(test, t->tb[IFLA_LAG_MIN_LINKS]);
	KUNIT_EXPECT_NE(test, lag_nlt_check_strict(t), 0);
}

/* What the kernel reports is not for user space to set. */
static void lag_nl_read_only(struct kunit *test)
{
	static const int ro[] = {
		IFLA_LAG_ACTIVE_PORTS, IFLA_LAG_ACTIVE_AGG_ID,
		IFLA_LAG_PARTNER_SYSTEM, IFLA_LAG_PARTNER_SYS_PRIO,
		IFLA_LAG_PARTNER_KEY,
	};
	struct nlattr *nla;
	struct lag_nlt *t;
	int i;

	for (i = 0; i < ARRAY_SIZE(ro); i++) {
		t = lag_nlt_new(test);
		nla = lag_nlt_u16(test, t, ro[i], 1);
		KUNIT_EXPECT_EQ(test, lag_nlt_check(t), -EINVAL);
		KUNIT_EXPECT_PTR_EQ(test, t->extack.bad_attr,
				    (const struct nlattr *)nla);
		KUNIT_EXPECT_TRUE(test, lag_nlt_msg_has(t, "read-only"));
	}
}

/* The actor system ID is a unicast address or all-zero. */
static void lag_nl_actor_system(struct kunit *test)
{
	static const u8 mcast[ETH_ALEN] = { 0x01, 0x80, 0xc2, 0, 0, 2 };
	static const u8 bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct nlattr *nla;
	struct lag_nlt *t;

	t = lag_nlt_new(test);
	nla = lag_nlt_put(test, t, IFLA_LAG_ACTOR_SYSTEM, mcast, ETH_ALEN);
	KUNIT_EXPECT_EQ(test, lag_nlt_check(t), -EINVAL);
	KUNIT_EXPECT_PTR_EQ(test, t->extack.bad_attr,
			    (const struct nlattr *)nla);
	KUNIT_EXPECT_TRUE(test, lag_nlt_msg_has(t, "actor_system"));

	t = lag_nlt_new(test);
	lag_nlt_put(test, t, IFLA_LAG_ACTOR_SYSTEM, bcast, ETH_ALEN);
	KUNIT_EXPECT_EQ(test, lag_nlt_check(t), -EINVAL);
}

/* Members: only the port priority, any 16-bit value, may be set. */
static void lag_nl_port(struct kunit *test)
{
	struct lag_nlt *t;
	int type;

	t = lag_nlt_new(test);
	lag_nlt_u16(test, t, IFLA_LAG_PORT_PORT_PRIO, 0);
	KUNIT_EXPECT_EQ(test, lag_nlt_check_port(t), 0);
	t = lag_nlt_new(test);
	lag_nlt_u16(test, t, IFLA_LAG_PORT_PORT_PRIO, 65535);
	KUNIT_EXPECT_EQ(test, lag_nlt_check_port(t), 0);
	KUNIT_EXPECT_EQ(test, nla_get_u16(t->ptb[IFLA_LAG_PORT_PORT_PRIO]),
			65535);

	t = lag_nlt_new(test);
	lag_nlt_u8(test, t, IFLA_LAG_PORT_PORT_PRIO, 1);
	KUNIT_EXPECT_EQ(test, lag_nlt_check_port(t), -ERANGE);

	for (type = IFLA_LAG_PORT_UNSPEC + 1; type <= IFLA_LAG_PORT_MAX; type++) {
		if (type == IFLA_LAG_PORT_PORT_PRIO)
			continue;
		t = lag_nlt_new(test);
		lag_nlt_u16(test, t, IFLA_LAG_PORT_PORT_PRIO, 3);
		lag_nlt_u8(test, t, type, 0);
		KUNIT_EXPECT_EQ_MSG(test, lag_nlt_check_port(t), -EINVAL,
				    "member attribute %d", type);
		KUNIT_EXPECT_TRUE(test, lag_nlt_msg_has(t, "read-only"));
	}
}

static struct kunit_case lag_netlink_cases[] = {
	KUNIT_CASE(lag_nl_missing),
	KUNIT_CASE(lag_nl_limits_ok),
	KUNIT_CASE(lag_nl_out_of_range),
	KUNIT_CASE(lag_nl_undersized),
	KUNIT_CASE(lag_nl_oversized),
	KUNIT_CASE(lag_nl_unknown),
	KUNIT_CASE(lag_nl_read_only),
	KUNIT_CASE(lag_nl_actor_system),
	KUNIT_CASE(lag_nl_port),
	{}
};

static struct kunit_suite lag_netlink_suite = {
	.name = "lag_netlink",
	.test_cases = lag_netlink_cases,
};

kunit_test_suites(&lag_netlink_suite);

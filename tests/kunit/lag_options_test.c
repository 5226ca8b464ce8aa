// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the option tables of lag_options.c, the words of lag_opts.h, and
 * the one check and parse that netlink and sysfs share.
 */

#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/string.h>

#include "lag.h"
#include "lag_netlink.h"
#include "lag_options.h"

static const struct lag_opt *opt_find(struct kunit *test,
				      const struct lag_opt_table *t,
				      const char *name)
{
	unsigned int i;

	for (i = 0; i < t->n; i++)
		if (!strcmp(t->opts[i].name, name))
			return &t->opts[i];
	KUNIT_FAIL(test, "no option %s", name);
	return NULL;
}

/* Each table: names and attributes unique, the rules of each row kept. */
static void lag_opt_tables_test(struct kunit *test)
{
	const struct lag_opt_table *tables[] = { &lag_lag_opts, &lag_port_opts };
	unsigned int t, i, j;

	for (t = 0; t < ARRAY_SIZE(tables); t++) {
		const struct lag_opt_table *tb = tables[t];

		KUNIT_EXPECT_GT(test, tb->n, 0U);
		KUNIT_EXPECT_LE(test, tb->n, LAG_OPT_ROWS_MAX);
		for (i = 0; i < tb->n; i++) {
			const struct lag_opt *o = &tb->opts[i];

			KUNIT_EXPECT_GT(test, o->attr, 0);
			KUNIT_EXPECT_LE(test, o->attr, tb->maxattr);
			KUNIT_EXPECT_NE(test, o->attr, tb->pad);
			/* The refusal names the option. */
			if (o->rw)
				KUNIT_EXPECT_TRUE_MSG(test, strstr(o->err, o->name) == o->err,
						      "%s: %s", o->name, o->err);
			KUNIT_EXPECT_TRUE(test, strstr(o->ro_msg, "read-only"));
			if (o->type == LAG_OPT_WORD)
				KUNIT_EXPECT_GT_MSG(test, o->words->n, 0U, "%s", o->name);
			for (j = 0; j < i; j++) {
				KUNIT_EXPECT_STRNEQ(test, o->name, tb->opts[j].name);
				KUNIT_EXPECT_NE(test, o->attr, tb->opts[j].attr);
			}
		}
	}
}

/* The words user space sees, once: sysfs, netlink, ip and the trace. */
static void lag_opt_words_test(struct kunit *test)
{
	static const struct {
		const char *opt;
		unsigned int value;
		const char *word;
	} words[] = {
		{ "lacp_rate", 0, "slow" }, { "lacp_rate", 1, "fast" },
		{ "lacp_active", 0, "off" }, { "lacp_active", 1, "on" },
		{ "xmit_hash_policy", LAG_XMIT_POLICY_LAYER2, "layer2" },
		{ "xmit_hash_policy", LAG_XMIT_POLICY_LAYER23, "layer2+3" },
		{ "xmit_hash_policy", LAG_XMIT_POLICY_LAYER34, "layer3+4" },
		{ "xmit_hash_policy", LAG_XMIT_POLICY_ENCAP23, "encap2+3" },
		{ "xmit_hash_policy", LAG_XMIT_POLICY_ENCAP34, "encap3+4" },
	};
	static const struct {
		const char *opt;
		unsigned int value;
		const char *word;
	} port_words[] = {
		{ "mux_state", LAG_MUX_DETACHED, "detached" },
		{ "mux_state", LAG_MUX_DISTRIBUTING, "distributing" },
		{ "state", LAG_MUX_WAITING, "waiting" },
		{ "state", LAG_PORT_STATE_FALLBACK, "fallback" },
		{ "reason", LAG_PORT_REASON_NONE, "none" },
		{ "reason", LAG_PORT_REASON_DEFAULTED, "defaulted" },
		{ "reason", LAG_PORT_REASON_PASSIVE, "passive" },
		{ "reason", LAG_PORT_REASON_INDIVIDUAL, "individual" },
		{ "reason", LAG_PORT_REASON_LAG_DOWN, "lag_down" },
	};
	const struct lag_opt *o;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(words); i++) {
		o = opt_find(test, &lag_lag_opts, words[i].opt);
		KUNIT_ASSERT_NOT_NULL(test, o);
		KUNIT_EXPECT_STREQ(test, lag_word_name(o->words, words[i].value),
				   words[i].word);
	}
	for (i = 0; i < ARRAY_SIZE(port_words); i++) {
		o = opt_find(test, &lag_port_opts, port_words[i].opt);
		KUNIT_ASSERT_NOT_NULL(test, o);
		KUNIT_EXPECT_STREQ(test, lag_word_name(o->words, port_words[i].value),
				   port_words[i].word);
	}
	o = opt_find(test, &lag_port_opts, "reason");
	KUNIT_ASSERT_NOT_NULL(test, o);
	KUNIT_EXPECT_NULL(test, lag_word_name(o->words, 99));
}

/* Text written to sysfs: every word, with and without its newline. */
static void lag_opt_parse_words_test(struct kunit *test)
{
	static const char * const bad[] = {
		"", "layer4", "layer2+4", "LAYER2", " layer2", "layer2 ",
		"layer2\n\n", "layer2+3x", "encap", "0", "\n",
	};
	const struct lag_opt *o = opt_find(test, &lag_lag_opts, "xmit_hash_policy");
	union lag_opt_val v;
	char buf[32];
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, o);
	for (i = 0; i < o->words->n; i++) {
		const char *w = o->words->w[i].name;

		KUNIT_EXPECT_EQ(test, lag_opt_parse(o, w, &v), 0);
		KUNIT_EXPECT_EQ(test, v.num, (u64)o->words->w[i].value);
		snprintf(buf, sizeof(buf), "%s\n", w);
		KUNIT_EXPECT_EQ(test, lag_opt_parse(o, buf, &v), 0);
		KUNIT_EXPECT_EQ(test, v.num, (u64)o->words->w[i].value);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test, lag_opt_parse(o, bad[i], &v), -EINVAL,
				    "\"%s\"", bad[i]);
	/* A word's value out of its list, as netlink could send it. */
	v.num = __LAG_XMIT_POLICY_MAX;
	KUNIT_EXPECT_EQ(test, lag_opt_check(o, &v), -ERANGE);
}

/* Numbers and addresses: the same range for sysfs as for netlink. */
static void lag_opt_parse_numbers_test(struct kunit *test)
{
	const struct lag_opt *ml = opt_find(test, &lag_lag_opts, "min_links");
	const struct lag_opt *prio = opt_find(test, &lag_lag_opts, "actor_sys_prio");
	const struct lag_opt *key = opt_find(test, &lag_lag_opts, "user_port_key");
	const struct lag_opt *sys = opt_find(test, &lag_lag_opts, "actor_system");
	const struct lag_opt *pp = opt_find(test, &lag_port_opts, "port_prio");
	union lag_opt_val v;

	KUNIT_ASSERT_NOT_NULL(test, ml);
	KUNIT_ASSERT_NOT_NULL(test, prio);
	KUNIT_ASSERT_NOT_NULL(test, key);
	KUNIT_ASSERT_NOT_NULL(test, sys);
	KUNIT_ASSERT_NOT_NULL(test, pp);

	KUNIT_EXPECT_EQ(test, lag_opt_parse(ml, "0\n", &v), 0);
	KUNIT_EXPECT_EQ(test, lag_opt_parse(ml, "4", &v), 0);
	KUNIT_EXPECT_EQ(test, v.num, 4ULL);
	KUNIT_EXPECT_EQ(test, lag_opt_parse(ml, "5", &v), -ERANGE);
	KUNIT_EXPECT_EQ(test, lag_opt_parse(ml, "-1", &v), -EINVAL);
	KUNIT_EXPECT_EQ(test, lag_opt_parse(ml, "two", &v), -EINVAL);
	KUNIT_EXPECT_STREQ(test, ml->err, "min_links must be 0..4");

	KUNIT_EXPECT_EQ(test, lag_opt_parse(prio, "0", &v), -ERANGE);
	KUNIT_EXPECT_EQ(test, lag_opt_parse(prio, "65535", &v), 0);
	KUNIT_EXPECT_EQ(test, lag_opt_parse(prio, "65536", &v), -ERANGE);
	KUNIT_EXPECT_EQ(test, lag_opt_parse(key, "1023", &v), 0);
	KUNIT_EXPECT_EQ(test, lag_opt_parse(key, "1024", &v), -ERANGE);
	KUNIT_EXPECT_EQ(test, lag_opt_parse(pp, "0", &v), 0);
	KUNIT_EXPECT_EQ(test, lag_opt_parse(pp, "65536", &v), -ERANGE);

	KUNIT_EXPECT_EQ(test, lag_opt_parse(sys, "02:00:00:00:00:01\n", &v), 0);
	KUNIT_EXPECT_EQ(test, v.mac[0], 2);
	KUNIT_EXPECT_EQ(test, v.mac[5], 1);
	KUNIT_EXPECT_EQ(test, lag_opt_parse(sys, "00:00:00:00:00:00", &v), 0);
	KUNIT_EXPECT_EQ(test, lag_opt_parse(sys, "01:80:c2:00:00:02", &v), -EINVAL);
	KUNIT_EXPECT_EQ(test, lag_opt_parse(sys, "02:00:00:00:00", &v), -EINVAL);
}

/* Read-only rows are refused by the netlink policy with their own words. */
static void lag_opt_policy_test(struct kunit *test)
{
	const struct lag_opt_table *tables[] = { &lag_lag_opts, &lag_port_opts };
	const struct nla_policy *pols[] = { lag_nl_policy, lag_port_nl_policy };
	unsigned int t, i;

	for (t = 0; t < ARRAY_SIZE(tables); t++) {
		for (i = 0; i < tables[t]->n; i++) {
			const struct lag_opt *o = &tables[t]->opts[i];
			const struct nla_policy *p = &pols[t][o->attr];

			if (o->rw) {
				KUNIT_EXPECT_NE_MSG(test, p->type, NLA_REJECT, "%s", o->name);
			} else {
				KUNIT_EXPECT_EQ_MSG(test, p->type, NLA_REJECT, "%s", o->name);
				KUNIT_EXPECT_PTR_EQ(test, p->reject_message,
						    (const char *)o->ro_msg);
			}
		}
	}
}

static struct kunit_case lag_options_cases[] = {
	KUNIT_CASE(lag_opt_tables_test),
	KUNIT_CASE(lag_opt_words_test),
	KUNIT_CASE(lag_opt_parse_words_test),
	KUNIT_CASE(lag_opt_parse_numbers_test),
	KUNIT_CASE(lag_opt_policy_test),
	{}
};

static struct kunit_suite lag_options_suite = {
	.name = "lag_options",
	.test_cases = lag_options_cases,
};

kunit_test_suites(&lag_options_suite);

// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the LACP core (lacp_sm.c): the PDU codec (suite
 * lacp_pdu) and the machines (suite lacp_sm), run on virtual time: the
 * test advances `now` by LACP_TICK_MS and calls lacp_tick(), and a fake
 * lacp_ops whose tx() captures PDUs carries them between simulated ends.
 */

#include <kunit/test.h>
#include <linux/etherdevice.h>
#include <linux/string.h>

#include "lacp.h"

/* ---- simulation of up to three systems of up to four ports ---- */

#define SIM_QUEUE	16
#define SIM_LOG		256
#define SIM_SYS		3

struct sim;
struct sim_sys;

struct sim_port {
	struct lacp_port lp;
	struct sim_sys *sys;
	struct sim_port *peer;		/* where our PDUs go; NULL: no cable */
	bool rx_block;			/* drop PDUs arriving here */
	u8 q[SIM_QUEUE][LACP_PDU_LEN];	/* PDUs sent, not yet delivered */
	int nq;
	u64 log[SIM_LOG];		/* times of the LACPDUs sent */
	int nlog;			/* LACPDUs sent */
	u8 last[LACP_PDU_LEN];		/* last PDU sent */
	int nsent;			/* PDUs of any kind sent */
	int changed;			/* ops->changed calls */
	u64 last_rx;			/* time a PDU was last delivered here */
	int fail_tx;			/* refuse this many tx() calls */
};

struct sim_sys {
	struct lacp_group g;
	struct sim *sim;
	struct sim_port p[LAG_MAX_PORTS];
	int nports;
};

struct sim {
	struct kunit *test;
	u64 now;
	int nsys;
	struct sim_sys sys[SIM_SYS];
	u8 buf[LACP_PDU_LEN];
};

static int sim_tx(struct lacp_port *lp, const u8 *pdu, size_t len)
{
	struct sim_port *sp = container_of(lp, struct sim_port, lp);
	struct sim *s = sp->sys->sim;

	KUNIT_EXPECT_EQ(s->test, len, (size_t)LACP_PDU_LEN);
	if (sp->fail_tx) {
		sp->fail_tx--;
		return -ENOBUFS;
	}
	memcpy(sp->last, pdu, LACP_PDU_LEN);
	sp->nsent++;
	if (pdu[0] == LACP_SUBTYPE_LACP) {
		if (sp->nlog < SIM_LOG)
			sp->log[sp->nlog] = s->now;
		sp->nlog++;
	}
	KUNIT_EXPECT_LT(s->test, sp->nq, SIM_QUEUE);
	if (sp->nq < SIM_QUEUE)
		memcpy(sp->q[sp->nq++], pdu, LACP_PDU_LEN);
	return 0;
}

static void sim_changed(struct lacp_port *lp)
{
	struct sim_port *sp = container_of(lp, struct sim_port, lp);

	sp->changed++;
}

static const struct lacp_ops sim_ops = {
	.tx = sim_tx,
	.changed = sim_changed,
};

/* Deliver every queued PDU to its peer, until no more are sent. */
static void sim_deliver(struct sim *s)
{
	int budget = 2000, i, j;
	bool more = true;

	while (more && budget > 0) {
		more = false;
		for (i = 0; i < s->nsys; i++) {
			for (j = 0; j < s->sys[i].nports; j++) {
				struct sim_port *sp = &s->sys[i].p[j];

				while (sp->nq && budget-- > 0) {
					memcpy(s->buf, sp->q[0], LACP_PDU_LEN);
					sp->nq--;
					memmove(sp->q[0], sp->q[1],
						sp->nq * LACP_PDU_LEN);
					more = true;
					if (!sp->peer || sp->peer->rx_block)
						continue;
					sp->peer->last_rx = s->now;
					lacp_rx(&sp->peer->lp, s->buf,
						LACP_PDU_LEN, s->now);
				}
			}
		}
	}
	KUNIT_EXPECT_GT(s->test, budget, 0);
}

static void sim_step(struct sim *s)
{
	int i;

	s->now += LACP_TICK_MS;
	for (i = 0; i < s->nsys; i++)
		lacp_tick(&s->sys[i].g, s->now);
	sim_deliver(s);
}

static void sim_run(struct sim *s, u64 ms)
{
	u64 end = s->now + ms;

	while (s->now < end)
		sim_step(s);
}

/* Step until @pred holds; return the time it took, or -1 after @max ms. */
static s64 sim_run_until(struct sim *s, bool (*pred)(struct sim *, void *),
			 void *arg, u64 max)
{
	u64 start = s->now;

	while (!pred(s, arg)) {
		if (s->now - start >= max)
			return -1;
		sim_step(s);
	}
	return s->now - start;
}

static struct sim *sim_new(struct kunit *test, int nsys, const int *nports)
{
	struct sim *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	int i, j;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s);
	s->test = test;
	s->nsys = nsys;
	for (i = 0; i < nsys; i++) {
		struct sim_sys *ss = &s->sys[i];
		u8 mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0x10 + i };

		ss->sim = s;
		ss->nports = nports[i];
		lacp_group_init(&ss->g, &sim_ops, ss);
		KUNIT_EXPECT_PTR_EQ(test, ss->g.priv, (void *)ss);
		lacp_group_set_system(&ss->g, mac, s->now);
		for (j = 0; j < ss->nports; j++) {
			ss->p[j].sys = ss;
			KUNIT_ASSERT_EQ(test, lacp_port_add(&ss->g,
							    &ss->p[j].lp,
							    j + 1, s->now), 0);
		}
	}
	return s;
}

static struct lacp_port *LP(struct sim *s, int sys, int port)
{
	return &s->sys[sys].p[port].lp;
}

static struct sim_port *SP(struct sim *s, int sys, int port)
{
	return &s->sys[sys].p[port];
}

static void sim_wire(struct sim *s, int sa, int pa, int sb, int pb)
{
	SP(s, sa, pa)->peer = SP(s, sb, pb);
	SP(s, sb, pb)->peer = SP(s, sa, pa);
}

static void sim_link(struct sim *s, int sys, int port, bool up)
{
	lacp_port_set_link(LP(s, sys, port), up, up ? 10000 : 0, true, s->now);
	sim_deliver(s);
}

static void sim_up_all(struct sim *s)
{
	int i, j;

	for (i = 0; i < s->nsys; i++)
		for (j = 0; j < s->sys[i].nports; j++)
			lacp_port_set_link(LP(s, i, j), true, 10000, true,
					   s->now);
	sim_deliver(s);
}

static bool sys_all_dist(struct sim *s, int sys)
{
	int j;

	for (j = 0; j < s->sys[sys].nports; j++)
		if (!LP(s, sys, j)->distributing)
			return false;
	return true;
}

static bool pred_all_dist(struct sim *s, void *arg)
{
	int i;

	for (i = 0; i < s->nsys; i++)
		if (!sys_all_dist(s, i))
			return false;
	return true;
}

/* no more than 3 LACPDUs in any 1 s, for every port */
static void sim_check_rate(struct sim *s)
{
	int i, j, k;

	for (i = 0; i < s->nsys; i++) {
		for (j = 0; j < s->sys[i].nports; j++) {
			struct sim_port *sp = SP(s, i, j);
			int n = min(sp->nlog, SIM_LOG);

			for (k = 0; k + LACP_TX_MAX_PER_FAST < n; k++)
				KUNIT_EXPECT_GE(s->test,
						sp->log[k + LACP_TX_MAX_PER_FAST] -
						sp->log[k],
						(u64)LACP_FAST_PERIODIC_MS);
		}
	}
}

static void sim_clear_log(struct sim *s)
{
	int i, j;

	for (i = 0; i < s->nsys; i++)
		for (j = 0; j < s->sys[i].nports; j++)
			SP(s, i, j)->nlog = 0;
}

/* a scripted partner: system 02:00:00:00:00:99, key 77, port 100 + ours */
static const u8 fake_system[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0x99 };

static void fake_rx_key(struct sim *s, struct lacp_port *p, u8 state,
			u16 key)
{
	struct lacp_info actor = {
		.sys_prio = 100, .key = key, .port_prio = 1,
		.port = 100 + p->port_number, .state = state,
	};

	ether_addr_copy(actor.system, fake_system);
	lacp_pdu_build_lacpdu(s->buf, &actor, &p->actor, 0);
	lacp_rx(p, s->buf, LACP_PDU_LEN, s->now);
	sim_deliver(s);
}

/* as above, with the partner's view of us given */
static void fake_rx_view(struct sim *s, struct lacp_port *p, u8 state,
			 const struct lacp_info *view)
{
	struct lacp_info actor = {
		.sys_prio = 100, .key = 77, .port_prio = 1,
		.port = 100 + p->port_number, .state = state,
	};

	ether_addr_copy(actor.system, fake_system);
	lacp_pdu_build_lacpdu(s->buf, &actor, view, 0);
	lacp_rx(p, s->buf, LACP_PDU_LEN, s->now);
	sim_deliver(s);
}

static void fake_rx(struct sim *s, struct lacp_port *p, u8 state)
{
	fake_rx_key(s, p, state, 77);
}

#define ST_ACT		LACP_STATE_ACTIVITY
#define ST_SHORT	LACP_STATE_TIMEOUT
#define ST_AGG		LACP_STATE_AGGREGATION
#define ST_SYNC		LACP_STATE_SYNC
#define ST_COLL		LACP_STATE_COLLECTING
#define ST_DIST		LACP_STATE_DISTRIBUTING
#define ST_UP		(ST_ACT | ST_AGG | ST_SYNC | ST_COLL | ST_DIST)

static const int one[] = { 1 };
static const int four[] = { 4 };
static const int one_one[] = { 1, 1 };
static const int two_two[] = { 2, 2 };
static const int four_four[] = { 4, 4 };

/* ---- lacp_pdu: the codec ---- */

static void fill_info(struct lacp_info *i, u8 base)
{
	int k;

	i->sys_prio = 0x0102 + base;
	for (k = 0; k < ETH_ALEN; k++)
		i->system[k] = 0x10 + base + k;
	i->key = 0x0304 + base;
	i->port_prio = 0x0506 + base;
	i->port = 0x0708 + base;
	i->state = 0xa5 ^ base;
}

static void check_info_bytes(struct kunit *test, const u8 *t, u8 type,
			     const struct lacp_info *i)
{
	int k;

	KUNIT_EXPECT_EQ(test, t[0], type);
	KUNIT_EXPECT_EQ(test, t[1], 20);
	KUNIT_EXPECT_EQ(test, t[2], i->sys_prio >> 8);
	KUNIT_EXPECT_EQ(test, t[3], i->sys_prio & 0xff);
	KUNIT_EXPECT_EQ(test, memcmp(t + 4, i->system, ETH_ALEN), 0);
	KUNIT_EXPECT_EQ(test, t[10], i->key >> 8);
	KUNIT_EXPECT_EQ(test, t[11], i->key & 0xff);
	KUNIT_EXPECT_EQ(test, t[12], i->port_prio >> 8);
	KUNIT_EXPECT_EQ(test, t[13], i->port_prio & 0xff);
	KUNIT_EXPECT_EQ(test, t[14], i->port >> 8);
	KUNIT_EXPECT_EQ(test, t[15], i->port & 0xff);
	KUNIT_EXPECT_EQ(test, t[16], i->state);
	for (k = 17; k < 20; k++)
		KUNIT_EXPECT_EQ(test, t[k], 0);
}

static void expect_info_eq(struct kunit *test, const struct lacp_info *a,
			   const struct lacp_info *b)
{
	KUNIT_EXPECT_EQ(test, a->sys_prio, b->sys_prio);
	KUNIT_EXPECT_EQ(test, memcmp(a->system, b->system, ETH_ALEN), 0);
	KUNIT_EXPECT_EQ(test, a->key, b->key);
	KUNIT_EXPECT_EQ(test, a->port_prio, b->port_prio);
	KUNIT_EXPECT_EQ(test, a->port, b->port);
	KUNIT_EXPECT_EQ(test, a->state, b->state);
}

static u8 *pdu_buf(struct kunit *test, size_t len)
{
	u8 *b = kunit_kzalloc(test, len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, b);
	return b;
}

static void build_valid_lacpdu(u8 *buf)
{
	struct lacp_info a, p;

	fill_info(&a, 1);
	fill_info(&p, 2);
	lacp_pdu_build_lacpdu(buf, &a, &p, 0x1234);
}

static void test_pdu_lacpdu_layout(struct kunit *test)
{
	u8 *buf = pdu_buf(test, LACP_PDU_LEN);
	struct lacp_info a, p;
	struct lacp_pdu out;
	int k;

	fill_info(&a, 1);
	fill_info(&p, 2);
	memset(buf, 0xee, LACP_PDU_LEN);
	lacp_pdu_build_lacpdu(buf, &a, &p, 0x1234);

	KUNIT_EXPECT_EQ(test, buf[0], LACP_SUBTYPE_LACP);
	KUNIT_EXPECT_EQ(test, buf[1], 1);
	check_info_bytes(test, buf + 2, 1, &a);
	check_info_bytes(test, buf + 22, 2, &p);
	KUNIT_EXPECT_EQ(test, buf[42], 3);
	KUNIT_EXPECT_EQ(test, buf[43], 16);
	KUNIT_EXPECT_EQ(test, buf[44], 0x12);
	KUNIT_EXPECT_EQ(test, buf[45], 0x34);
	for (k = 46; k < LACP_PDU_LEN; k++)	/* reserved, terminator */
		KUNIT_EXPECT_EQ(test, buf[k], 0);

	KUNIT_ASSERT_EQ(test, lacp_pdu_parse(buf, LACP_PDU_LEN, &out), 0);
	KUNIT_EXPECT_EQ(test, out.subtype, LACP_SUBTYPE_LACP);
	KUNIT_EXPECT_EQ(test, out.version, 1);
	expect_info_eq(test, &out.actor, &a);
	expect_info_eq(test, &out.partner, &p);
	KUNIT_EXPECT_EQ(test, out.collector_max_delay, 0x1234);

	/* padding after the PDU (short frames) and reserved bytes ignored */
	buf = pdu_buf(test, 200);
	lacp_pdu_build_lacpdu(buf, &a, &p, 0);
	memset(buf + 60, 0x5a, 140);
	buf[19] = 0xff;
	buf[50] = 0xff;
	KUNIT_EXPECT_EQ(test, lacp_pdu_parse(buf, 200, &out), 0);
	expect_info_eq(test, &out.actor, &a);
}

static void test_pdu_truncated(struct kunit *test)
{
	u8 *buf = pdu_buf(test, LACP_PDU_LEN);
	struct lacp_pdu out;
	size_t len;
	u8 sys[ETH_ALEN] = { 1, 2, 3, 4, 5, 6 };

	build_valid_lacpdu(buf);
	for (len = 0; len < LACP_PDU_LEN; len++)
		KUNIT_EXPECT_EQ_MSG(test, lacp_pdu_parse(buf, len, &out),
				    -EINVAL, "lacpdu len %zu", len);
	KUNIT_EXPECT_EQ(test, lacp_pdu_parse(buf, LACP_PDU_LEN, &out), 0);
	KUNIT_EXPECT_EQ(test, lacp_pdu_parse(NULL, LACP_PDU_LEN, &out),
			-EINVAL);

	lacp_pdu_build_marker(buf, false, 7, sys, 9);
	for (len = 0; len < LACP_PDU_LEN; len++)
		KUNIT_EXPECT_EQ_MSG(test, lacp_pdu_parse(buf, len, &out),
				    -EINVAL, "marker len %zu", len);
	KUNIT_EXPECT_EQ(test, lacp_pdu_parse(buf, LACP_PDU_LEN, &out), 0);
}

static void test_pdu_bad_tlv(struct kunit *test)
{
	static const u8 off[] = { 2, 3, 22, 23, 42, 43, 58, 59 };
	static const u8 moff[] = { 2, 3, 18, 19 };
	static const u8 bad[] = { 1, 0xff };
	u8 *buf = pdu_buf(test, LACP_PDU_LEN);
	u8 sys[ETH_ALEN] = { 1, 2, 3, 4, 5, 6 };
	struct lacp_pdu out;
	int i, j;

	for (i = 0; i < ARRAY_SIZE(off); i++) {
		for (j = 0; j < ARRAY_SIZE(bad); j++) {
			build_valid_lacpdu(buf);
			buf[off[i]] ^= bad[j];
			KUNIT_EXPECT_EQ_MSG(test,
					    lacp_pdu_parse(buf, LACP_PDU_LEN,
							   &out),
					    -EINVAL, "offset %u", off[i]);
		}
	}
	/* the TLVs swapped */
	build_valid_lacpdu(buf);
	buf[2] = 2;
	buf[22] = 1;
	KUNIT_EXPECT_EQ(test, lacp_pdu_parse(buf, LACP_PDU_LEN, &out),
			-EINVAL);

	for (i = 0; i < ARRAY_SIZE(moff); i++) {
		for (j = 0; j < ARRAY_SIZE(bad); j++) {
			lacp_pdu_build_marker(buf, j, 1, sys, 2);
			buf[moff[i]] ^= bad[j] == 1 ? 4 : bad[j];
			KUNIT_EXPECT_EQ_MSG(test,
					    lacp_pdu_parse(buf, LACP_PDU_LEN,
							   &out),
					    -EINVAL, "marker offset %u",
					    moff[i]);
		}
	}
	lacp_pdu_build_marker(buf, false, 1, sys, 2);
	buf[2] = 3;			/* neither information nor response */
	KUNIT_EXPECT_EQ(test, lacp_pdu_parse(buf, LACP_PDU_LEN, &out),
			-EINVAL);
}

static void test_pdu_version(struct kunit *test)
{
	u8 *buf = pdu_buf(test, 160);
	struct lacp_info a;
	struct lacp_pdu out;

	/* version 0 is invalid, for both PDUs */
	build_valid_lacpdu(buf);
	buf[1] = 0;
	KUNIT_EXPECT_EQ(test, lacp_pdu_parse(buf, LACP_PDU_LEN, &out),
			-EINVAL);
	lacp_pdu_build_marker(buf, false, 1, buf + 100, 2);
	buf[1] = 0;
	KUNIT_EXPECT_EQ(test, lacp_pdu_parse(buf, LACP_PDU_LEN, &out),
			-EINVAL);

	/* a higher version with the version-1 layout */
	build_valid_lacpdu(buf);
	buf[1] = 0xff;
	KUNIT_EXPECT_EQ(test, lacp_pdu_parse(buf, LACP_PDU_LEN, &out), 0);
	KUNIT_EXPECT_EQ(test, out.version, 0xff);

	/* version 2 with two extra TLVs after the Collector TLV */
	build_valid_lacpdu(buf);
	buf[1] = 2;
	buf[58] = 4;		/* e.g. Port Algorithm TLV */
	buf[59] = 6;
	buf[64] = 0x7f;		/* unknown type */
	buf[65] = 30;
	buf[94] = 0;		/* terminator */
	buf[95] = 0;
	KUNIT_EXPECT_EQ(test, lacp_pdu_parse(buf, 160, &out), 0);
	KUNIT_EXPECT_EQ(test, out.version, 2);
	fill_info(&a, 1);
	expect_info_eq(test, &out.actor, &a);
	KUNIT_EXPECT_EQ(test, out.collector_max_delay, 0x1234);
	/* ... but not when the frame ends before the terminator */
	KUNIT_EXPECT_EQ(test, lacp_pdu_parse(buf, 95, &out), -EINVAL);
	/* ... nor as version 1 */
	buf[1] = 1;
	KUNIT_EXPECT_EQ(test, lacp_pdu_parse(buf, 160, &out), -EINVAL);
	buf[1] = 2;
	/* an extra TLV reaching past the frame */
	buf[65] = 200;
	KUNIT_EXPECT_EQ(test, lacp_pdu_parse(buf, 160, &out), -EINVAL);
	/* an extra TLV with a length below its header */
	buf[65] = 1;
	KUNIT_EXPECT_EQ(test, lacp_pdu_parse(buf, 160, &out), -EINVAL);
	buf[65] = 0;
	KUNIT_EXPECT_EQ(test, lacp_pdu_parse(buf, 160, &out), -EINVAL);
	buf[65] = 30;
	/* a version-1 TLV type repeated */
	buf[64] = 1;
	KUNIT_EXPECT_EQ(test, lacp_pdu_parse(buf, 160, &out), -EINVAL);
	buf[64] = 0x7f;
	/* a terminator with a length */
	buf[95] = 2;
	KUNIT_EXPECT_EQ(test, lacp_pdu_parse(buf, 160, &out), -EINVAL);
	buf[95] = 0;
	KUNIT_EXPECT_EQ(test, lacp_pdu_parse(buf, 160, &out), 0);
}

static void test_pdu_marker(struct kunit *test)
{
	u8 *buf = pdu_buf(test, LACP_PDU_LEN);
	u8 sys[ETH_ALEN] = { 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };
	struct lacp_pdu out;
	int k;

	memset(buf, 0xee, LACP_PDU_LEN);
	lacp_pdu_build_marker(buf, false, 0x1234, sys, 0xdeadbeef);
	KUNIT_EXPECT_EQ(test, buf[0], LACP_SUBTYPE_MARKER);
	KUNIT_EXPECT_EQ(test, buf[1], 1);
	KUNIT_EXPECT_EQ(test, buf[2], LACP_MARKER_INFO);
	KUNIT_EXPECT_EQ(test, buf[3], 16);
	KUNIT_EXPECT_EQ(test, buf[4], 0x12);
	KUNIT_EXPECT_EQ(test, buf[5], 0x34);
	KUNIT_EXPECT_EQ(test, memcmp(buf + 6, sys, ETH_ALEN), 0);
	KUNIT_EXPECT_EQ(test, buf[12], 0xde);
	KUNIT_EXPECT_EQ(test, buf[13], 0xad);
	KUNIT_EXPECT_EQ(test, buf[14], 0xbe);
	KUNIT_EXPECT_EQ(test, buf[15], 0xef);
	for (k = 16; k < LACP_PDU_LEN; k++)	/* pad, terminator, reserved */
		KUNIT_EXPECT_EQ(test, buf[k], 0);

	KUNIT_ASSERT_EQ(test, lacp_pdu_parse(buf, LACP_PDU_LEN, &out), 0);
	KUNIT_EXPECT_EQ(test, out.subtype, LACP_SUBTYPE_MARKER);
	KUNIT_EXPECT_EQ(test, out.marker_type, LACP_MARKER_INFO);
	KUNIT_EXPECT_EQ(test, out.marker_port, 0x1234);
	KUNIT_EXPECT_EQ(test, memcmp(out.marker_system, sys, ETH_ALEN), 0);
	KUNIT_EXPECT_EQ(test, out.marker_tid, 0xdeadbeefU);

	lacp_pdu_build_marker(buf, true, 1, sys, 2);
	KUNIT_EXPECT_EQ(test, buf[2], LACP_MARKER_RESPONSE);
	KUNIT_ASSERT_EQ(test, lacp_pdu_parse(buf, LACP_PDU_LEN, &out), 0);
	KUNIT_EXPECT_EQ(test, out.marker_type, LACP_MARKER_RESPONSE);
}

static void test_pdu_unknown_subtype(struct kunit *test)
{
	static const u8 subtypes[] = { 0, 3, 10, 0xff };
	u8 *buf = pdu_buf(test, LACP_PDU_LEN);
	struct lacp_pdu out;
	struct sim *s;
	int i;

	s = sim_new(test, 1, one);
	sim_up_all(s);
	for (i = 0; i < ARRAY_SIZE(subtypes); i++) {
		build_valid_lacpdu(buf);
		buf[0] = subtypes[i];
		KUNIT_EXPECT_EQ(test, lacp_pdu_parse(buf, LACP_PDU_LEN, &out),
				-EPROTONOSUPPORT);
		KUNIT_EXPECT_EQ(test, lacp_pdu_parse(buf, 1, &out),
				-EPROTONOSUPPORT);
		lacp_rx(LP(s, 0, 0), buf, LACP_PDU_LEN, s->now);
	}
	KUNIT_EXPECT_EQ(test, LP(s, 0, 0)->stats.unknown_rx,
			(u64)ARRAY_SIZE(subtypes));
	KUNIT_EXPECT_EQ(test, LP(s, 0, 0)->stats.lacpdu_rx_errors, 0ULL);
	KUNIT_EXPECT_EQ(test, LP(s, 0, 0)->stats.lacpdu_rx, 0ULL);
}

static void test_speed_and_key(struct kunit *test)
{
	struct sim *s;

	KUNIT_EXPECT_EQ(test, lacp_speed_code(10), LACP_SPEED_10M);
	KUNIT_EXPECT_EQ(test, lacp_speed_code(2500), LACP_SPEED_2_5G);
	KUNIT_EXPECT_EQ(test, lacp_speed_code(800000), LACP_SPEED_800G);
	KUNIT_EXPECT_EQ(test, lacp_speed_code(0), LACP_SPEED_UNKNOWN);
	KUNIT_EXPECT_EQ(test, lacp_speed_code(U32_MAX), LACP_SPEED_UNKNOWN);
	KUNIT_EXPECT_EQ(test, lacp_speed_code(12345), LACP_SPEED_OTHER);

	/* key: user_key in bits 15..6, speed code in 5..1, full duplex in 0 */
	s = sim_new(test, 1, one);
	sim_up_all(s);
	KUNIT_EXPECT_EQ(test, LP(s, 0, 0)->actor.key,
			LACP_SPEED_10G << 1 | 1);
	KUNIT_EXPECT_EQ(test, lacp_group_set_user_key(&s->sys[0].g, 1023,
						      s->now), 0);
	KUNIT_EXPECT_EQ(test, LP(s, 0, 0)->actor.key, 0xffcd);
	KUNIT_EXPECT_EQ(test, lacp_group_set_user_key(&s->sys[0].g, 1024,
						      s->now), -ERANGE);
	KUNIT_EXPECT_EQ(test, s->sys[0].g.user_key, 1023);
	lacp_port_set_link(LP(s, 0, 0), true, 100, false, s->now);
	KUNIT_EXPECT_EQ(test, LP(s, 0, 0)->actor.key,
			1023 << 6 | LACP_SPEED_100M << 1);
}

/* ---- lacp_sm: the machines ---- */

static void test_sm_add_del(struct kunit *test)
{
	struct sim *s = sim_new(test, 2, two_two);
	struct lacp_port *extra = kunit_kzalloc(test, 3 * sizeof(*extra),
						GFP_KERNEL);
	struct lacp_group *a = &s->sys[0].g;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, extra);
	KUNIT_EXPECT_EQ(test, lacp_port_add(a, &extra[0], 0, s->now), -EINVAL);
	KUNIT_EXPECT_EQ(test, lacp_port_add(a, &extra[0], 2, s->now), -EEXIST);
	KUNIT_EXPECT_EQ(test, lacp_port_add(a, LP(s, 0, 0), 9, s->now),
			-EBUSY);
	KUNIT_EXPECT_EQ(test, lacp_port_add(a, &extra[0], 3, s->now), 0);
	KUNIT_EXPECT_EQ(test, lacp_port_add(a, &extra[1], 4, s->now), 0);
	KUNIT_EXPECT_EQ(test, lacp_port_add(a, &extra[1], 5, s->now), -EBUSY);
	KUNIT_EXPECT_EQ(test, lacp_port_add(&s->sys[1].g, &extra[0], 5,
					    s->now), -EBUSY);
	KUNIT_EXPECT_EQ(test, lacp_port_add(a, &extra[0], 5, s->now), -EBUSY);
	KUNIT_EXPECT_EQ(test, lacp_port_add(a, &extra[2], 5, s->now),
			-ENOSPC);
	lacp_port_del(&extra[0], s->now);
	lacp_port_del(&extra[1], s->now);
	KUNIT_EXPECT_NULL(test, extra[1].group);
	lacp_port_del(&extra[1], s->now);		/* no-op */

	/* a new port starts disabled, priority 255 */
	KUNIT_EXPECT_FALSE(test, LP(s, 0, 0)->port_enabled);
	KUNIT_EXPECT_EQ(test, LP(s, 0, 0)->port_prio, 255);
	KUNIT_EXPECT_EQ(test, LP(s, 0, 0)->reason, LAG_PORT_REASON_DOWN);
	KUNIT_EXPECT_EQ(test, LP(s, 0, 0)->rx_state, LACP_RX_PORT_DISABLED);
	KUNIT_EXPECT_EQ(test, a->sys_prio, 65535);

	sim_wire(s, 0, 0, 1, 0);
	sim_wire(s, 0, 1, 1, 1);
	sim_up_all(s);
	KUNIT_ASSERT_GE(test, sim_run_until(s, pred_all_dist, NULL, 5000), 0);
	KUNIT_EXPECT_EQ(test, a->active_agg, 1);

	/* deleting the port whose number is the aggregator ID keeps it */
	lacp_port_del(LP(s, 0, 0), s->now);
	KUNIT_EXPECT_FALSE(test, LP(s, 0, 0)->distributing);
	KUNIT_EXPECT_EQ(test, SP(s, 0, 0)->changed, 2);	/* not on delete */
	KUNIT_EXPECT_TRUE(test, LP(s, 0, 1)->distributing);
	KUNIT_EXPECT_EQ(test, a->active_agg, 1);
	sim_run(s, 5000);
	KUNIT_EXPECT_TRUE(test, LP(s, 0, 1)->distributing);

	/* the port comes back and joins the same aggregator */
	KUNIT_EXPECT_EQ(test, lacp_port_add(a, LP(s, 0, 0), 1, s->now), 0);
	sim_link(s, 0, 0, true);
	KUNIT_ASSERT_GE(test, sim_run_until(s, pred_all_dist, NULL, 5000), 0);
	KUNIT_EXPECT_EQ(test, LP(s, 0, 0)->agg_id, 1);
	KUNIT_EXPECT_EQ(test, LP(s, 0, 1)->agg_id, 1);

	/* back again, cabled elsewhere: ID 1 is taken, the next free one */
	lacp_port_del(LP(s, 0, 0), s->now);
	/*
	 * Its leaving LACPDU went whatever the window said (lacp_tx_leaving());
	 * the rate of the others is checked from here.
	 */
	sim_clear_log(s);
	SP(s, 0, 0)->peer = NULL;
	KUNIT_EXPECT_EQ(test, lacp_port_add(a, LP(s, 0, 0), 1, s->now), 0);
	sim_link(s, 0, 0, true);
	fake_rx(s, LP(s, 0, 0), ST_UP);
	KUNIT_EXPECT_EQ(test, LP(s, 0, 0)->agg_id, 2);
	KUNIT_EXPECT_EQ(test, LP(s, 0, 0)->selected, LACP_STANDBY);
	KUNIT_EXPECT_EQ(test, LP(s, 0, 0)->reason, LAG_PORT_REASON_PARTNER);
	KUNIT_EXPECT_EQ(test, a->active_agg, 1);
	KUNIT_EXPECT_TRUE(test, LP(s, 0, 1)->distributing);
	sim_check_rate(s);
}

static void test_sm_two_ends(struct kunit *test)
{
	struct sim *s = sim_new(test, 2, four_four);
	s64 t;
	int i, j;

	for (j = 0; j < 4; j++)
		sim_wire(s, 0, j, 1, j);
	sim_up_all(s);
	t = sim_run_until(s, pred_all_dist, NULL, 30000);
	kunit_info(test, "4+4 ports all distributing after %lld ms\n", t);
	/* wait_while (2 s) is the floor; one exchange more is allowed */
	KUNIT_EXPECT_GE(test, t, (s64)LACP_AGG_WAIT_MS);
	KUNIT_EXPECT_LE(test, t, (s64)LACP_AGG_WAIT_MS + 1000);

	for (i = 0; i < 2; i++) {
		KUNIT_EXPECT_EQ(test, s->sys[i].g.active_agg, 1);
		KUNIT_EXPECT_TRUE(test, lacp_group_has_partner(&s->sys[i].g));
		for (j = 0; j < 4; j++) {
			struct lacp_port *p = LP(s, i, j);

			KUNIT_EXPECT_EQ(test, p->agg_id, 1);
			KUNIT_EXPECT_EQ(test, p->selected, LACP_SELECTED);
			KUNIT_EXPECT_EQ(test, p->rx_state, LACP_RX_CURRENT);
			KUNIT_EXPECT_EQ(test, p->mux_state,
					LAG_MUX_DISTRIBUTING);
			KUNIT_EXPECT_EQ(test, p->reason, LAG_PORT_REASON_NONE);
			KUNIT_EXPECT_TRUE(test, p->collecting);
			KUNIT_EXPECT_EQ(test, SP(s, i, j)->changed, 2);
			KUNIT_EXPECT_EQ(test, memcmp(p->partner.system,
						     s->sys[!i].g.system,
						     ETH_ALEN), 0);
			KUNIT_EXPECT_EQ(test, p->partner.port, j + 1);
			KUNIT_EXPECT_EQ(test, p->partner.state & ST_UP,
					ST_UP);
			KUNIT_EXPECT_EQ(test, p->actor.state &
					(ST_UP | LACP_STATE_DEFAULTED |
					 LACP_STATE_EXPIRED), ST_UP);
		}
	}

	/* stable: nothing moves for 10 minutes, slow periodic only */
	sim_clear_log(s);
	sim_run(s, 600000);
	for (i = 0; i < 2; i++) {
		for (j = 0; j < 4; j++) {
			KUNIT_EXPECT_TRUE(test, LP(s, i, j)->distributing);
			KUNIT_EXPECT_EQ(test, SP(s, i, j)->changed, 2);
			KUNIT_EXPECT_EQ(test, SP(s, i, j)->nlog, 20);
			KUNIT_EXPECT_EQ(test, LP(s, i, j)->stats.lacpdu_rx_errors,
					0ULL);
		}
	}
	sim_check_rate(s);
}

static void test_sm_mux_transitions(struct kunit *test)
{
	struct sim *s = sim_new(test, 1, one);
	struct lacp_port *p = LP(s, 0, 0);
	u64 t0;

	KUNIT_EXPECT_EQ(test, p->mux_state, LAG_MUX_DETACHED);
	sim_up_all(s);
	KUNIT_EXPECT_EQ(test, p->rx_state, LACP_RX_EXPIRED);
	KUNIT_EXPECT_EQ(test, p->mux_state, LAG_MUX_DETACHED);
	KUNIT_EXPECT_EQ(test, p->selected, LACP_UNSELECTED);
	KUNIT_EXPECT_EQ(test, p->reason, LAG_PORT_REASON_DEFAULTED);

	/* DETACHED -> WAITING: selected */
	sim_run(s, 500);
	t0 = s->now;
	fake_rx(s, p, ST_ACT | ST_AGG);
	KUNIT_EXPECT_EQ(test, p->rx_state, LACP_RX_CURRENT);
	KUNIT_EXPECT_EQ(test, p->selected, LACP_SELECTED);
	KUNIT_EXPECT_EQ(test, p->mux_state, LAG_MUX_WAITING);
	KUNIT_EXPECT_EQ(test, p->reason, LAG_PORT_REASON_SYNC);

	/* WAITING -> ATTACHED: after wait_while, not before */
	sim_run(s, LACP_AGG_WAIT_MS - LACP_TICK_MS);
	KUNIT_EXPECT_EQ(test, p->mux_state, LAG_MUX_WAITING);
	KUNIT_EXPECT_FALSE(test, p->actor.state & ST_SYNC);
	sim_step(s);
	KUNIT_EXPECT_EQ(test, s->now - t0, (u64)LACP_AGG_WAIT_MS);
	KUNIT_EXPECT_EQ(test, p->mux_state, LAG_MUX_ATTACHED);
	KUNIT_EXPECT_TRUE(test, p->actor.state & ST_SYNC);
	KUNIT_EXPECT_TRUE(test, SP(s, 0, 0)->last[18] & ST_SYNC);
	KUNIT_EXPECT_FALSE(test, p->collecting);

	/* ATTACHED -> COLLECTING: partner in sync */
	fake_rx(s, p, ST_ACT | ST_AGG | ST_SYNC);
	KUNIT_EXPECT_EQ(test, p->mux_state, LAG_MUX_COLLECTING);
	KUNIT_EXPECT_TRUE(test, p->collecting);
	KUNIT_EXPECT_FALSE(test, p->distributing);
	KUNIT_EXPECT_EQ(test, SP(s, 0, 0)->changed, 1);
	KUNIT_EXPECT_TRUE(test, SP(s, 0, 0)->last[18] & ST_COLL);

	/* COLLECTING -> DISTRIBUTING: partner collecting */
	fake_rx(s, p, ST_ACT | ST_AGG | ST_SYNC | ST_COLL);
	KUNIT_EXPECT_EQ(test, p->mux_state, LAG_MUX_DISTRIBUTING);
	KUNIT_EXPECT_TRUE(test, p->distributing);
	KUNIT_EXPECT_EQ(test, p->reason, LAG_PORT_REASON_NONE);
	KUNIT_EXPECT_EQ(test, SP(s, 0, 0)->changed, 2);

	/* DISTRIBUTING -> COLLECTING: partner stops collecting */
	fake_rx(s, p, ST_ACT | ST_AGG | ST_SYNC);
	KUNIT_EXPECT_EQ(test, p->mux_state, LAG_MUX_COLLECTING);
	KUNIT_EXPECT_FALSE(test, p->distributing);
	KUNIT_EXPECT_TRUE(test, p->collecting);
	KUNIT_EXPECT_EQ(test, p->reason, LAG_PORT_REASON_SYNC);

	/* COLLECTING -> ATTACHED: partner out of sync */
	fake_rx(s, p, ST_ACT | ST_AGG);
	KUNIT_EXPECT_EQ(test, p->mux_state, LAG_MUX_ATTACHED);
	KUNIT_EXPECT_FALSE(test, p->collecting);

	/* DISTRIBUTING -> COLLECTING -> ATTACHED at once: partner lost sync */
	fake_rx(s, p, ST_UP);
	KUNIT_EXPECT_EQ(test, p->mux_state, LAG_MUX_DISTRIBUTING);
	fake_rx(s, p, ST_ACT | ST_AGG | ST_COLL);
	KUNIT_EXPECT_EQ(test, p->mux_state, LAG_MUX_ATTACHED);
	KUNIT_EXPECT_FALSE(test, p->collecting);

	/* ATTACHED -> DETACHED: unselected (carrier lost) */
	sim_link(s, 0, 0, false);
	KUNIT_EXPECT_EQ(test, p->mux_state, LAG_MUX_DETACHED);
	KUNIT_EXPECT_EQ(test, p->selected, LACP_UNSELECTED);
	KUNIT_EXPECT_EQ(test, p->rx_state, LACP_RX_PORT_DISABLED);
	KUNIT_EXPECT_FALSE(test, p->actor.state & ST_SYNC);
	KUNIT_EXPECT_EQ(test, p->reason, LAG_PORT_REASON_DOWN);

	/* back up: EXPIRED keeps the old partner, re-selected, WAITING */
	sim_link(s, 0, 0, true);
	KUNIT_EXPECT_EQ(test, p->rx_state, LACP_RX_EXPIRED);
	KUNIT_EXPECT_EQ(test, p->mux_state, LAG_MUX_WAITING);
	KUNIT_EXPECT_EQ(test, p->reason, LAG_PORT_REASON_EXPIRED);

	/* WAITING -> DETACHED: unselected while waiting */
	lacp_port_set_eligible(p, false, s->now);
	KUNIT_EXPECT_EQ(test, p->mux_state, LAG_MUX_DETACHED);
	KUNIT_EXPECT_EQ(test, p->reason, LAG_PORT_REASON_SPEED);
	lacp_port_set_eligible(p, true, s->now);
	fake_rx(s, p, ST_UP);
	sim_run(s, LACP_AGG_WAIT_MS);
	KUNIT_EXPECT_EQ(test, p->mux_state, LAG_MUX_DISTRIBUTING);

	/* partner changes key: update_Selected, detach, re-attach later */
	fake_rx_key(s, p, ST_UP, 78);
	KUNIT_EXPECT_EQ(test, p->mux_state, LAG_MUX_WAITING);
	KUNIT_EXPECT_FALSE(test, p->distributing);
	KUNIT_EXPECT_FALSE(test, p->actor.state & ST_SYNC);
	KUNIT_EXPECT_EQ(test, p->agg_id, 1);
	sim_run(s, LACP_AGG_WAIT_MS);
	fake_rx_key(s, p, ST_UP, 78);
	KUNIT_EXPECT_EQ(test, p->mux_state, LAG_MUX_DISTRIBUTING);
	sim_check_rate(s);
}

/* recordPDU / choose_Matched: when the partner counts as in sync */
static void test_sm_matched(struct kunit *test)
{
	struct sim *s = sim_new(test, 1, one);
	struct lacp_port *p = LP(s, 0, 0);
	struct lacp_info view;
	u16 *fields[] = { &view.key, &view.port, &view.port_prio,
			  &view.sys_prio };
	int i;

	sim_up_all(s);
	fake_rx(s, p, ST_UP);
	sim_run(s, LACP_AGG_WAIT_MS);
	KUNIT_ASSERT_TRUE(test, p->distributing);

	/* update_NTT: a stale view of us is answered at once */
	sim_run(s, 1500);
	sim_clear_log(s);
	view = p->actor;
	view.state ^= ST_SHORT;
	fake_rx_view(s, p, ST_UP, &view);
	KUNIT_EXPECT_EQ(test, SP(s, 0, 0)->nlog, 1);
	view = p->actor;
	view.state ^= ST_ACT;
	fake_rx_view(s, p, ST_UP, &view);
	KUNIT_EXPECT_EQ(test, SP(s, 0, 0)->nlog, 2);
	KUNIT_EXPECT_TRUE(test, p->distributing);
	/* ... and a right one is not */
	fake_rx(s, p, ST_UP);
	KUNIT_EXPECT_EQ(test, SP(s, 0, 0)->nlog, 2);

	/* in sync by its state, but its view of us is wrong: not in sync */
	for (i = 0; i < ARRAY_SIZE(fields); i++) {
		view = p->actor;
		(*fields[i])++;
		fake_rx_view(s, p, ST_UP, &view);
		KUNIT_EXPECT_FALSE(test, p->partner.state & ST_SYNC);
		KUNIT_EXPECT_EQ(test, p->mux_state, LAG_MUX_ATTACHED);
		fake_rx(s, p, ST_UP);
		KUNIT_EXPECT_TRUE(test, p->distributing);
	}
	view = p->actor;
	view.system[5] ^= 1;
	fake_rx_view(s, p, ST_UP, &view);
	KUNIT_EXPECT_FALSE(test, p->partner.state & ST_SYNC);
	view = p->actor;
	view.state &= ~ST_AGG;
	fake_rx_view(s, p, ST_UP, &view);
	KUNIT_EXPECT_FALSE(test, p->partner.state & ST_SYNC);
	/* the partner's view of our sync/collecting bits does not matter */
	view = p->actor;
	view.state &= ~(ST_SYNC | ST_COLL | ST_DIST);
	fake_rx_view(s, p, ST_UP, &view);
	KUNIT_EXPECT_TRUE(test, p->partner.state & ST_SYNC);
	/* an individual partner in sync is in sync whatever its view */
	view = p->actor;
	view.key++;
	fake_rx_view(s, p, ST_ACT | ST_SYNC, &view);
	KUNIT_EXPECT_TRUE(test, p->partner.state & ST_SYNC);
	/* it moves to an aggregator of its own, and waits there */
	KUNIT_EXPECT_EQ(test, p->reason, LAG_PORT_REASON_SYNC);

	/* passive partner, active us: in sync */
	fake_rx(s, p, ST_UP & ~ST_ACT);
	KUNIT_EXPECT_TRUE(test, p->partner.state & ST_SYNC);
	/* passive partner that sees us passive: not maintained, no sync */
	view = p->actor;
	view.state &= ~ST_ACT;
	fake_rx_view(s, p, ST_UP & ~ST_ACT, &view);
	KUNIT_EXPECT_FALSE(test, p->partner.state & ST_SYNC);
	lacp_group_set_active(&s->sys[0].g, false, s->now);
	fake_rx(s, p, ST_UP & ~ST_ACT);
	KUNIT_EXPECT_FALSE(test, p->partner.state & ST_SYNC);
	KUNIT_EXPECT_EQ(test, p->reason, LAG_PORT_REASON_PASSIVE);
	/* an active partner: in sync again */
	fake_rx(s, p, ST_UP);
	KUNIT_EXPECT_TRUE(test, p->partner.state & ST_SYNC);
}

static void test_sm_rx_transitions(struct kunit *test)
{
	struct sim *s = sim_new(test, 2, two_two);
	struct lacp_port *a0 = LP(s, 0, 0), *a1 = LP(s, 0, 1);
	u8 *pdu;

	/* INITIALIZE -> PORT_DISABLED at add */
	KUNIT_EXPECT_EQ(test, a0->rx_state, LACP_RX_PORT_DISABLED);
	KUNIT_EXPECT_TRUE(test, a0->actor.state & LACP_STATE_DEFAULTED);

	/* PORT_DISABLED -> LACP_DISABLED: half duplex */
	lacp_port_set_link(a0, true, 100, false, s->now);
	KUNIT_EXPECT_EQ(test, a0->rx_state, LACP_RX_LACP_DISABLED);
	KUNIT_EXPECT_EQ(test, a0->reason, LAG_PORT_REASON_PARTNER);
	KUNIT_EXPECT_EQ(test, a0->periodic_state, LACP_PERIODIC_NO);
	sim_run(s, 5000);
	KUNIT_EXPECT_EQ(test, SP(s, 0, 0)->nsent, 0);
	/* LACP_DISABLED -> PORT_DISABLED -> EXPIRED: full duplex */
	lacp_port_set_link(a0, true, 10000, true, s->now);
	KUNIT_EXPECT_EQ(test, a0->rx_state, LACP_RX_EXPIRED);
	KUNIT_EXPECT_TRUE(test, a0->actor.state & LACP_STATE_EXPIRED);
	/* LACP_DISABLED -> PORT_DISABLED: carrier lost */
	lacp_port_set_link(a0, true, 100, false, s->now);
	lacp_port_set_link(a0, false, 0, false, s->now);
	KUNIT_EXPECT_EQ(test, a0->rx_state, LACP_RX_PORT_DISABLED);

	/* EXPIRED -> DEFAULTED: nothing heard for the short timeout */
	sim_link(s, 0, 0, true);
	KUNIT_EXPECT_EQ(test, a0->rx_state, LACP_RX_EXPIRED);
	KUNIT_EXPECT_TRUE(test, a0->partner.state & LACP_STATE_TIMEOUT);
	sim_run(s, LACP_SHORT_TIMEOUT_MS - LACP_TICK_MS);
	KUNIT_EXPECT_EQ(test, a0->rx_state, LACP_RX_EXPIRED);
	sim_step(s);
	KUNIT_EXPECT_EQ(test, a0->rx_state, LACP_RX_DEFAULTED);
	KUNIT_EXPECT_FALSE(test, a0->actor.state & LACP_STATE_EXPIRED);
	KUNIT_EXPECT_TRUE(test, a0->actor.state & LACP_STATE_DEFAULTED);
	KUNIT_EXPECT_EQ(test, a0->reason, LAG_PORT_REASON_DEFAULTED);

	/* DEFAULTED -> CURRENT: a PDU */
	sim_wire(s, 0, 0, 1, 0);
	sim_wire(s, 0, 1, 1, 1);
	sim_link(s, 1, 0, true);
	KUNIT_EXPECT_EQ(test, a0->rx_state, LACP_RX_CURRENT);
	KUNIT_EXPECT_FALSE(test, a0->actor.state & LACP_STATE_DEFAULTED);
	KUNIT_EXPECT_EQ(test, a0->stats.lacpdu_rx, 1ULL);

	/* EXPIRED -> CURRENT */
	sim_link(s, 0, 1, true);
	sim_link(s, 1, 1, true);
	KUNIT_EXPECT_EQ(test, a1->rx_state, LACP_RX_CURRENT);
	KUNIT_ASSERT_GE(test, sim_run_until(s, pred_all_dist, NULL, 5000), 0);

	/* PORT_DISABLED -> INITIALIZE: the partner's port moved */
	sim_link(s, 0, 0, false);
	KUNIT_EXPECT_EQ(test, a0->rx_state, LACP_RX_PORT_DISABLED);
	KUNIT_EXPECT_EQ(test, a0->partner.port, 1);
	KUNIT_EXPECT_FALSE(test, a0->partner.state & ST_SYNC);
	pdu = SP(s, 1, 0)->last;	/* B port 1's LACPDU, arriving on a1 */
	KUNIT_ASSERT_EQ(test, pdu[0], LACP_SUBTYPE_LACP);
	lacp_rx(a1, pdu, LACP_PDU_LEN, s->now);
	KUNIT_EXPECT_EQ(test, a0->rx_state, LACP_RX_PORT_DISABLED);
	KUNIT_EXPECT_FALSE(test, a0->port_moved);
	KUNIT_EXPECT_EQ(test, a0->partner.port, 0);
	KUNIT_EXPECT_TRUE(test, a0->actor.state & LACP_STATE_DEFAULTED);
}

static bool pred_rx_state(struct sim *s, void *arg)
{
	const struct lacp_port *p = LP(s, 0, 0);

	return p->rx_state == *(enum lacp_rx_state *)arg;
}

static void check_timeout(struct kunit *test, bool fast)
{
	struct sim *s = sim_new(test, 2, one_one);
	struct lacp_port *a = LP(s, 0, 0);
	enum lacp_rx_state st;
	u64 tmo = fast ? LACP_SHORT_TIMEOUT_MS : LACP_LONG_TIMEOUT_MS;
	u64 last;
	s64 t;

	lacp_group_set_fast(&s->sys[0].g, fast, s->now);
	lacp_group_set_fast(&s->sys[1].g, fast, s->now);
	sim_wire(s, 0, 0, 1, 0);
	sim_up_all(s);
	KUNIT_ASSERT_GE(test, sim_run_until(s, pred_all_dist, NULL, 5000), 0);
	sim_run(s, 100000);
	KUNIT_ASSERT_TRUE(test, a->distributing);
	KUNIT_EXPECT_EQ(test, a->current_while - SP(s, 0, 0)->last_rx, tmo);

	/* B -> A cut: A's partner information times out */
	SP(s, 0, 0)->rx_block = true;
	last = SP(s, 0, 0)->last_rx;
	st = LACP_RX_EXPIRED;
	t = sim_run_until(s, pred_rx_state, &st, 200000);
	KUNIT_ASSERT_GE(test, t, 0);
	KUNIT_EXPECT_EQ(test, s->now - last, tmo);
	KUNIT_EXPECT_FALSE(test, a->distributing);
	KUNIT_EXPECT_EQ(test, a->mux_state, LAG_MUX_ATTACHED);
	KUNIT_EXPECT_EQ(test, a->reason, LAG_PORT_REASON_EXPIRED);
	KUNIT_EXPECT_TRUE(test, a->actor.state & LACP_STATE_EXPIRED);
	/* the partner is now taken to want short timeouts: fast periodic */
	KUNIT_EXPECT_EQ(test, a->periodic_state, LACP_PERIODIC_FAST);

	st = LACP_RX_DEFAULTED;
	t = sim_run_until(s, pred_rx_state, &st, 200000);
	KUNIT_EXPECT_EQ(test, t, (s64)LACP_SHORT_TIMEOUT_MS);
	KUNIT_EXPECT_EQ(test, a->reason, LAG_PORT_REASON_DEFAULTED);
	KUNIT_EXPECT_EQ(test, a->mux_state, LAG_MUX_DETACHED);
	KUNIT_EXPECT_EQ(test, a->partner.port, 0);
	KUNIT_EXPECT_EQ(test, s->sys[0].g.active_agg, 0);
	KUNIT_EXPECT_FALSE(test, lacp_group_has_partner(&s->sys[0].g));

	/* B stops distributing too: A says it is out of sync */
	sim_run(s, 100000);
	KUNIT_EXPECT_FALSE(test, LP(s, 1, 0)->distributing);

	/* cable mended: back to distributing */
	SP(s, 0, 0)->rx_block = false;
	KUNIT_EXPECT_GE(test, sim_run_until(s, pred_all_dist, NULL, 40000),
			0);
	sim_check_rate(s);
}

static void test_sm_timeout_fast(struct kunit *test)
{
	check_timeout(test, true);
}

static void test_sm_timeout_slow(struct kunit *test)
{
	check_timeout(test, false);
}

static void test_sm_defaulted(struct kunit *test)
{
	struct sim *s = sim_new(test, 1, four);
	int j;

	sim_up_all(s);
	sim_run(s, 60000);
	for (j = 0; j < 4; j++) {
		struct lacp_port *p = LP(s, 0, j);

		KUNIT_EXPECT_EQ(test, p->rx_state, LACP_RX_DEFAULTED);
		KUNIT_EXPECT_EQ(test, p->reason, LAG_PORT_REASON_DEFAULTED);
		KUNIT_EXPECT_EQ(test, p->mux_state, LAG_MUX_DETACHED);
		KUNIT_EXPECT_FALSE(test, p->collecting);
		KUNIT_EXPECT_FALSE(test, p->distributing);
		KUNIT_EXPECT_EQ(test, SP(s, 0, j)->changed, 0);
		/* an active actor keeps asking, slow, with defaulted set */
		KUNIT_EXPECT_TRUE(test, SP(s, 0, j)->last[18] &
				  LACP_STATE_DEFAULTED);
		KUNIT_EXPECT_EQ(test, p->periodic_state, LACP_PERIODIC_SLOW);
	}
	KUNIT_EXPECT_FALSE(test, lacp_group_has_partner(&s->sys[0].g));
	KUNIT_EXPECT_EQ(test, s->sys[0].g.active_agg, 0);
}

static void test_sm_periodic(struct kunit *test)
{
	struct sim *s = sim_new(test, 1, one);
	struct lacp_port *p = LP(s, 0, 0);
	struct sim_port *sp = SP(s, 0, 0);
	int i;

	KUNIT_EXPECT_EQ(test, p->periodic_state, LACP_PERIODIC_NO);
	sim_up_all(s);
	/* NO_PERIODIC -> FAST_PERIODIC (EXPIRED: partner short) */
	KUNIT_EXPECT_EQ(test, p->periodic_state, LACP_PERIODIC_FAST);
	fake_rx(s, p, ST_UP | ST_SHORT);
	sim_run(s, LACP_AGG_WAIT_MS);
	fake_rx(s, p, ST_UP | ST_SHORT);
	KUNIT_ASSERT_TRUE(test, p->distributing);
	sim_run(s, 3000);

	/* fast: one LACPDU a second */
	sim_clear_log(s);
	for (i = 0; i < 20; i++) {
		sim_run(s, 1000);
		if (i % 2)
			fake_rx(s, p, ST_UP | ST_SHORT);
	}
	KUNIT_EXPECT_EQ(test, sp->nlog, 20);
	for (i = 1; i < sp->nlog; i++)
		KUNIT_EXPECT_EQ(test, sp->log[i] - sp->log[i - 1], 1000ULL);
	KUNIT_EXPECT_EQ(test, p->periodic_state, LACP_PERIODIC_FAST);

	/* FAST -> SLOW: the partner asks for long timeouts */
	fake_rx(s, p, ST_UP);
	KUNIT_EXPECT_EQ(test, p->periodic_state, LACP_PERIODIC_SLOW);
	sim_clear_log(s);
	sim_run(s, 85000);
	fake_rx(s, p, ST_UP);
	sim_run(s, 5000);
	KUNIT_EXPECT_EQ(test, sp->nlog, 3);
	for (i = 1; i < sp->nlog; i++)
		KUNIT_EXPECT_EQ(test, sp->log[i] - sp->log[i - 1], 30000ULL);

	/* SLOW -> PERIODIC_TX at once: the partner asks for short again */
	sim_clear_log(s);
	fake_rx(s, p, ST_UP | ST_SHORT);
	KUNIT_EXPECT_EQ(test, p->periodic_state, LACP_PERIODIC_FAST);
	KUNIT_EXPECT_EQ(test, sp->nlog, 1);
	sim_run(s, 1000);
	KUNIT_EXPECT_EQ(test, sp->nlog, 2);

	/* -> NO_PERIODIC: actor passive and partner passive */
	lacp_group_set_active(&s->sys[0].g, false, s->now);
	fake_rx(s, p, ST_AGG | ST_SYNC | ST_COLL | ST_DIST | ST_SHORT);
	KUNIT_EXPECT_EQ(test, p->periodic_state, LACP_PERIODIC_NO);
	sim_clear_log(s);
	sim_run(s, 10000);
	KUNIT_EXPECT_EQ(test, sp->nlog, 0);
	/* a passive actor answers an active partner, periodically */
	fake_rx(s, p, ST_UP | ST_SHORT);
	KUNIT_EXPECT_EQ(test, p->periodic_state, LACP_PERIODIC_FAST);
	sim_run(s, 10000);
	KUNIT_EXPECT_GE(test, sp->nlog, 10);
	/* -> NO_PERIODIC: carrier lost */
	sim_link(s, 0, 0, false);
	KUNIT_EXPECT_EQ(test, p->periodic_state, LACP_PERIODIC_NO);
	sim_clear_log(s);
	sim_run(s, 10000);
	KUNIT_EXPECT_EQ(test, sp->nlog, 0);
	sim_check_rate(s);
}

static void test_sm_passive(struct kunit *test)
{
	struct sim *s = sim_new(test, 2, four_four);
	s64 t;
	int i, j;

	for (j = 0; j < 4; j++)
		sim_wire(s, 0, j, 1, j);
	lacp_group_set_active(&s->sys[0].g, false, s->now);
	lacp_group_set_active(&s->sys[1].g, false, s->now);
	sim_up_all(s);
	sim_run(s, 120000);
	for (i = 0; i < 2; i++) {
		for (j = 0; j < 4; j++) {
			KUNIT_EXPECT_EQ(test, SP(s, i, j)->nsent, 0);
			KUNIT_EXPECT_FALSE(test, LP(s, i, j)->distributing);
			KUNIT_EXPECT_EQ(test, LP(s, i, j)->reason,
					LAG_PORT_REASON_PASSIVE);
			KUNIT_EXPECT_EQ(test, LP(s, i, j)->periodic_state,
					LACP_PERIODIC_NO);
		}
	}

	/* passive / active aggregates; the passive end answers */
	lacp_group_set_active(&s->sys[1].g, true, s->now);
	sim_deliver(s);
	t = sim_run_until(s, pred_all_dist, NULL, 30000);
	kunit_info(test, "passive/active distributing after %lld ms\n", t);
	KUNIT_EXPECT_GE(test, t, 0);
	KUNIT_EXPECT_LE(test, t, (s64)LACP_AGG_WAIT_MS + 1000);
	for (j = 0; j < 4; j++) {
		KUNIT_EXPECT_GT(test, SP(s, 0, j)->nsent, 0);
		KUNIT_EXPECT_FALSE(test, LP(s, 0, j)->actor.state & ST_ACT);
	}
	sim_run(s, 120000);
	KUNIT_EXPECT_TRUE(test, pred_all_dist(s, NULL));
	sim_check_rate(s);
}

static bool pred_none_dist(struct sim *s, void *arg)
{
	int i, j;

	for (i = 0; i < s->nsys; i++)
		for (j = 0; j < s->sys[i].nports; j++)
			if (LP(s, i, j)->distributing)
				return false;
	return true;
}

static int sim_sent(struct sim *s)
{
	int i, j, n = 0;

	for (i = 0; i < s->nsys; i++)
		for (j = 0; j < s->sys[i].nports; j++)
			n += SP(s, i, j)->nlog;
	return n;
}

/*
 * Every order of the two ends changing mode, from every state: whenever
 * one end is active, all four links distribute within the aggregation
 * wait plus one fast period of the change; when both are passive, none
 * does, within one LACPDU exchange, and then nobody speaks.
 */
static void test_sm_passive_orders(struct kunit *test)
{
	static const struct { bool a, b; } steps[] = {
		{ false, false }, { false, true }, { false, false },
		{ true, false }, { false, false }, { true, true },
		{ false, true }, { true, true }, { true, false },
		{ true, true }, { false, true }, { true, false },
		{ false, false }, { true, false }, { false, true },
		{ false, false },
	};
	struct sim *s = sim_new(test, 2, four_four);
	int i, j, sent;
	s64 t;

	for (j = 0; j < 4; j++)
		sim_wire(s, 0, j, 1, j);
	lacp_group_set_active(&s->sys[0].g, false, s->now);
	lacp_group_set_active(&s->sys[1].g, false, s->now);
	sim_up_all(s);
	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		lacp_group_set_active(&s->sys[0].g, steps[i].a, s->now);
		lacp_group_set_active(&s->sys[1].g, steps[i].b, s->now);
		sim_deliver(s);
		if (steps[i].a || steps[i].b) {
			t = sim_run_until(s, pred_all_dist, NULL, 30000);
			KUNIT_EXPECT_GE_MSG(test, t, 0LL, "step %d", i);
			KUNIT_EXPECT_LE_MSG(test, t, (s64)LACP_AGG_WAIT_MS + 1000,
					    "step %d", i);
			sim_run(s, 5000);
			KUNIT_EXPECT_TRUE_MSG(test, pred_all_dist(s, NULL),
					      "step %d", i);
			continue;
		}
		t = sim_run_until(s, pred_none_dist, NULL, 30000);
		KUNIT_EXPECT_GE_MSG(test, t, 0LL, "step %d", i);
		KUNIT_EXPECT_LE_MSG(test, t, 1000LL, "step %d", i);
		sim_run(s, 5000);
		sent = sim_sent(s);
		sim_run(s, 120000);
		KUNIT_EXPECT_EQ_MSG(test, sim_sent(s), sent,
				    "step %d: both passive, still speaking", i);
		for (j = 0; j < 4; j++)
			KUNIT_EXPECT_EQ_MSG(test, LP(s, 0, j)->reason,
					    LAG_PORT_REASON_PASSIVE, "step %d", i);
	}
	sim_check_rate(s);
}

/*
 * A passive port answers an LACPDU that has it wrong, even from a passive
 * partner (passive: respond only when spoken to), once: the partner then
 * knows both ends are passive, and when it turns active its Periodic
 * machine starts from NO_PERIODIC instead of its defaulted view of us.
 */
static void test_sm_passive_answer(struct kunit *test)
{
	struct sim *s = sim_new(test, 1, one);
	struct lacp_port *p = LP(s, 0, 0);
	struct sim_port *sp = SP(s, 0, 0);
	struct lacp_info unknown = {};
	struct lacp_pdu out;

	lacp_group_set_active(&s->sys[0].g, false, s->now);
	sim_up_all(s);
	sim_run(s, 5000);
	KUNIT_EXPECT_EQ(test, sp->nlog, 0);

	/* a passive partner that has not heard from us */
	fake_rx_view(s, p, ST_AGG, &unknown);
	KUNIT_EXPECT_EQ(test, sp->nlog, 1);
	KUNIT_ASSERT_EQ(test, lacp_pdu_parse(sp->last, LACP_PDU_LEN, &out), 0);
	KUNIT_EXPECT_FALSE(test, out.actor.state & ST_ACT);
	KUNIT_EXPECT_TRUE(test, ether_addr_equal(out.partner.system, fake_system));
	KUNIT_EXPECT_FALSE(test, out.partner.state & ST_ACT);
	/* now it has us right: nothing more to say, now or later */
	fake_rx(s, p, ST_AGG);
	sim_run(s, 200000);
	KUNIT_EXPECT_EQ(test, sp->nlog, 1);
	KUNIT_EXPECT_EQ(test, p->periodic_state, LACP_PERIODIC_NO);
	KUNIT_EXPECT_FALSE(test, p->distributing);
	KUNIT_EXPECT_EQ(test, p->reason, LAG_PORT_REASON_PASSIVE);

	/* it turns active: we follow at its first LACPDU */
	fake_rx(s, p, ST_ACT | ST_AGG);
	sim_run(s, LACP_AGG_WAIT_MS + LACP_TICK_MS);
	KUNIT_EXPECT_GE(test, sp->nlog, 2);
	KUNIT_ASSERT_EQ(test, lacp_pdu_parse(sp->last, LACP_PDU_LEN, &out), 0);
	KUNIT_EXPECT_TRUE(test, out.actor.state & ST_SYNC);
	fake_rx(s, p, ST_UP);
	KUNIT_EXPECT_TRUE(test, p->distributing);
	sim_check_rate(s);
}

/*
 * What a port last said stays owed across a link flap and a move to
 * another group: a port turned passive while its link was down says so
 * when the link is back, unasked, and so does one that joins a passive
 * group after an active one.
 */
static void test_sm_passive_told(struct kunit *test)
{
	struct sim *s = sim_new(test, 2, one_one);
	struct lacp_port *a0 = LP(s, 0, 0);
	struct sim_port *sp = SP(s, 0, 0);
	struct lacp_group *other;
	struct lacp_pdu out;
	int i, n;

	lacp_group_set_active(&s->sys[1].g, false, s->now);
	sim_wire(s, 0, 0, 1, 0);
	sim_up_all(s);
	KUNIT_ASSERT_GE(test, sim_run_until(s, pred_all_dist, NULL, 10000), 0LL);

	/* passive while the link is down: told at link up */
	sim_link(s, 0, 0, false);
	lacp_group_set_active(&s->sys[0].g, false, s->now);
	sim_run(s, 1000);
	n = sp->nlog;
	SP(s, 0, 0)->rx_block = true;	/* we hear nothing */
	sim_link(s, 0, 0, true);
	sim_step(s);
	KUNIT_EXPECT_EQ(test, sp->nlog, n + 1);
	KUNIT_ASSERT_EQ(test, lacp_pdu_parse(sp->last, LACP_PDU_LEN, &out), 0);
	KUNIT_EXPECT_FALSE(test, out.actor.state & (ST_ACT | ST_SYNC));
	sim_run(s, 60000);
	KUNIT_EXPECT_EQ(test, sp->nlog, n + 1);

	/* from an active group to a passive one */
	SP(s, 0, 0)->rx_block = false;
	lacp_group_set_active(&s->sys[0].g, true, s->now);
	sim_deliver(s);
	KUNIT_ASSERT_GE(test, sim_run_until(s, pred_all_dist, NULL, 10000), 0LL);
	other = kunit_kzalloc(test, sizeof(*other), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, other);
	lacp_group_init(other, &sim_ops, &s->sys[0]);
	lacp_group_set_system(other, s->sys[0].g.system, s->now);
	lacp_group_set_active(other, false, s->now);
	lacp_port_del(a0, s->now);
	n = sp->nlog;
	SP(s, 0, 0)->rx_block = true;
	KUNIT_ASSERT_EQ(test, lacp_port_add(other, a0, 1, s->now), 0);
	lacp_port_set_link(a0, true, 10000, true, s->now);
	/* the leaving LACPDU may have filled the window: a second at most */
	for (i = 0; i < 1000 / LACP_TICK_MS; i++) {
		sim_step(s);
		lacp_tick(other, s->now);
	}
	KUNIT_EXPECT_GE(test, sp->nlog, n + 1);
	KUNIT_ASSERT_EQ(test, lacp_pdu_parse(sp->last, LACP_PDU_LEN, &out), 0);
	KUNIT_EXPECT_FALSE(test, out.actor.state & ST_ACT);
	lacp_port_del(a0, s->now);
}

/*
 * A partner port that reports itself Individual gets an aggregator of its
 * own (802.1AX 6.4.14): it carries traffic when it is the best aggregator
 * the LAG has, and waits with reason "individual" otherwise.
 */
static void test_sm_individual(struct kunit *test)
{
	struct sim *s = sim_new(test, 1, four);
	struct lacp_port *p[4];
	struct lacp_group *g = &s->sys[0].g;
	const u8 indiv = ST_ACT | ST_SYNC | ST_COLL | ST_DIST;
	int j;

	for (j = 0; j < 4; j++)
		p[j] = LP(s, 0, j);
	sim_up_all(s);

	/* one Individual link alone: it distributes, in its own aggregator */
	fake_rx(s, p[0], indiv);
	sim_run(s, LACP_AGG_WAIT_MS + 1000);
	fake_rx(s, p[0], indiv);
	KUNIT_EXPECT_TRUE(test, p[0]->distributing);
	KUNIT_EXPECT_EQ(test, p[0]->reason, LAG_PORT_REASON_NONE);
	KUNIT_EXPECT_EQ(test, g->active_agg, p[0]->agg_id);

	/* a second Individual link of the same partner: not shared */
	fake_rx(s, p[1], indiv);
	sim_run(s, LACP_AGG_WAIT_MS + 1000);
	fake_rx(s, p[1], indiv);
	KUNIT_EXPECT_NE(test, p[1]->agg_id, 0);
	KUNIT_EXPECT_NE(test, p[1]->agg_id, p[0]->agg_id);
	KUNIT_EXPECT_FALSE(test, p[1]->distributing);
	KUNIT_EXPECT_EQ(test, p[1]->reason, LAG_PORT_REASON_INDIVIDUAL);
	KUNIT_EXPECT_TRUE(test, p[0]->distributing);

	/* two aggregatable links: stable keeps the Individual one active */
	fake_rx(s, p[2], ST_UP);
	fake_rx(s, p[3], ST_UP);
	sim_run(s, LACP_AGG_WAIT_MS + 1000);
	KUNIT_EXPECT_TRUE(test, p[0]->distributing);
	KUNIT_EXPECT_EQ(test, p[2]->reason, LAG_PORT_REASON_PARTNER);
	/* "count" moves to the two-link aggregator */
	lacp_group_set_agg_select(g, LAG_AGG_SELECT_COUNT, s->now);
	sim_run(s, LACP_AGG_WAIT_MS + 1000);
	fake_rx(s, p[2], ST_UP);
	fake_rx(s, p[3], ST_UP);
	KUNIT_EXPECT_TRUE(test, p[2]->distributing);
	KUNIT_EXPECT_TRUE(test, p[3]->distributing);
	KUNIT_EXPECT_EQ(test, p[2]->agg_id, p[3]->agg_id);
	KUNIT_EXPECT_FALSE(test, p[0]->distributing);
	KUNIT_EXPECT_EQ(test, p[0]->reason, LAG_PORT_REASON_INDIVIDUAL);

	/* they go: the Individual link carries the traffic again */
	sim_link(s, 0, 2, false);
	sim_link(s, 0, 3, false);
	sim_run(s, LACP_AGG_WAIT_MS + 1000);
	fake_rx(s, p[0], indiv);
	fake_rx(s, p[1], indiv);
	KUNIT_EXPECT_TRUE(test, p[0]->distributing ^ p[1]->distributing);

	/* the partner port joins its port-channel: it aggregates again */
	for (j = 0; j < 2; j++)
		fake_rx(s, p[j], ST_UP);
	sim_run(s, LACP_AGG_WAIT_MS + 1000);
	for (j = 0; j < 2; j++)
		fake_rx(s, p[j], ST_UP);
	KUNIT_EXPECT_TRUE(test, p[0]->distributing);
	KUNIT_EXPECT_TRUE(test, p[1]->distributing);
	KUNIT_EXPECT_EQ(test, p[0]->agg_id, p[1]->agg_id);
	sim_check_rate(s);
}

static void check_one_aggregator(struct sim *s, int sys)
{
	struct lacp_group *g = &s->sys[sys].g;
	int j;

	for (j = 0; j < s->sys[sys].nports; j++) {
		const struct lacp_port *p = LP(s, sys, j);

		if (p->collecting || p->distributing)
			KUNIT_EXPECT_EQ(s->test, p->agg_id, g->active_agg);
	}
}

static bool pred_sys0_ports_1_3_dist(struct sim *s, void *arg)
{
	return LP(s, 0, 1)->distributing && LP(s, 0, 2)->distributing &&
	       LP(s, 0, 3)->distributing && sys_all_dist(s, 2);
}

static void test_sm_two_partners(struct kunit *test)
{
	static const int n[] = { 4, 1, 3 };
	struct sim *s = sim_new(test, 3, n);
	struct lacp_group *a = &s->sys[0].g;
	int j;
	s64 t;

	sim_wire(s, 0, 0, 1, 0);		/* A port 1 - B */
	for (j = 0; j < 3; j++)
		sim_wire(s, 0, j + 1, 2, j);	/* A ports 2-4 - C */
	for (j = 0; j < 4; j++)
		sim_link(s, 0, j, true);
	sim_link(s, 1, 0, true);
	sim_run(s, 5000);
	KUNIT_ASSERT_TRUE(test, LP(s, 0, 0)->distributing);
	KUNIT_EXPECT_EQ(test, a->active_agg, 1);

	/* C, with more ports, comes up: A keeps B's aggregator (stable) */
	for (j = 0; j < 3; j++)
		sim_link(s, 2, j, true);
	for (t = 0; t < 30000; t += LACP_TICK_MS) {
		sim_step(s);
		check_one_aggregator(s, 0);
	}
	KUNIT_EXPECT_EQ(test, a->active_agg, 1);
	KUNIT_EXPECT_TRUE(test, LP(s, 0, 0)->distributing);
	for (j = 1; j < 4; j++) {
		struct lacp_port *p = LP(s, 0, j);

		KUNIT_EXPECT_EQ(test, p->agg_id, 2);
		KUNIT_EXPECT_EQ(test, p->selected, LACP_STANDBY);
		KUNIT_EXPECT_EQ(test, p->mux_state, LAG_MUX_WAITING);
		KUNIT_EXPECT_EQ(test, p->reason, LAG_PORT_REASON_PARTNER);
		KUNIT_EXPECT_FALSE(test, p->collecting);
		KUNIT_EXPECT_FALSE(test, p->actor.state & ST_SYNC);
		/* C's port sees A out of sync and does not distribute */
		KUNIT_EXPECT_FALSE(test, LP(s, 2, j - 1)->distributing);
		KUNIT_EXPECT_EQ(test, LP(s, 2, j - 1)->reason,
				LAG_PORT_REASON_SYNC);
	}

	/* B's link goes: its aggregator has no member, C's takes over */
	sim_link(s, 0, 0, false);
	t = sim_run_until(s, pred_sys0_ports_1_3_dist, NULL, 10000);
	kunit_info(test, "switch to the second partner in %lld ms\n", t);
	KUNIT_EXPECT_GE(test, t, 0);
	KUNIT_EXPECT_LE(test, t, 1000LL);
	KUNIT_EXPECT_EQ(test, a->active_agg, 2);
	KUNIT_EXPECT_EQ(test, LP(s, 0, 0)->reason, LAG_PORT_REASON_DOWN);
	check_one_aggregator(s, 0);

	/* B back: C's aggregator is kept, B's port is standby */
	sim_link(s, 0, 0, true);
	for (t = 0; t < 30000; t += LACP_TICK_MS) {
		sim_step(s);
		check_one_aggregator(s, 0);
	}
	KUNIT_EXPECT_EQ(test, a->active_agg, 2);
	KUNIT_EXPECT_EQ(test, LP(s, 0, 0)->selected, LACP_STANDBY);
	KUNIT_EXPECT_EQ(test, LP(s, 0, 0)->agg_id, 1);
	KUNIT_EXPECT_EQ(test, LP(s, 0, 0)->reason, LAG_PORT_REASON_PARTNER);
	KUNIT_EXPECT_TRUE(test, pred_sys0_ports_1_3_dist(s, NULL));
	/* standby for a minute: actor churn, but the reason is the partner */
	sim_run(s, 60000);
	KUNIT_EXPECT_EQ(test, LP(s, 0, 0)->actor_churn_state, LACP_CHURN);
	KUNIT_EXPECT_EQ(test, LP(s, 0, 0)->reason, LAG_PORT_REASON_PARTNER);
	sim_check_rate(s);
}

/*
 * A's port 1 is cabled to B and active; port 2 (and 3 if @c_ports is 2)
 * to C, whose system priority is @c_prio; port 4 hears the scripted
 * partner (priority 100, MAC 02:00:00:00:00:99). When port 1 goes, the
 * aggregator with most ports wins, ties to the lowest partner system
 * priority, then MAC.
 */
static void check_agg_choice(struct kunit *test, int c_ports, u16 c_prio,
			     u16 winner)
{
	static const int n[] = { 4, 1, 2 };
	struct sim *s = sim_new(test, 3, n);
	struct lacp_group *a = &s->sys[0].g;
	int j;

	lacp_group_set_sys_prio(&s->sys[2].g, c_prio, s->now);
	sim_wire(s, 0, 0, 1, 0);
	for (j = 0; j < c_ports; j++)
		sim_wire(s, 0, j + 1, 2, j);
	sim_up_all(s);
	sim_run(s, 5000);
	KUNIT_ASSERT_TRUE(test, LP(s, 0, 0)->distributing);
	fake_rx(s, LP(s, 0, 3), ST_UP);
	sim_run(s, 5000);
	KUNIT_EXPECT_EQ(test, a->active_agg, 1);
	KUNIT_EXPECT_EQ(test, LP(s, 0, 1)->agg_id, 2);
	KUNIT_EXPECT_EQ(test, LP(s, 0, 3)->agg_id, 4);

	sim_link(s, 0, 0, false);
	KUNIT_EXPECT_EQ(test, a->active_agg, winner);
	sim_run(s, 1000);
	KUNIT_EXPECT_EQ(test, LP(s, 0, 1)->distributing, winner == 2);
	/* the scripted partner claimed sync and collecting all along */
	KUNIT_EXPECT_EQ(test, LP(s, 0, 3)->distributing, winner == 4);
	KUNIT_EXPECT_EQ(test, LP(s, 0, 3)->selected,
			winner == 4 ? LACP_SELECTED : LACP_STANDBY);
	check_one_aggregator(s, 0);
}

static void test_sm_agg_choice(struct kunit *test)
{
	check_agg_choice(test, 1, 65535, 4);	/* partner priority */
	check_agg_choice(test, 1, 100, 2);	/* same priority: MAC */
	check_agg_choice(test, 2, 65535, 2);	/* most ports */
}

static bool pred_sys0_port_0_dist(struct sim *s, void *arg)
{
	return LP(s, 0, 0)->distributing && sys_all_dist(s, 1);
}

/*
 * agg_select: A's port 1 is cabled to B (one port, system priority
 * @b_prio), ports 2-4 to C (three ports, 200). @first comes up, then the
 * other; for 30 s A must keep one aggregator, and end on @winner's (1: B,
 * 2: C) with its ports distributing and the others standby.
 */
static void check_agg_select(struct kunit *test, u8 policy, int first,
			     u16 b_prio, u16 winner)
{
	static const int n[] = { 4, 1, 3 };
	struct sim *s = sim_new(test, 3, n);
	struct lacp_group *a = &s->sys[0].g;
	bool (*won)(struct sim *, void *) = winner == 1 ?
		pred_sys0_port_0_dist : pred_sys0_ports_1_3_dist;
	int j, second = first == 1 ? 2 : 1;
	s64 t;

	lacp_group_set_agg_select(a, policy, s->now);
	lacp_group_set_sys_prio(&s->sys[1].g, b_prio, s->now);
	lacp_group_set_sys_prio(&s->sys[2].g, 200, s->now);
	sim_wire(s, 0, 0, 1, 0);
	for (j = 0; j < 3; j++)
		sim_wire(s, 0, j + 1, 2, j);
	for (j = 0; j < 4; j++)
		sim_link(s, 0, j, true);
	for (j = 0; j < s->sys[first].nports; j++)
		sim_link(s, first, j, true);
	sim_run(s, 5000);
	KUNIT_ASSERT_EQ(test, a->active_agg, first);

	for (j = 0; j < s->sys[second].nports; j++)
		sim_link(s, second, j, true);
	t = sim_run_until(s, won, NULL, 30000);
	KUNIT_EXPECT_GE_MSG(test, t, 0, "policy %u: aggregator %u won",
			    policy, a->active_agg);
	if (winner != first)
		kunit_info(test, "policy %u: moved to aggregator %u in %lld ms\n",
			   policy, winner, t);
	for (t = 0; t < 30000; t += LACP_TICK_MS) {
		sim_step(s);
		check_one_aggregator(s, 0);
	}
	KUNIT_EXPECT_EQ_MSG(test, a->active_agg, winner, "policy %u", policy);
	KUNIT_EXPECT_TRUE(test, won(s, NULL));
	for (j = 0; j < 4; j++) {
		const struct lacp_port *p = LP(s, 0, j);

		if (p->agg_id == winner)
			continue;
		KUNIT_EXPECT_EQ(test, p->selected, LACP_STANDBY);
		KUNIT_EXPECT_FALSE(test, p->distributing);
		KUNIT_EXPECT_EQ(test, p->reason, LAG_PORT_REASON_PARTNER);
	}
	sim_check_rate(s);
}

static void test_sm_agg_select(struct kunit *test)
{
	/* stable keeps whoever came first */
	check_agg_select(test, LAG_AGG_SELECT_STABLE, 1, 100, 1);
	check_agg_select(test, LAG_AGG_SELECT_STABLE, 2, 100, 2);
	/* count moves to C, with more ports, and stays there */
	check_agg_select(test, LAG_AGG_SELECT_COUNT, 1, 100, 2);
	check_agg_select(test, LAG_AGG_SELECT_COUNT, 2, 100, 2);
	/* prio moves to the better partner system, whatever its size */
	check_agg_select(test, LAG_AGG_SELECT_PRIO, 2, 100, 1);
	check_agg_select(test, LAG_AGG_SELECT_PRIO, 1, 100, 1);
	check_agg_select(test, LAG_AGG_SELECT_PRIO, 1, 65535, 2);
}

/* A change of policy takes effect at once, in the setter's own run. */
static void test_sm_agg_select_change(struct kunit *test)
{
	static const int n[] = { 4, 1, 3 };
	struct sim *s = sim_new(test, 3, n);
	struct lacp_group *a = &s->sys[0].g;
	int j;
	s64 t;

	lacp_group_set_sys_prio(&s->sys[2].g, 100, s->now);
	sim_wire(s, 0, 0, 1, 0);
	for (j = 0; j < 3; j++)
		sim_wire(s, 0, j + 1, 2, j);
	for (j = 0; j < 4; j++)
		sim_link(s, 0, j, true);
	sim_link(s, 1, 0, true);
	sim_run(s, 5000);
	for (j = 0; j < 3; j++)
		sim_link(s, 2, j, true);
	sim_run(s, 10000);
	KUNIT_ASSERT_EQ(test, a->active_agg, 1);	/* stable */

	lacp_group_set_agg_select(a, LAG_AGG_SELECT_PRIO, s->now);
	KUNIT_EXPECT_EQ(test, a->active_agg, 2);
	KUNIT_EXPECT_EQ(test, LP(s, 0, 0)->selected, LACP_STANDBY);
	t = sim_run_until(s, pred_sys0_ports_1_3_dist, NULL, 10000);
	KUNIT_EXPECT_GE(test, t, 0);
	/* back to stable: nothing moves */
	lacp_group_set_agg_select(a, LAG_AGG_SELECT_STABLE, s->now);
	sim_run(s, 10000);
	KUNIT_EXPECT_EQ(test, a->active_agg, 2);
	check_one_aggregator(s, 0);
}

/*
 * A port that leaves (removed, or its device closed) tells its partner
 * with one last LACPDU, out of sync: the partner stops distributing to the
 * link at once, not at its timeout (90 s at the slow rate).
 */
static void check_leave(struct kunit *test, bool remove)
{
	static const int n[] = { 2, 2 };
	struct sim *s = sim_new(test, 2, n);
	struct lacp_port *a0 = LP(s, 0, 0), *b0 = LP(s, 1, 0);
	u64 tx;

	sim_wire(s, 0, 0, 1, 0);
	sim_wire(s, 0, 1, 1, 1);
	sim_up_all(s);
	KUNIT_ASSERT_GE(test, sim_run_until(s, pred_all_dist, NULL, 10000), 0LL);
	/* a quiet moment: nothing pending, the slow rate's long silence */
	sim_run(s, 5000);
	tx = a0->stats.lacpdu_tx;

	SP(s, 0, 0)->rx_block = true;	/* what b0 answers is not ours */
	if (remove) {
		lacp_port_del(a0, s->now);
	} else {
		lacp_port_leave(a0, s->now);
		lacp_port_set_link(a0, false, 0, true, s->now);
	}
	KUNIT_EXPECT_EQ(test, a0->stats.lacpdu_tx, tx + 1);
	KUNIT_EXPECT_FALSE(test, a0->actor.state & ST_SYNC);
	sim_deliver(s);
	/* the partner's port stopped distributing at once; the other stays */
	KUNIT_EXPECT_FALSE(test, b0->partner.state & ST_SYNC);
	KUNIT_EXPECT_FALSE(test, b0->distributing);
	KUNIT_EXPECT_FALSE(test, b0->collecting);
	KUNIT_EXPECT_TRUE(test, LP(s, 1, 1)->distributing);
	KUNIT_EXPECT_TRUE(test, LP(s, 0, 1)->distributing);
}

static void test_sm_leave(struct kunit *test)
{
	check_leave(test, true);
	check_leave(test, false);
}

/*
 * A LAG set down disables its aggregator: its ports detach and say so at
 * once (the partner stops distributing to them), keep sending LACPDUs at the
 * partner's rate, and aggregate again when it is up, without any timeout.
 */
static void test_sm_group_down(struct kunit *test)
{
	static const int n[] = { 2, 2 };
	struct sim *s = sim_new(test, 2, n);
	struct lacp_group *a = &s->sys[0].g;
	int j;
	u64 tx;
	s64 t;

	for (j = 0; j < 2; j++)
		sim_wire(s, 0, j, 1, j);
	sim_up_all(s);
	KUNIT_ASSERT_GE(test, sim_run_until(s, pred_all_dist, NULL, 10000), 0LL);
	sim_run(s, 5000);

	lacp_group_set_down(a, true, s->now);
	sim_deliver(s);
	for (j = 0; j < 2; j++) {
		KUNIT_EXPECT_FALSE(test, LP(s, 0, j)->distributing);
		KUNIT_EXPECT_EQ(test, LP(s, 0, j)->selected, LACP_UNSELECTED);
		KUNIT_EXPECT_EQ(test, LP(s, 0, j)->reason, LAG_PORT_REASON_LAG_DOWN);
		KUNIT_EXPECT_FALSE(test, LP(s, 0, j)->actor.state & ST_SYNC);
		/* the partner learnt it from the LACPDU, at once */
		KUNIT_EXPECT_FALSE(test, LP(s, 1, j)->distributing);
		KUNIT_EXPECT_FALSE(test, LP(s, 1, j)->partner.state & ST_SYNC);
	}
	/* LACP runs on: the partners stay current, nobody expires */
	tx = LP(s, 0, 0)->stats.lacpdu_tx;
	sim_run(s, 100000);
	KUNIT_EXPECT_GT(test, LP(s, 0, 0)->stats.lacpdu_tx, tx + 2);
	for (j = 0; j < 2; j++) {
		KUNIT_EXPECT_EQ(test, LP(s, 0, j)->rx_state, LACP_RX_CURRENT);
		KUNIT_EXPECT_EQ(test, LP(s, 1, j)->rx_state, LACP_RX_CURRENT);
		KUNIT_EXPECT_FALSE(test, LP(s, 0, j)->distributing);
	}

	lacp_group_set_down(a, false, s->now);
	t = sim_run_until(s, pred_all_dist, NULL, 10000);
	kunit_info(test, "back up, all distribute in %lld ms\n", t);
	KUNIT_EXPECT_GE(test, t, 0LL);
	KUNIT_EXPECT_LE(test, t, (s64)LACP_AGG_WAIT_MS + 1000);
	sim_check_rate(s);
}

/* Two passive ends never spoke: there is nobody to tell. */
static void test_sm_leave_passive(struct kunit *test)
{
	struct sim *s = sim_new(test, 2, one_one);
	struct lacp_port *a0 = LP(s, 0, 0);

	lacp_group_set_active(&s->sys[0].g, false, s->now);
	lacp_group_set_active(&s->sys[1].g, false, s->now);
	sim_wire(s, 0, 0, 1, 0);
	sim_up_all(s);
	sim_run(s, 5000);
	KUNIT_ASSERT_EQ(test, a0->stats.lacpdu_tx, 0ULL);
	lacp_port_del(a0, s->now);
	KUNIT_EXPECT_EQ(test, a0->stats.lacpdu_tx, 0ULL);
}

static void test_sm_churn(struct kunit *test)
{
	struct sim *s = sim_new(test, 1, one);
	struct lacp_port *p = LP(s, 0, 0);
	int i;

	KUNIT_EXPECT_EQ(test, p->actor_churn_state, LACP_CHURN_MONITOR);
	KUNIT_EXPECT_EQ(test, p->partner_churn_state, LACP_CHURN_MONITOR);
	/* a disabled port never churns */
	sim_run(s, 100000);
	KUNIT_EXPECT_EQ(test, p->actor_churn_state, LACP_CHURN_MONITOR);
	KUNIT_EXPECT_EQ(test, p->partner_churn_state, LACP_CHURN_MONITOR);
	KUNIT_EXPECT_EQ(test, p->stats.churn, 0ULL);
	/* nothing moved the mux since the port was added */
	KUNIT_EXPECT_EQ(test, p->mux_since, 0ULL);

	/* a partner that never comes in sync */
	sim_up_all(s);
	for (i = 0; i < 59; i++) {
		fake_rx(s, p, ST_ACT | ST_AGG | ST_SHORT);
		sim_run(s, 1000);
	}
	/* actor: MONITOR -> NO_CHURN when attached (in sync) */
	KUNIT_EXPECT_EQ(test, p->actor_churn_state, LACP_CHURN_NONE);
	sim_run(s, 900);
	KUNIT_EXPECT_EQ(test, p->partner_churn_state, LACP_CHURN_MONITOR);
	KUNIT_EXPECT_EQ(test, p->reason, LAG_PORT_REASON_SYNC);
	/* partner: MONITOR -> CHURN after 60 s */
	sim_step(s);
	KUNIT_EXPECT_EQ(test, p->partner_churn_state, LACP_CHURN);
	KUNIT_EXPECT_EQ(test, p->reason, LAG_PORT_REASON_CHURN);
	KUNIT_EXPECT_EQ(test, p->stats.churn, 1ULL);
	/* staying in CHURN is not counted again */
	sim_run(s, 1000);
	KUNIT_EXPECT_EQ(test, p->stats.churn, 1ULL);
	/* partner: CHURN -> NO_CHURN when it comes in sync */
	fake_rx(s, p, ST_UP);
	KUNIT_EXPECT_EQ(test, p->partner_churn_state, LACP_CHURN_NONE);
	KUNIT_EXPECT_TRUE(test, p->distributing);
	/* the mux moved to DISTRIBUTING just now */
	KUNIT_EXPECT_EQ(test, p->mux_since, s->now);
	KUNIT_EXPECT_EQ(test, p->reason, LAG_PORT_REASON_NONE);
	/* partner: NO_CHURN -> MONITOR when it loses sync */
	fake_rx(s, p, ST_ACT | ST_AGG);
	KUNIT_EXPECT_EQ(test, p->partner_churn_state, LACP_CHURN_MONITOR);

	/* actor: NO_CHURN -> MONITOR -> CHURN -> NO_CHURN */
	fake_rx(s, p, ST_UP);
	lacp_port_set_eligible(p, false, s->now);
	KUNIT_EXPECT_EQ(test, p->actor_churn_state, LACP_CHURN_MONITOR);
	sim_run(s, LACP_CHURN_MS - LACP_TICK_MS);
	KUNIT_EXPECT_EQ(test, p->actor_churn_state, LACP_CHURN_MONITOR);
	sim_step(s);
	KUNIT_EXPECT_EQ(test, p->actor_churn_state, LACP_CHURN);
	KUNIT_EXPECT_EQ(test, p->reason, LAG_PORT_REASON_SPEED);
	KUNIT_EXPECT_EQ(test, p->stats.churn, 2ULL);
	lacp_port_set_eligible(p, true, s->now);
	sim_run(s, LACP_AGG_WAIT_MS);
	KUNIT_EXPECT_EQ(test, p->actor_churn_state, LACP_CHURN_NONE);
	KUNIT_EXPECT_TRUE(test, p->distributing);
}

static void test_sm_loop(struct kunit *test)
{
	struct sim *s = sim_new(test, 1, four);
	int j;

	sim_wire(s, 0, 0, 0, 1);		/* port 1 cabled to port 2 */
	SP(s, 0, 2)->peer = SP(s, 0, 2);	/* port 3 looped to itself */
	lacp_group_set_fallback(&s->sys[0].g, true, s->now);
	sim_up_all(s);
	for (j = 0; j < 300; j++) {
		sim_step(s);
		KUNIT_EXPECT_FALSE(test, LP(s, 0, 0)->collecting);
		KUNIT_EXPECT_FALSE(test, LP(s, 0, 1)->collecting);
		KUNIT_EXPECT_FALSE(test, LP(s, 0, 2)->collecting);
	}
	for (j = 0; j < 3; j++) {
		struct lacp_port *p = LP(s, 0, j);

		KUNIT_EXPECT_EQ(test, p->rx_state, LACP_RX_CURRENT);
		KUNIT_EXPECT_EQ(test, p->reason, LAG_PORT_REASON_LOOP);
		KUNIT_EXPECT_EQ(test, p->selected, LACP_UNSELECTED);
		KUNIT_EXPECT_EQ(test, p->mux_state, LAG_MUX_DETACHED);
		KUNIT_EXPECT_EQ(test, p->agg_id, 0);
		KUNIT_EXPECT_GT(test, p->stats.lacpdu_rx, 0ULL);
	}
	KUNIT_EXPECT_EQ(test, LP(s, 0, 3)->reason, LAG_PORT_REASON_DEFAULTED);
	KUNIT_EXPECT_EQ(test, s->sys[0].g.active_agg, 0);
	sim_check_rate(s);
}

static void test_sm_rate_change(struct kunit *test)
{
	struct sim *s = sim_new(test, 2, one_one);
	struct sim_port *a = SP(s, 0, 0), *b = SP(s, 1, 0);

	sim_wire(s, 0, 0, 1, 0);
	sim_up_all(s);
	KUNIT_ASSERT_GE(test, sim_run_until(s, pred_all_dist, NULL, 5000), 0);
	sim_run(s, 100000);
	KUNIT_EXPECT_FALSE(test, a->last[18] & LACP_STATE_TIMEOUT);
	KUNIT_EXPECT_EQ(test, b->lp.periodic_state, LACP_PERIODIC_SLOW);

	/* fast: in the very next LACPDU, sent at once */
	sim_clear_log(s);
	lacp_group_set_fast(&s->sys[0].g, true, s->now);
	KUNIT_EXPECT_EQ(test, a->nlog, 1);
	KUNIT_EXPECT_TRUE(test, a->last[18] & LACP_STATE_TIMEOUT);
	sim_deliver(s);
	/* B now sends every second, and times A out in 3 s */
	KUNIT_EXPECT_TRUE(test, b->lp.partner.state & LACP_STATE_TIMEOUT);
	KUNIT_EXPECT_EQ(test, b->lp.periodic_state, LACP_PERIODIC_FAST);
	sim_clear_log(s);
	sim_run(s, 10000);
	KUNIT_EXPECT_EQ(test, b->nlog, 10);
	KUNIT_EXPECT_EQ(test, a->lp.current_while - a->last_rx,
			(u64)LACP_SHORT_TIMEOUT_MS);

	/* and back to slow, without expiring B meanwhile */
	KUNIT_EXPECT_EQ(test, a->changed, 2);
	KUNIT_EXPECT_EQ(test, b->changed, 2);
	sim_clear_log(s);
	lacp_group_set_fast(&s->sys[0].g, false, s->now);
	KUNIT_EXPECT_EQ(test, a->nlog, 1);
	KUNIT_EXPECT_FALSE(test, a->last[18] & LACP_STATE_TIMEOUT);
	sim_deliver(s);
	KUNIT_EXPECT_EQ(test, b->lp.periodic_state, LACP_PERIODIC_SLOW);
	sim_clear_log(s);
	sim_run(s, 10000);
	KUNIT_EXPECT_EQ(test, b->nlog, 0);
	sim_run(s, 200000);
	KUNIT_EXPECT_EQ(test, a->lp.rx_state, LACP_RX_CURRENT);
	KUNIT_EXPECT_EQ(test, a->changed, 2);
	KUNIT_EXPECT_EQ(test, b->changed, 2);
	KUNIT_EXPECT_TRUE(test, pred_all_dist(s, NULL));
	sim_check_rate(s);
}

static void test_sm_tx_limit(struct kunit *test)
{
	struct sim *s = sim_new(test, 2, one_one);
	struct sim_port *a = SP(s, 0, 0);
	u64 t0;
	int i;

	sim_wire(s, 0, 0, 1, 0);
	sim_up_all(s);
	KUNIT_ASSERT_GE(test, sim_run_until(s, pred_all_dist, NULL, 5000), 0);
	sim_run(s, 40000);

	/* ten changes in one instant: three LACPDUs, the rest waits */
	sim_clear_log(s);
	t0 = s->now;
	for (i = 0; i < 10; i++)
		lacp_port_set_prio(&a->lp, 200 + i, s->now);
	KUNIT_EXPECT_EQ(test, a->nlog, 3);
	KUNIT_EXPECT_TRUE(test, a->lp.ntt);
	sim_deliver(s);
	while (a->nlog < 4 && s->now - t0 < 5000)
		sim_step(s);
	KUNIT_EXPECT_EQ(test, a->nlog, 4);
	KUNIT_EXPECT_EQ(test, a->log[3] - t0, (u64)LACP_FAST_PERIODIC_MS);
	KUNIT_EXPECT_FALSE(test, a->lp.ntt);
	/* the latest information went out */
	KUNIT_EXPECT_EQ(test, a->last[14] << 8 | a->last[15], 209);

	/* a refused tx keeps NTT and is retried on the next tick */
	sim_run(s, 2000);
	a->fail_tx = 1;
	i = a->nlog;
	lacp_port_set_prio(&a->lp, 100, s->now);
	KUNIT_EXPECT_EQ(test, a->nlog, i);
	KUNIT_EXPECT_TRUE(test, a->lp.ntt);
	sim_step(s);
	KUNIT_EXPECT_GT(test, a->nlog, i);
	KUNIT_EXPECT_EQ(test, a->log[i], s->now);

	/* B records the new port priority and stays distributing */
	sim_run(s, 5000);
	KUNIT_EXPECT_EQ(test, SP(s, 1, 0)->lp.partner.port_prio, 100);
	KUNIT_EXPECT_TRUE(test, pred_all_dist(s, NULL));
	sim_check_rate(s);
}

/* Marker Responses: at most LACP_MARKER_RESP_MAX in any second. */
static void test_sm_marker_limit(struct kunit *test)
{
	struct sim *s = sim_new(test, 1, one);
	struct sim_port *sp = SP(s, 0, 0);
	u8 sys[ETH_ALEN] = { 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };
	u64 t0;
	int i;

	sim_up_all(s);
	sim_deliver(s);
	sp->nq = 0;
	t0 = s->now;
	lacp_pdu_build_marker(s->buf, false, 7, sys, 1);
	/* five answered at once, the sixth and seventh not */
	for (i = 0; i < LACP_MARKER_RESP_MAX + 2; i++)
		lacp_rx(&sp->lp, s->buf, LACP_PDU_LEN, t0 + i);
	KUNIT_EXPECT_EQ(test, sp->lp.stats.marker_rx, 7ULL);
	KUNIT_EXPECT_EQ(test, sp->lp.stats.marker_tx, 5ULL);
	KUNIT_EXPECT_EQ(test, sp->lp.stats.marker_rx_dropped, 2ULL);
	KUNIT_EXPECT_EQ(test, sp->nq, 5);
	/* 999 ms after the first: still five in the last second */
	lacp_rx(&sp->lp, s->buf, LACP_PDU_LEN, t0 + 999);
	KUNIT_EXPECT_EQ(test, sp->lp.stats.marker_tx, 5ULL);
	KUNIT_EXPECT_EQ(test, sp->lp.stats.marker_rx_dropped, 3ULL);
	/* a second after the first, one slot is free; after the second, two */
	lacp_rx(&sp->lp, s->buf, LACP_PDU_LEN, t0 + 1000);
	lacp_rx(&sp->lp, s->buf, LACP_PDU_LEN, t0 + 1000);
	KUNIT_EXPECT_EQ(test, sp->lp.stats.marker_tx, 6ULL);
	KUNIT_EXPECT_EQ(test, sp->lp.stats.marker_rx_dropped, 4ULL);
	lacp_rx(&sp->lp, s->buf, LACP_PDU_LEN, t0 + 1001);
	KUNIT_EXPECT_EQ(test, sp->lp.stats.marker_tx, 7ULL);
	/* a quiet second later, five again */
	for (i = 0; i < LACP_MARKER_RESP_MAX + 1; i++)
		lacp_rx(&sp->lp, s->buf, LACP_PDU_LEN, t0 + 3000);
	KUNIT_EXPECT_EQ(test, sp->lp.stats.marker_tx, 12ULL);
	KUNIT_EXPECT_EQ(test, sp->lp.stats.marker_rx_dropped, 5ULL);
	KUNIT_EXPECT_EQ(test, sp->lp.stats.lacpdu_rx_errors, 0ULL);
}

static void test_sm_marker(struct kunit *test)
{
	struct sim *s = sim_new(test, 1, one);
	struct sim_port *sp = SP(s, 0, 0);
	u8 sys[ETH_ALEN] = { 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };
	struct lacp_pdu out;

	sim_up_all(s);
	sim_deliver(s);
	lacp_pdu_build_marker(s->buf, false, 0x4321, sys, 0x01020304);
	lacp_rx(&sp->lp, s->buf, LACP_PDU_LEN, s->now);
	KUNIT_EXPECT_EQ(test, sp->lp.stats.marker_rx, 1ULL);
	KUNIT_EXPECT_EQ(test, sp->lp.stats.marker_tx, 1ULL);
	KUNIT_ASSERT_EQ(test, sp->nq, 1);
	KUNIT_ASSERT_EQ(test, lacp_pdu_parse(sp->q[0], LACP_PDU_LEN, &out), 0);
	KUNIT_EXPECT_EQ(test, out.subtype, LACP_SUBTYPE_MARKER);
	KUNIT_EXPECT_EQ(test, out.marker_type, LACP_MARKER_RESPONSE);
	KUNIT_EXPECT_EQ(test, out.marker_port, 0x4321);
	KUNIT_EXPECT_EQ(test, memcmp(out.marker_system, sys, ETH_ALEN), 0);
	KUNIT_EXPECT_EQ(test, out.marker_tid, 0x01020304U);
	sp->nq = 0;

	/* a Marker Response is counted, never answered */
	lacp_pdu_build_marker(s->buf, true, 0x4321, sys, 0x01020304);
	lacp_rx(&sp->lp, s->buf, LACP_PDU_LEN, s->now);
	KUNIT_EXPECT_EQ(test, sp->lp.stats.marker_resp_rx, 1ULL);
	KUNIT_EXPECT_EQ(test, sp->lp.stats.marker_tx, 1ULL);
	KUNIT_EXPECT_EQ(test, sp->nq, 0);

	/* a malformed marker is an error, not answered */
	lacp_pdu_build_marker(s->buf, false, 1, sys, 2);
	s->buf[3] = 15;
	lacp_rx(&sp->lp, s->buf, LACP_PDU_LEN, s->now);
	KUNIT_EXPECT_EQ(test, sp->lp.stats.lacpdu_rx_errors, 1ULL);
	KUNIT_EXPECT_EQ(test, sp->lp.stats.marker_rx, 1ULL);
	KUNIT_EXPECT_EQ(test, sp->nq, 0);
	KUNIT_EXPECT_EQ(test, sp->lp.stats.lacpdu_rx, 0ULL);
}

static void test_sm_fallback(struct kunit *test)
{
	struct sim *s = sim_new(test, 1, four);
	struct lacp_group *g = &s->sys[0].g;
	int j;

	sim_up_all(s);
	sim_run(s, 10000);
	for (j = 0; j < 4; j++)
		KUNIT_EXPECT_FALSE(test, LP(s, 0, j)->distributing);

	lacp_group_set_fallback(g, true, s->now);
	KUNIT_EXPECT_TRUE(test, LP(s, 0, 0)->distributing);
	KUNIT_EXPECT_TRUE(test, LP(s, 0, 0)->collecting);
	KUNIT_EXPECT_EQ(test, LP(s, 0, 0)->reason, LAG_PORT_REASON_NONE);
	KUNIT_EXPECT_EQ(test, SP(s, 0, 0)->changed, 1);
	for (j = 1; j < 4; j++) {
		KUNIT_EXPECT_FALSE(test, LP(s, 0, j)->collecting);
		KUNIT_EXPECT_EQ(test, LP(s, 0, j)->reason,
				LAG_PORT_REASON_DEFAULTED);
	}
	sim_run(s, 10000);
	KUNIT_EXPECT_TRUE(test, LP(s, 0, 0)->distributing);

	/* the lowest enabled eligible port takes over */
	sim_link(s, 0, 0, false);
	KUNIT_EXPECT_FALSE(test, LP(s, 0, 0)->distributing);
	KUNIT_EXPECT_EQ(test, LP(s, 0, 0)->reason, LAG_PORT_REASON_DOWN);
	KUNIT_EXPECT_TRUE(test, LP(s, 0, 1)->distributing);
	lacp_port_set_eligible(LP(s, 0, 1), false, s->now);
	KUNIT_EXPECT_FALSE(test, LP(s, 0, 1)->distributing);
	KUNIT_EXPECT_EQ(test, LP(s, 0, 1)->reason, LAG_PORT_REASON_SPEED);
	KUNIT_EXPECT_TRUE(test, LP(s, 0, 2)->distributing);

	/* a partner speaks on port 4: normal selection at once */
	fake_rx(s, LP(s, 0, 3), ST_UP);
	KUNIT_EXPECT_TRUE(test, lacp_group_has_partner(g));
	KUNIT_EXPECT_FALSE(test, LP(s, 0, 2)->distributing);
	KUNIT_EXPECT_EQ(test, LP(s, 0, 2)->reason, LAG_PORT_REASON_DEFAULTED);
	KUNIT_EXPECT_FALSE(test, LP(s, 0, 3)->distributing);
	sim_run(s, LACP_AGG_WAIT_MS);
	KUNIT_EXPECT_TRUE(test, LP(s, 0, 3)->distributing);
	KUNIT_EXPECT_FALSE(test, LP(s, 0, 2)->distributing);

	/* the partner goes silent: defaulted again, fallback again */
	sim_run(s, LACP_LONG_TIMEOUT_MS + LACP_SHORT_TIMEOUT_MS);
	KUNIT_EXPECT_FALSE(test, lacp_group_has_partner(g));
	KUNIT_EXPECT_TRUE(test, LP(s, 0, 2)->distributing);
	KUNIT_EXPECT_FALSE(test, LP(s, 0, 3)->distributing);

	/* fallback off: nothing distributes */
	lacp_group_set_fallback(g, false, s->now);
	for (j = 0; j < 4; j++)
		KUNIT_EXPECT_FALSE(test, LP(s, 0, j)->distributing);
	KUNIT_EXPECT_EQ(test, LP(s, 0, 2)->reason, LAG_PORT_REASON_DEFAULTED);
}

static void test_sm_speed(struct kunit *test)
{
	struct sim *s = sim_new(test, 2, two_two);
	struct lacp_port *a1 = LP(s, 0, 1);

	sim_wire(s, 0, 0, 1, 0);
	sim_wire(s, 0, 1, 1, 1);
	lacp_port_set_eligible(a1, false, s->now);
	sim_up_all(s);
	sim_run(s, 30000);
	KUNIT_EXPECT_TRUE(test, LP(s, 0, 0)->distributing);
	KUNIT_EXPECT_TRUE(test, LP(s, 1, 0)->distributing);
	KUNIT_EXPECT_FALSE(test, a1->collecting);
	KUNIT_EXPECT_EQ(test, a1->reason, LAG_PORT_REASON_SPEED);
	KUNIT_EXPECT_EQ(test, a1->selected, LACP_UNSELECTED);
	KUNIT_EXPECT_EQ(test, a1->rx_state, LACP_RX_CURRENT);
	KUNIT_EXPECT_FALSE(test, LP(s, 1, 1)->distributing);
	KUNIT_EXPECT_EQ(test, LP(s, 1, 1)->reason, LAG_PORT_REASON_SYNC);

	lacp_port_set_eligible(a1, true, s->now);
	KUNIT_EXPECT_GE(test, sim_run_until(s, pred_all_dist, NULL, 5000), 0);
	KUNIT_EXPECT_EQ(test, a1->agg_id, 1);

	/* ineligible again: detached, and the partner is told at once */
	sim_run(s, 5000);
	lacp_port_set_eligible(a1, false, s->now);
	sim_deliver(s);
	KUNIT_EXPECT_EQ(test, a1->mux_state, LAG_MUX_DETACHED);
	KUNIT_EXPECT_FALSE(test, LP(s, 1, 1)->partner.state & ST_SYNC);
	KUNIT_EXPECT_FALSE(test, LP(s, 1, 1)->distributing);
	KUNIT_EXPECT_TRUE(test, LP(s, 1, 0)->distributing);
}

static void test_sm_bad_rx(struct kunit *test)
{
	struct sim *s = sim_new(test, 1, one);
	struct lacp_port *p = LP(s, 0, 0);
	struct lacp_port *copy = kunit_kzalloc(test, sizeof(*copy),
					       GFP_KERNEL);
	u8 *buf = pdu_buf(test, LACP_PDU_LEN);
	u64 errors = 0;
	size_t len;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, copy);
	sim_up_all(s);
	fake_rx(s, p, ST_UP);
	sim_run(s, LACP_AGG_WAIT_MS);
	KUNIT_ASSERT_TRUE(test, p->distributing);

	*copy = *p;
	/* truncated LACPDUs */
	lacp_pdu_build_lacpdu(buf, &p->partner, &p->actor, 0);
	buf[20] ^= 0x55;	/* would change nothing... */
	buf[18] = 0;		/* ...but partner out of sync would */
	for (len = 0; len < LACP_PDU_LEN; len++) {
		lacp_rx(p, buf, len, s->now);
		errors++;
	}
	/* wrong TLV type, wrong length, version 0 */
	buf[2] = 9;
	lacp_rx(p, buf, LACP_PDU_LEN, s->now);
	buf[2] = 1;
	buf[43] = 17;
	lacp_rx(p, buf, LACP_PDU_LEN, s->now);
	buf[43] = 16;
	buf[1] = 0;
	lacp_rx(p, buf, LACP_PDU_LEN, s->now);
	errors += 3;

	KUNIT_EXPECT_EQ(test, p->stats.lacpdu_rx_errors, errors);
	copy->stats.lacpdu_rx_errors = errors;
	KUNIT_EXPECT_EQ(test, memcmp(copy, p, sizeof(*p)), 0);
	KUNIT_EXPECT_TRUE(test, p->distributing);

	/* the well-formed version of that PDU does take effect */
	buf[1] = 1;
	lacp_rx(p, buf, LACP_PDU_LEN, s->now);
	KUNIT_EXPECT_FALSE(test, p->distributing);
	KUNIT_EXPECT_EQ(test, p->stats.lacpdu_rx, copy->stats.lacpdu_rx + 1);
}

static struct kunit_case lacp_pdu_cases[] = {
	KUNIT_CASE(test_pdu_lacpdu_layout),
	KUNIT_CASE(test_pdu_truncated),
	KUNIT_CASE(test_pdu_bad_tlv),
	KUNIT_CASE(test_pdu_version),
	KUNIT_CASE(test_pdu_marker),
	KUNIT_CASE(test_pdu_unknown_subtype),
	KUNIT_CASE(test_speed_and_key),
	{}
};

static struct kunit_suite lacp_pdu_suite = {
	.name = "lacp_pdu",
	.test_cases = lacp_pdu_cases,
};

static struct kunit_case lacp_sm_cases[] = {
	KUNIT_CASE(test_sm_add_del),
	KUNIT_CASE(test_sm_two_ends),
	KUNIT_CASE(test_sm_mux_transitions),
	KUNIT_CASE(test_sm_matched),
	KUNIT_CASE(test_sm_rx_transitions),
	KUNIT_CASE(test_sm_timeout_fast),
	KUNIT_CASE(test_sm_timeout_slow),
	KUNIT_CASE(test_sm_defaulted),
	KUNIT_CASE(test_sm_periodic),
	KUNIT_CASE(test_sm_passive),
	KUNIT_CASE(test_sm_passive_orders),
	KUNIT_CASE(test_sm_passive_answer),
	KUNIT_CASE(test_sm_passive_told),
	KUNIT_CASE(test_sm_individual),
	KUNIT_CASE(test_sm_two_partners),
	KUNIT_CASE(test_sm_agg_choice),
	KUNIT_CASE(test_sm_agg_select),
	KUNIT_CASE(test_sm_agg_select_change),
	KUNIT_CASE(test_sm_leave),
	KUNIT_CASE(test_sm_leave_passive),
	KUNIT_CASE(test_sm_group_down),
	KUNIT_CASE(test_sm_churn),
	KUNIT_CASE(test_sm_loop),
	KUNIT_CASE(test_sm_rate_change),
	KUNIT_CASE(test_sm_tx_limit),
	KUNIT_CASE(test_sm_marker),
	KUNIT_CASE(test_sm_marker_limit),
	KUNIT_CASE(test_sm_fallback),
	KUNIT_CASE(test_sm_speed),
	KUNIT_CASE(test_sm_bad_rx),
	{}
};

static struct kunit_suite lacp_sm_suite = {
	.name = "lacp_sm",
	.test_cases = lacp_sm_cases,
};

/* MODULE_LICENSE and MODULE_IMPORT_NS are in tests/kunit/module.c */
kunit_test_suites(&lacp_pdu_suite, &lacp_sm_suite);

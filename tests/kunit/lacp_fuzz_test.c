// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit fuzz suite for the LACP core (suite lacp_fuzz): lacp_pdu_parse()
 * against an independent reference classifier, and lacp_rx() with the
 * machines of two groups of four ports wired port to port, on virtual time,
 * fed a corpus of known-bad PDUs and 100,000 random and mutated ones from a
 * fixed seed. After every PDU the invariants are checked: the counters
 * match what was delivered, a malformed, unknown or Marker PDU changes
 * nothing but its counters, every state is within its enum, no port sends
 * more than LACP_TX_MAX_PER_FAST LACPDUs in LACP_FAST_PERIODIC_MS, and only
 * ports of the active aggregator distribute. Afterwards the groups must
 * return to all eight ports distributing once only valid PDUs flow.
 *
 * Inputs are placed at the very end of a kmalloc'ed buffer so that KASAN
 * reports any read beyond the length given.
 */

#include <kunit/test.h>
#include <linux/etherdevice.h>
#include <linux/prandom.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "lacp.h"

#define FZ_SEED		0x1ac9f022ULL
#define FZ_PDUS		100000		/* through lacp_rx() and the machines */
#define FZ_PARSE	100000		/* through lacp_pdu_parse() alone */
#define FZ_BUF		2048		/* largest fuzzed PDU */
#define FZ_PORTS	LAG_MAX_PORTS
#define FZ_QUEUE	32
#define FZ_RECOVER_MS	120000		/* virtual time allowed to recover */

/* what an input is, according to the reference classifier */
enum fz_class {
	FZ_MALFORMED,
	FZ_UNKNOWN,
	FZ_LACPDU,
	FZ_MARKER_INFO,
	FZ_MARKER_RESP,
};

struct fz;

/* what the test keeps about a port, outside the state it snapshots */
struct fz_side {
	u8 q[FZ_QUEUE][LACP_PDU_LEN];	/* sent, not yet delivered */
	int nq;
	u64 tx_times[LACP_TX_MAX_PER_FAST];	/* ring of LACPDU send times */
	int tx_n;			/* LACPDUs sent */
	u64 resp_sent;			/* Marker Responses sent */
	u64 resp_times[LACP_MARKER_RESP_MAX];	/* ring of their send times */
	struct lacp_port_stats want;	/* counters it should have */
};

struct fz_sys {
	struct lacp_group g;
	struct lacp_port p[FZ_PORTS];
	struct fz *fz;
	int s;
};

struct fz {
	struct kunit *test;
	u64 now;
	struct fz_sys sys[2];
	struct fz_sys snap[2];		/* copy taken before a PDU */
	unsigned long marker_answered;	/* Marker PDUs answered */
	unsigned long marker_limited;	/* and left unanswered by the limit */
	struct fz_side side[2][FZ_PORTS];
	u8 *buf;			/* FZ_BUF bytes, inputs at its end */
	u8 *big;			/* for oversized frames */
	size_t big_len;
	unsigned long rate_err;		/* LACPDUs sent over the limit */
	unsigned long inv_err;		/* invariant violations */
	unsigned long oracle_err;	/* parse verdict != reference */
	unsigned long class_count[FZ_MARKER_RESP + 1];
	struct rnd_state rnd;
};

static const u8 fz_mac[2][ETH_ALEN] = {
	{ 0x02, 0x00, 0x00, 0x00, 0xaa, 0x01 },
	{ 0x02, 0x00, 0x00, 0x00, 0xbb, 0x02 },
};

static u32 fz_rand(struct fz *f, u32 n)
{
	return n ? prandom_u32_state(&f->rnd) % n : 0;
}

/* ---- the reference classifier (802.1AX 6.4.2, 6.5.3; see lacp.h) ---- */

static enum fz_class fz_classify(const u8 *b, size_t len)
{
	size_t off;

	if (len < 1)
		return FZ_MALFORMED;
	if (b[0] != LACP_SUBTYPE_LACP && b[0] != LACP_SUBTYPE_MARKER)
		return FZ_UNKNOWN;
	if (len < LACP_PDU_LEN || b[1] == 0)
		return FZ_MALFORMED;
	if (b[0] == LACP_SUBTYPE_MARKER) {
		if (b[2] != LACP_MARKER_INFO && b[2] != LACP_MARKER_RESPONSE)
			return FZ_MALFORMED;
		if (b[3] != 16 || b[18] != 0 || b[19] != 0)
			return FZ_MALFORMED;
		return b[2] == LACP_MARKER_INFO ? FZ_MARKER_INFO :
						   FZ_MARKER_RESP;
	}
	if (b[2] != 1 || b[3] != 20 || b[22] != 2 || b[23] != 20 ||
	    b[42] != 3 || b[43] != 16)
		return FZ_MALFORMED;
	off = 58;
	/* a later version may add TLVs (type > 3, length >= 2) before the end */
	while (b[1] > 1 && off + 2 <= len && b[off] != 0) {
		if (b[off] <= 3 || b[off + 1] < 2 || off + b[off + 1] > len)
			return FZ_MALFORMED;
		off += b[off + 1];
	}
	if (off + 2 > len || b[off] != 0 || b[off + 1] != 0)
		return FZ_MALFORMED;
	return FZ_LACPDU;
}

static int fz_class_errno(enum fz_class c)
{
	switch (c) {
	case FZ_MALFORMED:
		return -EINVAL;
	case FZ_UNKNOWN:
		return -EPROTONOSUPPORT;
	default:
		return 0;
	}
}

/* ---- the two systems ---- */

static struct fz_side *fz_side_of(struct lacp_port *lp, struct fz **fp,
				  int *sp, int *ip)
{
	struct fz_sys *fs = lp->group->priv;
	int i = lp - fs->p;

	*fp = fs->fz;
	*sp = fs->s;
	*ip = i;
	return &fs->fz->side[fs->s][i];
}

static void fz_check_rate(struct fz *f, struct fz_side *sd, int s, int i)
{
	int oldest = sd->tx_n % LACP_TX_MAX_PER_FAST;

	if (sd->tx_n >= LACP_TX_MAX_PER_FAST &&
	    f->now < sd->tx_times[oldest] + LACP_FAST_PERIODIC_MS) {
		if (!f->rate_err)
			kunit_info(f->test, "sys %d port %d: LACPDU at %llu, 3 since %llu\n",
				   s, i, f->now, sd->tx_times[oldest]);
		f->rate_err++;
	}
	sd->tx_times[oldest] = f->now;
	sd->tx_n++;
}

static int fz_tx(struct lacp_port *lp, const u8 *pdu, size_t len)
{
	struct fz *f;
	int s, i;
	struct fz_side *sd = fz_side_of(lp, &f, &s, &i);

	if (len != LACP_PDU_LEN || sd->nq >= FZ_QUEUE) {
		f->inv_err++;
		return -ENOBUFS;
	}
	if (pdu[0] == LACP_SUBTYPE_LACP)
		fz_check_rate(f, sd, s, i);
	else
		sd->resp_sent++;
	memcpy(sd->q[sd->nq++], pdu, LACP_PDU_LEN);
	return 0;
}

static void fz_changed(struct lacp_port *lp)
{
}

static const struct lacp_ops fz_ops = {
	.tx = fz_tx,
	.changed = fz_changed,
};

static bool fz_agg_exists(const struct lacp_group *g, u16 id)
{
	int i;

	for (i = 0; id && i < LAG_MAX_PORTS; i++)
		if (g->aggs[i].id == id)
			return true;
	return false;
}

/* Every invariant of one system; returns the number violated. */
static int fz_check_sys(struct fz *f, int s)
{
	const struct lacp_group *g = &f->sys[s].g;
	int i, bad = 0;

#define FZ_INV(cond) do {						\
		if (!(cond)) {						\
			if (!f->inv_err && !bad)			\
				kunit_info(f->test, "sys %d port %d: %s\n", \
					   s, i, #cond);		\
			bad++;						\
		}							\
	} while (0)

	for (i = 0; i < FZ_PORTS; i++) {
		const struct fz_side *sd = &f->side[s][i];
		const struct lacp_port *p = &f->sys[s].p[i];

		FZ_INV(g->ports[i] == p);
		FZ_INV((unsigned int)p->rx_state <= LACP_RX_CURRENT);
		FZ_INV((unsigned int)p->mux_state <= LAG_MUX_DISTRIBUTING);
		/* TX is transient: never left standing */
		FZ_INV((unsigned int)p->periodic_state <= LACP_PERIODIC_SLOW);
		FZ_INV((unsigned int)p->actor_churn_state <= LACP_CHURN);
		FZ_INV((unsigned int)p->partner_churn_state <= LACP_CHURN);
		FZ_INV((unsigned int)p->selected <= LACP_STANDBY);
		FZ_INV((unsigned int)p->reason < __LAG_PORT_REASON_MAX);
		FZ_INV(p->lacpdu_window.count <= LACP_TX_MAX_PER_FAST);
		FZ_INV(p->marker_window.count <= LACP_MARKER_RESP_MAX);
		FZ_INV(!p->distributing || p->collecting);
		FZ_INV((p->reason == LAG_PORT_REASON_NONE) == p->distributing);
		FZ_INV(!p->fallback);	/* fallback is off here */
		FZ_INV(!p->distributing ||
		       (p->mux_state == LAG_MUX_DISTRIBUTING &&
			p->selected == LACP_SELECTED && p->agg_id &&
			p->agg_id == g->active_agg &&
			fz_agg_exists(g, p->agg_id)));
		FZ_INV(!p->collecting || p->mux_state >= LAG_MUX_COLLECTING);
		FZ_INV(!p->agg_id || fz_agg_exists(g, p->agg_id));
		FZ_INV(!p->port_enabled ? !p->collecting : true);
		FZ_INV(!!(p->actor.state & LACP_STATE_DISTRIBUTING) ==
		       (p->mux_state == LAG_MUX_DISTRIBUTING));
		FZ_INV(p->stats.lacpdu_rx == sd->want.lacpdu_rx);
		FZ_INV(p->stats.lacpdu_rx_errors == sd->want.lacpdu_rx_errors);
		FZ_INV(p->stats.marker_rx == sd->want.marker_rx);
		FZ_INV(p->stats.marker_resp_rx == sd->want.marker_resp_rx);
		FZ_INV(p->stats.unknown_rx == sd->want.unknown_rx);
		FZ_INV(p->stats.marker_rx_dropped == sd->want.marker_rx_dropped);
		FZ_INV(p->stats.lacpdu_tx == (u64)sd->tx_n);
		FZ_INV(p->stats.marker_tx == sd->resp_sent);
	}
	i = -1;
	FZ_INV(!g->active_agg || fz_agg_exists(g, g->active_agg));
#undef FZ_INV
	return bad;
}

static void fz_check(struct fz *f)
{
	f->inv_err += fz_check_sys(f, 0) + fz_check_sys(f, 1);
}

/*
 * Deliver @len bytes at @pdu to port @idx of system @s, the way the glue
 * does, and check what it did against the reference classifier.
 */
static void fz_rx(struct fz *f, int s, int idx, const u8 *pdu, size_t len)
{
	struct fz_side *sd = &f->side[s][idx];
	struct lacp_port *p = &f->sys[s].p[idx];
	enum fz_class c = fz_classify(pdu, len);
	u64 resp_before = sd->resp_sent;
	bool stateless = c != FZ_LACPDU;
	unsigned int oldest = sd->resp_sent % LACP_MARKER_RESP_MAX;
	/*
	 * Answered while the member has carrier, unless LACP_MARKER_RESP_MAX
	 * responses went out in the last second (802.3 Annex 57A).
	 */
	bool limited = sd->resp_sent >= LACP_MARKER_RESP_MAX &&
		       f->now < sd->resp_times[oldest] + LACP_MARKER_WINDOW_MS;
	bool answer = c == FZ_MARKER_INFO && p->port_enabled && !limited;

	f->class_count[c]++;
	if (stateless)
		memcpy(f->snap, f->sys, sizeof(f->snap));

	lacp_rx(p, pdu, len, f->now);

	switch (c) {
	case FZ_MALFORMED:
		sd->want.lacpdu_rx_errors++;
		break;
	case FZ_UNKNOWN:
		sd->want.unknown_rx++;
		break;
	case FZ_LACPDU:
		sd->want.lacpdu_rx++;
		break;
	case FZ_MARKER_INFO:
		sd->want.marker_rx++;
		if (p->port_enabled && limited) {
			sd->want.marker_rx_dropped++;
			f->marker_limited++;
		}
		f->marker_answered += answer;
		break;
	case FZ_MARKER_RESP:
		sd->want.marker_resp_rx++;
		break;
	}
	/* a Marker Information PDU is answered at once, with its fields */
	if (sd->resp_sent != resp_before + answer ||
	    (answer && (sd->q[sd->nq - 1][2] != LACP_MARKER_RESPONSE ||
			memcmp(sd->q[sd->nq - 1] + 4, pdu + 4, 12)))) {
		if (!f->inv_err)
			kunit_info(f->test, "sys %d port %d: Marker Responses %llu -> %llu\n",
				   s, idx, resp_before, sd->resp_sent);
		f->inv_err++;
	}

	if (answer && sd->resp_sent == resp_before + 1)
		sd->resp_times[oldest] = f->now;

	if (stateless) {
		/*
		 * Nothing but counters and the Marker Response limiter may
		 * change: copy them over, compare.
		 */
		f->snap[s].p[idx].stats = p->stats;
		memcpy(&f->snap[s].p[idx].marker_window, &p->marker_window,
		       sizeof(p->marker_window));
		if (memcmp(f->snap, f->sys, sizeof(f->snap))) {
			if (!f->inv_err)
				kunit_info(f->test, "class %d PDU (len %zu) changed state: %*ph\n",
					   c, len, (int)min_t(size_t, len, 64),
					   pdu);
			f->inv_err++;
		}
	}
	fz_check(f);
}

/* Deliver what the systems sent, to the port at the other end. */
static void fz_deliver(struct fz *f)
{
	u8 pdu[LACP_PDU_LEN];
	int budget = 1000, s, i;
	bool more = true;

	while (more && budget-- > 0) {
		more = false;
		for (s = 0; s < 2; s++) {
			for (i = 0; i < FZ_PORTS; i++) {
				struct fz_side *sd = &f->side[s][i];

				if (!sd->nq)
					continue;
				memcpy(pdu, sd->q[0], LACP_PDU_LEN);
				sd->nq--;
				memmove(sd->q[0], sd->q[1],
					sd->nq * LACP_PDU_LEN);
				/* a port without carrier hears nothing */
				if (f->sys[!s].p[i].port_enabled &&
				    f->sys[s].p[i].port_enabled)
					fz_rx(f, !s, i, pdu, LACP_PDU_LEN);
				more = true;
			}
		}
	}
	KUNIT_EXPECT_GT(f->test, budget, 0);
}

static void fz_step(struct fz *f)
{
	f->now += LACP_TICK_MS;
	lacp_tick(&f->sys[0].g, f->now);
	lacp_tick(&f->sys[1].g, f->now);
	fz_check(f);
	fz_deliver(f);
}

static bool fz_all_dist(struct fz *f)
{
	int s, i;

	for (s = 0; s < 2; s++)
		for (i = 0; i < FZ_PORTS; i++)
			if (!f->sys[s].p[i].distributing)
				return false;
	return true;
}

/* Run until all eight ports distribute; return the virtual ms taken. */
static s64 fz_run_until_all_dist(struct fz *f, u64 max)
{
	u64 start = f->now;

	while (!fz_all_dist(f)) {
		if (f->now - start >= max)
			return -1;
		fz_step(f);
	}
	return f->now - start;
}

/* Carrier of port @i of both systems (a cable pulled or plugged). */
static void fz_link(struct fz *f, int i, bool up)
{
	lacp_port_set_link(&f->sys[0].p[i], up, 10000, true, f->now);
	lacp_port_set_link(&f->sys[1].p[i], up, 10000, true, f->now);
	fz_check(f);
	fz_deliver(f);
}

static struct fz *fz_new(struct kunit *test, bool fast)
{
	struct fz *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	int s, i;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, f);
	f->test = test;
	f->now = 1000;
	prandom_seed_state(&f->rnd, FZ_SEED);
	f->buf = kunit_kmalloc(test, FZ_BUF, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, f->buf);

	for (s = 0; s < 2; s++) {
		struct fz_sys *fs = &f->sys[s];

		fs->fz = f;
		fs->s = s;
		lacp_group_init(&fs->g, &fz_ops, fs);
		lacp_group_set_system(&fs->g, fz_mac[s], f->now);
		lacp_group_set_fast(&fs->g, fast, f->now);
		for (i = 0; i < FZ_PORTS; i++)
			KUNIT_ASSERT_EQ(test, lacp_port_add(&fs->g, &fs->p[i],
							    i + 1, f->now), 0);
	}
	for (i = 0; i < FZ_PORTS; i++)
		fz_link(f, i, true);
	KUNIT_ASSERT_GE(test, fz_run_until_all_dist(f, 20000), 0);
	KUNIT_ASSERT_EQ(test, f->inv_err, 0UL);
	return f;
}

/* Feed @len bytes (copied to the end of f->buf) to system 0, port @idx. */
static void fz_feed(struct fz *f, int idx, const u8 *pdu, size_t len)
{
	u8 *at = f->buf + FZ_BUF - len;

	if (pdu != at)
		memmove(at, pdu, len);
	fz_rx(f, 0, idx, at, len);
	fz_deliver(f);
}

static void fz_end(struct fz *f, const char *what)
{
	s64 t;

	KUNIT_EXPECT_EQ_MSG(f->test, f->inv_err, 0UL, "%s: invariants", what);
	KUNIT_EXPECT_EQ_MSG(f->test, f->rate_err, 0UL, "%s: LACPDU rate", what);
	KUNIT_EXPECT_EQ_MSG(f->test, f->oracle_err, 0UL, "%s: parse verdicts",
			    what);
	t = fz_run_until_all_dist(f, FZ_RECOVER_MS);
	KUNIT_EXPECT_GE_MSG(f->test, t, 0, "%s: all distributing again", what);
	kunit_info(f->test, "%s: malformed %lu unknown %lu lacpdu %lu marker %lu (answered %lu, over the limit %lu) response %lu; recovered in %lld ms\n",
		   what, f->class_count[FZ_MALFORMED],
		   f->class_count[FZ_UNKNOWN], f->class_count[FZ_LACPDU],
		   f->class_count[FZ_MARKER_INFO], f->marker_answered,
		   f->marker_limited, f->class_count[FZ_MARKER_RESP], t);
	KUNIT_EXPECT_EQ(f->test, f->inv_err, 0UL);
	KUNIT_EXPECT_EQ(f->test, f->rate_err, 0UL);
}

/* ---- PDU builders ---- */

static void fz_lacpdu(u8 *b, const struct lacp_info *a,
		      const struct lacp_info *p)
{
	lacp_pdu_build_lacpdu(b, a, p, 0);
}

/* An LACPDU as system 1's port @idx would send it now. */
static void fz_partner_lacpdu(struct fz *f, int idx, u8 *b)
{
	const struct lacp_port *p = &f->sys[1].p[idx];

	fz_lacpdu(b, &p->actor, &p->partner);
}

static void fz_marker(u8 *b, bool resp, u16 port, u32 tid)
{
	static const u8 sys[ETH_ALEN] = { 0x02, 0x12, 0x34, 0x56, 0x78, 0x9a };

	lacp_pdu_build_marker(b, resp, port, sys, tid);
}

/* ---- lacp_fuzz cases ---- */

/* lacp_pdu_parse() against the reference classifier, random inputs */
static void lacp_fuzz_parse(struct kunit *test)
{
	struct rnd_state rnd;
	u8 *buf = kunit_kmalloc(test, FZ_BUF, GFP_KERNEL);
	u8 tmpl[LACP_PDU_LEN];
	struct lacp_info a = { .sys_prio = 1, .key = 2, .port_prio = 3,
			       .port = 4, .state = 0x3d };
	unsigned long n[FZ_MARKER_RESP + 1] = {}, bad = 0;
	struct lacp_pdu out;
	int i, k;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	prandom_seed_state(&rnd, FZ_SEED ^ 1);
	for (i = 0; i < FZ_PARSE; i++) {
		u32 r = prandom_u32_state(&rnd);
		size_t len = prandom_u32_state(&rnd) % FZ_BUF;
		u8 *b;
		int err;
		enum fz_class c;

		if (r % 4 == 0)
			len %= 160;
		b = buf + FZ_BUF - len;
		if (r % 3 == 0) {
			prandom_bytes_state(&rnd, b, len);
		} else {
			if ((r >> 8) & 1)
				fz_lacpdu(tmpl, &a, &a);
			else
				fz_marker(tmpl, (r >> 9) & 1, 7, r);
			if (len < LACP_PDU_LEN + 40 && (r >> 10) % 4)
				len = LACP_PDU_LEN + (r >> 12) % 40;
			b = buf + FZ_BUF - len;
			memset(b, 0, len);
			memcpy(b, tmpl, min_t(size_t, len, LACP_PDU_LEN));
			/* a few byte mutations, biased to the TLV headers */
			for (k = (r >> 16) % 5; k > 0 && len; k--) {
				u32 m = prandom_u32_state(&rnd);
				size_t at = m & 1 ? (m >> 1) % min_t(size_t, len, 64) :
						     (m >> 1) % len;

				b[at] = m & 2 ? (u8)(m >> 8) : b[at] ^ BIT((m >> 8) % 8);
			}
			/* a later version with extension TLVs */
			if ((r >> 20) % 8 == 0 && len > 62) {
				b[1] = 2 + (r >> 23) % 254;
				b[58] = 4 + (r >> 24) % 250;
				b[59] = (r >> 26) % 2 ? 2 : (u8)prandom_u32_state(&rnd);
			}
		}
		c = fz_classify(b, len);
		n[c]++;
		err = lacp_pdu_parse(b, len, &out);
		if (err != fz_class_errno(c)) {
			if (!bad)
				kunit_info(test, "input %d len %zu: parse %d, reference %d: %*ph\n",
					   i, len, err, fz_class_errno(c),
					   (int)min_t(size_t, len, 64), b);
			bad++;
			continue;
		}
		if (err)
			continue;
		if (out.subtype != b[0] || out.version != b[1])
			bad++;
		if (c == FZ_LACPDU &&
		    (out.actor.state != b[18] || out.partner.state != b[38] ||
		     memcmp(out.actor.system, b + 6, ETH_ALEN) ||
		     out.actor.port != (b[16] << 8 | b[17])))
			bad++;
		if (c != FZ_LACPDU && (out.marker_type != b[2] ||
				       out.marker_port != (b[4] << 8 | b[5]) ||
				       memcmp(out.marker_system, b + 6, ETH_ALEN)))
			bad++;
	}
	kunit_info(test, "parsed %d: malformed %lu unknown %lu lacpdu %lu marker %lu response %lu\n",
		   FZ_PARSE, n[FZ_MALFORMED], n[FZ_UNKNOWN], n[FZ_LACPDU],
		   n[FZ_MARKER_INFO], n[FZ_MARKER_RESP]);
	KUNIT_EXPECT_EQ(test, bad, 0UL);
	/* the generator reaches every class, so the comparison means something */
	for (k = 0; k <= FZ_MARKER_RESP; k++)
		KUNIT_EXPECT_GT(test, n[k], 1000UL);
}

/* Mutate a buffer of known class for one test of the corpus. */
static void fz_corpus_one(struct fz *f, int idx, const u8 *b, size_t len,
			  enum fz_class want)
{
	u8 *at = f->buf + FZ_BUF - len;
	struct lacp_pdu out;

	memmove(at, b, len);
	KUNIT_EXPECT_EQ_MSG(f->test, fz_classify(at, len), want,
			    "corpus len %zu: %*ph", len,
			    (int)min_t(size_t, len, 64), at);
	if (lacp_pdu_parse(at, len, &out) != fz_class_errno(want))
		f->oracle_err++;
	fz_feed(f, idx, at, len);
}

/* The corpus of known-bad PDUs, through lacp_rx() and the machines. */
static void lacp_fuzz_corpus(struct kunit *test)
{
	static const u8 unknown[] = { 0, 3, 4, 5, 6, 7, 8, 9, 10, 0x80, 0xff };
	struct fz *f = fz_new(test, true);
	u8 *b = kunit_kzalloc(test, FZ_BUF, GFP_KERNEL);
	struct lacp_info zero = {}, own;
	size_t len;
	int i, v;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, b);

	/* truncated at every length: LACPDU and Marker PDU */
	for (len = 0; len < LACP_PDU_LEN; len++) {
		fz_partner_lacpdu(f, len % FZ_PORTS, b);
		fz_corpus_one(f, len % FZ_PORTS, b, len, FZ_MALFORMED);
		fz_marker(b, false, 1, len);
		fz_corpus_one(f, len % FZ_PORTS, b, len, FZ_MALFORMED);
	}

	/* every TLV length 0 and 255 */
	for (v = 0; v < 2; v++) {
		static const int lacp_tlv[] = { 3, 23, 43, 59 };
		u8 l = v ? 255 : 0;

		for (i = 0; i < ARRAY_SIZE(lacp_tlv); i++) {
			fz_partner_lacpdu(f, i, b);
			b[lacp_tlv[i]] = l;
			fz_corpus_one(f, i, b, LACP_PDU_LEN,
				      lacp_tlv[i] == 59 && !l ? FZ_LACPDU :
							     FZ_MALFORMED);
		}
		fz_marker(b, false, 2, 3);
		b[3] = l;
		fz_corpus_one(f, 0, b, LACP_PDU_LEN, FZ_MALFORMED);
		fz_marker(b, true, 2, 3);
		b[19] = l;
		fz_corpus_one(f, 1, b, LACP_PDU_LEN,
			      l ? FZ_MALFORMED : FZ_MARKER_RESP);
		/* a version-2 extension TLV of length 0 (no progress), 1, 255 */
		fz_partner_lacpdu(f, 2, b);
		b[1] = 2;
		b[58] = 9;
		b[59] = l;
		memset(b + LACP_PDU_LEN, 0, 400);
		fz_corpus_one(f, 2, b, LACP_PDU_LEN, FZ_MALFORMED);
		/* 255 fits in a longer frame, then the Terminator: valid */
		fz_corpus_one(f, 2, b, 58 + 255 + 2,
			      l ? FZ_LACPDU : FZ_MALFORMED);
		b[59] = 1;
		fz_corpus_one(f, 2, b, 400, FZ_MALFORMED);
		/* a version-1 TLV type repeated as an extension */
		b[58] = 1;
		b[59] = 20;
		fz_corpus_one(f, 2, b, 400, FZ_MALFORMED);
	}

	/* versions 0 and 0xff */
	for (i = 0; i < FZ_PORTS; i++) {
		fz_partner_lacpdu(f, i, b);
		b[1] = 0;
		fz_corpus_one(f, i, b, LACP_PDU_LEN, FZ_MALFORMED);
		b[1] = 0xff;
		fz_corpus_one(f, i, b, LACP_PDU_LEN, FZ_LACPDU);
		fz_marker(b, false, 9, i);
		b[1] = 0;
		fz_corpus_one(f, i, b, LACP_PDU_LEN, FZ_MALFORMED);
		b[1] = 0xff;
		fz_corpus_one(f, i, b, LACP_PDU_LEN, FZ_MARKER_INFO);
	}
	KUNIT_EXPECT_GE(test, fz_run_until_all_dist(f, FZ_RECOVER_MS), 0);

	/* our own LACPDUs looped back: never aggregated with ourselves */
	for (i = 0; i < 2; i++) {
		own = f->sys[0].p[i].actor;
		fz_lacpdu(b, &own, i ? &f->sys[0].p[i].partner : &own);
		memmove(f->buf + FZ_BUF - LACP_PDU_LEN, b, LACP_PDU_LEN);
		fz_rx(f, 0, i, f->buf + FZ_BUF - LACP_PDU_LEN, LACP_PDU_LEN);
		KUNIT_EXPECT_FALSE(test, f->sys[0].p[i].distributing);
		KUNIT_EXPECT_EQ(test, f->sys[0].p[i].reason, LAG_PORT_REASON_LOOP);
		KUNIT_EXPECT_EQ(test, f->sys[0].p[i].selected, LACP_UNSELECTED);
		fz_deliver(f);
	}
	KUNIT_EXPECT_GE(test, fz_run_until_all_dist(f, FZ_RECOVER_MS), 0);

	/* all-zero IDs with every state bit set */
	zero.state = 0xff;
	for (i = 0; i < FZ_PORTS; i++) {
		fz_lacpdu(b, &zero, &zero);
		fz_corpus_one(f, i, b, LACP_PDU_LEN, FZ_LACPDU);
		fz_lacpdu(b, &zero, &f->sys[0].p[i].actor);
		fz_corpus_one(f, i, b, LACP_PDU_LEN, FZ_LACPDU);
	}
	/* all ports now see the same bogus partner; a new aggregator forms */
	for (i = 0; i < 50; i++)
		fz_step(f);
	KUNIT_EXPECT_GE(test, fz_run_until_all_dist(f, FZ_RECOVER_MS), 0);

	/* malformed Marker PDUs: TLV types 0 and 3..255, bad terminator */
	for (v = 0; v < 256; v++) {
		fz_marker(b, false, 3, v);
		b[2] = v;
		fz_corpus_one(f, v % FZ_PORTS, b, LACP_PDU_LEN,
			      v == 1 ? FZ_MARKER_INFO :
			      v == 2 ? FZ_MARKER_RESP : FZ_MALFORMED);
	}
	fz_marker(b, false, 3, 1);
	b[18] = 1;
	fz_corpus_one(f, 0, b, LACP_PDU_LEN, FZ_MALFORMED);
	fz_marker(b, false, 3, 1);
	b[2] = 1;
	b[3] = 20;		/* an LACP-sized TLV in a Marker PDU */
	fz_corpus_one(f, 0, b, LACP_PDU_LEN, FZ_MALFORMED);

	/* unsolicited Marker Responses: counted, never answered */
	for (i = 0; i < 100; i++) {
		fz_marker(b, true, i, i * 77);
		fz_corpus_one(f, i % FZ_PORTS, b, LACP_PDU_LEN, FZ_MARKER_RESP);
	}
	/* a burst of Marker Information: one Response each */
	for (i = 0; i < 100; i++) {
		fz_marker(b, false, i, ~i);
		fz_corpus_one(f, i % FZ_PORTS, b, LACP_PDU_LEN, FZ_MARKER_INFO);
	}

	/* unknown subtypes, short and long */
	for (i = 0; i < ARRAY_SIZE(unknown); i++) {
		fz_partner_lacpdu(f, 0, b);
		b[0] = unknown[i];
		fz_corpus_one(f, i % FZ_PORTS, b, 1, FZ_UNKNOWN);
		fz_corpus_one(f, i % FZ_PORTS, b, LACP_PDU_LEN, FZ_UNKNOWN);
		fz_corpus_one(f, i % FZ_PORTS, b, 1500, FZ_UNKNOWN);
	}

	/* oversized frames: valid PDUs with padding, up to 64 KiB */
	f->big_len = 65535;
	f->big = kunit_kmalloc(test, f->big_len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, f->big);
	for (v = 0; v < 3; v++) {
		static const size_t sizes[] = { 1500, 9000, 65535 };
		u8 *at = f->big + f->big_len - sizes[v];

		for (i = 0; i < FZ_PORTS; i++) {
			memset(at, 0xa5, sizes[v]);
			fz_partner_lacpdu(f, i, at);
			fz_rx(f, 0, i, at, sizes[v]);
			fz_deliver(f);
			fz_marker(at, false, i, v);
			fz_rx(f, 0, i, at, sizes[v]);
			fz_deliver(f);
		}
	}
	fz_end(f, "corpus");
	for (i = 0; i < FZ_PORTS; i++)
		KUNIT_EXPECT_EQ(test, f->sys[0].p[i].stats.lacpdu_rx_errors,
				f->side[0][i].want.lacpdu_rx_errors);
}

/* One random or mutated PDU in @b; returns its length. */
static size_t fz_gen(struct fz *f, u8 *b)
{
	u32 r = prandom_u32_state(&f->rnd);
	size_t len = LACP_PDU_LEN;
	int idx = fz_rand(f, FZ_PORTS), k;
	struct lacp_info a, p;

	switch (r % 8) {
	case 0:		/* random bytes, random length */
		len = fz_rand(f, FZ_BUF);
		prandom_bytes_state(&f->rnd, b, len);
		if (r & 0x100)
			b[0] = 1 + ((r >> 9) & 1);
		return len;
	case 1:		/* the real partner's, a few bytes mutated */
	case 2:
		fz_partner_lacpdu(f, idx, b);
		for (k = 1 + (r >> 3) % 4; k > 0; k--)
			b[fz_rand(f, 64)] ^= 1 << fz_rand(f, 8);
		break;
	case 3:		/* random information in a well-formed LACPDU */
		prandom_bytes_state(&f->rnd, &a, sizeof(a));
		prandom_bytes_state(&f->rnd, &p, sizeof(p));
		if (r & 0x100)	/* the real partner's system and key */
			memcpy(a.system, fz_mac[1], ETH_ALEN);
		if (r & 0x200)	/* our own system: a loop */
			memcpy(a.system, fz_mac[0], ETH_ALEN);
		if (r & 0x400)
			p = f->sys[0].p[idx].actor;
		fz_lacpdu(b, &a, &p);
		break;
	case 4:		/* the real partner's with a random state */
		fz_partner_lacpdu(f, idx, b);
		b[18] = r >> 24;
		break;
	case 5:		/* Marker PDUs, some mutated */
		fz_marker(b, r & 0x100, r >> 16, r);
		if (r & 0x200)
			b[fz_rand(f, 24)] = r >> 24;
		break;
	case 6:		/* truncated or padded */
		fz_partner_lacpdu(f, idx, b);
		len = fz_rand(f, LACP_PDU_LEN + 200);
		if (len > LACP_PDU_LEN)
			memset(b + LACP_PDU_LEN, r >> 24, len - LACP_PDU_LEN);
		break;
	case 7:		/* a later version with extension TLVs */
		fz_partner_lacpdu(f, idx, b);
		b[1] = 2 + fz_rand(f, 254);
		len = LACP_PDU_LEN + fz_rand(f, 300);
		memset(b + LACP_PDU_LEN, 0, len - LACP_PDU_LEN);
		for (k = 58; k + 2 < len && fz_rand(f, 4); ) {
			u8 tl = r & 0x100 ? fz_rand(f, 256) : 2 + fz_rand(f, 30);

			b[k] = 4 + fz_rand(f, 252);
			b[k + 1] = tl;
			if (!tl)
				break;
			k += tl;
		}
		break;
	}
	return len;
}

/* FZ_PDUS random and mutated PDUs through lacp_rx() and the machines. */
static void lacp_fuzz_machines(struct kunit *test)
{
	struct fz *f = fz_new(test, false);
	u8 *b = kunit_kzalloc(test, FZ_BUF, GFP_KERNEL);
	int i, remaining;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, b);
	for (remaining = FZ_PDUS; remaining && !f->inv_err && !f->rate_err;
	     remaining--) {
		size_t len = fz_gen(f, b);
		struct lacp_pdu out;
		u8 *at = f->buf + FZ_BUF - len;
		int port = fz_rand(f, FZ_PORTS);

		memcpy(at, b, len);
		if (lacp_pdu_parse(at, len, &out) !=
		    fz_class_errno(fz_classify(at, len)))
			f->oracle_err++;
		fz_rx(f, 0, port, at, len);
		fz_deliver(f);
		/* a tick every 8 PDUs on average */
		if (!fz_rand(f, 8))
			fz_step(f);
		/* now and then a cable pulled, plugged, or the rate changed */
		if (!fz_rand(f, 2000))
			fz_link(f, fz_rand(f, FZ_PORTS), false);
		if (!fz_rand(f, 200))
			fz_link(f, fz_rand(f, FZ_PORTS), true);
		if (!fz_rand(f, 5000)) {
			lacp_group_set_fast(&f->sys[0].g, fz_rand(f, 2),
					    f->now);
			fz_check(f);
			fz_deliver(f);
		}
	}
	for (i = 0; i < FZ_PORTS; i++)
		fz_link(f, i, true);
	i = FZ_PDUS - remaining;
	KUNIT_EXPECT_EQ(test, i, FZ_PDUS);
	fz_end(f, "random");
	KUNIT_EXPECT_GT(test, f->class_count[FZ_MALFORMED], 10000UL);
	KUNIT_EXPECT_GT(test, f->class_count[FZ_LACPDU], 30000UL);
	KUNIT_EXPECT_GT(test, f->class_count[FZ_UNKNOWN], 1000UL);
	KUNIT_EXPECT_GT(test, f->class_count[FZ_MARKER_INFO], 1000UL);
	KUNIT_EXPECT_GT(test, f->class_count[FZ_MARKER_RESP], 1000UL);
	/* both sides of the Marker Response limit were exercised */
	KUNIT_EXPECT_GT(test, f->marker_answered, 100UL);
	KUNIT_EXPECT_GT(test, f->marker_limited, 10UL);
}

static struct kunit_case lacp_fuzz_cases[] = {
	KUNIT_CASE(lacp_fuzz_parse),
	KUNIT_CASE(lacp_fuzz_corpus),
	KUNIT_CASE_SLOW(lacp_fuzz_machines),
	{}
};

static struct kunit_suite lacp_fuzz_suite = {
	.name = "lacp_fuzz",
	.test_cases = lacp_fuzz_cases,
};

kunit_test_suites(&lacp_fuzz_suite);

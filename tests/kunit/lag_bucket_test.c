// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite lag_bucket: the resilient bucket table.
 *
 * Invariants checked after every change of the active mask: each active
 * slot holds LAG_BUCKETS / n buckets, rounded down or up; inactive slots
 * hold none; and only the buckets that had to move did (those of slots that
 * left, and from a slot only as many as it holds above its new share).
 */

#include <kunit/test.h>
#include <linux/bitops.h>
#include <linux/prandom.h>
#include <linux/string.h>

#include "lag_bucket.h"

static unsigned int count_slots(const struct lag_bucket_table *t,
				unsigned int *count)
{
	unsigned int i, bad = 0;

	memset(count, 0, sizeof(*count) * LAG_MAX_PORTS);
	for (i = 0; i < LAG_BUCKETS; i++) {
		if (lag_bucket_get(t, i) < LAG_MAX_PORTS)
			count[lag_bucket_get(t, i)]++;
		else
			bad++;
	}
	return bad;
}

/* Every active slot within one bucket of its fair share, others empty. */
static void expect_fair(struct kunit *test, const struct lag_bucket_table *t,
			unsigned int mask)
{
	unsigned int count[LAG_MAX_PORTS];
	unsigned int n = hweight32(mask), s;
	unsigned int lo = LAG_BUCKETS / n;
	unsigned int hi = DIV_ROUND_UP(LAG_BUCKETS, n);

	KUNIT_EXPECT_EQ(test, count_slots(t, count), 0U);
	KUNIT_EXPECT_EQ(test, (unsigned int)t->active, mask);
	for (s = 0; s < LAG_MAX_PORTS; s++) {
		if (mask & BIT(s)) {
			KUNIT_EXPECT_GE_MSG(test, count[s], lo,
					    "slot %u mask %#x", s, mask);
			KUNIT_EXPECT_LE_MSG(test, count[s], hi,
					    "slot %u mask %#x", s, mask);
		} else {
			KUNIT_EXPECT_EQ_MSG(test, count[s], 0U,
					    "slot %u mask %#x", s, mask);
		}
	}
}

/*
 * Going from @before (active @old_mask) to @t (active @new_mask, both not
 * empty): a slot that left lost all its buckets, a slot that stayed lost
 * exactly what it held above its new count, and nothing else moved.
 */
static void expect_minimal_moves(struct kunit *test,
				 const struct lag_bucket_table *before,
				 unsigned int old_mask,
				 const struct lag_bucket_table *t,
				 unsigned int new_mask)
{
	unsigned int old_count[LAG_MAX_PORTS], new_count[LAG_MAX_PORTS];
	unsigned int lost[LAG_MAX_PORTS] = {}, gained[LAG_MAX_PORTS] = {};
	unsigned int n = hweight32(new_mask), base = LAG_BUCKETS / n;
	unsigned int extra = LAG_BUCKETS % n, fuller = 0, can_keep = 0;
	unsigned int i, s, from, to, moved = 0;

	count_slots(before, old_count);
	count_slots(t, new_count);
	for (i = 0; i < LAG_BUCKETS; i++) {
		from = lag_bucket_get(before, i);
		to = lag_bucket_get(t, i);
		if (from == to)
			continue;
		lost[from]++;
		gained[to]++;
		moved++;
	}

	/*
	 * The fewest moves for a fair result: every active slot keeps up to
	 * its share, and the remainder's extra buckets are best given to
	 * slots that already hold more than the share.
	 */
	for (s = 0; s < LAG_MAX_PORTS; s++) {
		if (!(new_mask & BIT(s)))
			continue;
		can_keep += min(old_count[s], base);
		if (old_count[s] > base)
			fuller++;
	}
	can_keep += min(fuller, extra);
	KUNIT_EXPECT_EQ_MSG(test, moved, LAG_BUCKETS - can_keep,
			    "mask %#x -> %#x", old_mask, new_mask);
	for (s = 0; s < LAG_MAX_PORTS; s++) {
		unsigned int must_lose;

		if (!(new_mask & BIT(s)))
			must_lose = old_count[s];
		else if (old_count[s] > new_count[s])
			must_lose = old_count[s] - new_count[s];
		else
			must_lose = 0;
		KUNIT_EXPECT_EQ_MSG(test, lost[s], must_lose,
				    "slot %u, mask %#x -> %#x", s, old_mask,
				    new_mask);
		/* A slot that gives buckets away takes none. */
		if (lost[s])
			KUNIT_EXPECT_EQ_MSG(test, gained[s], 0U,
					    "slot %u, mask %#x -> %#x", s,
					    old_mask, new_mask);
	}
}

/* Same buckets in @t as in @want; reports the first difference only. */
static void expect_same_buckets(struct kunit *test,
				const struct lag_bucket_table *t,
				const struct lag_bucket_table *want)
{
	unsigned int i, diff = 0, first = 0;

	for (i = 0; i < LAG_BUCKETS; i++) {
		if (lag_bucket_get(t, i) == lag_bucket_get(want, i))
			continue;
		if (!diff++)
			first = i;
	}
	if (diff)
		KUNIT_FAIL(test, "%u buckets differ, first %u: slot %u, not %u",
			   diff, first, lag_bucket_get(t, first),
			   lag_bucket_get(want, first));
}

static void expect_round_robin(struct kunit *test,
			       const struct lag_bucket_table *t,
			       unsigned int mask)
{
	unsigned int order[LAG_MAX_PORTS], n = 0, s, i;

	for (s = 0; s < LAG_MAX_PORTS; s++)
		if (mask & BIT(s))
			order[n++] = s;
	for (i = 0; i < LAG_BUCKETS; i++) {
		if (lag_bucket_get(t, i) != order[i % n]) {
			KUNIT_FAIL(test, "mask %#x: bucket %u on slot %u, not %u",
				   mask, i, lag_bucket_get(t, i), order[i % n]);
			return;
		}
	}
}

static void lag_bucket_init_test(struct kunit *test)
{
	struct lag_bucket_table t;

	memset(&t, 0xa5, sizeof(t));
	lag_bucket_init(&t);
	KUNIT_EXPECT_EQ(test, t.active, 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(t.slots, 0, sizeof(t.slots)));
}

/* First activation with every non-empty mask: fair, round robin. */
static void lag_bucket_fair_shares_test(struct kunit *test)
{
	struct lag_bucket_table t;
	unsigned int mask, n, count[LAG_MAX_PORTS];

	for (mask = 1; mask <= LAG_BUCKET_SLOTS_MASK; mask++) {
		lag_bucket_init(&t);
		lag_bucket_update(&t, mask);
		expect_fair(test, &t, mask);
		expect_round_robin(test, &t, mask);
	}

	/* The exact shares for 1..4 slots. */
	for (n = 1; n <= LAG_MAX_PORTS; n++) {
		lag_bucket_init(&t);
		lag_bucket_update(&t, BIT(n) - 1);
		count_slots(&t, count);
		kunit_info(test, "%u slots: %u %u %u %u\n", n, count[0],
			   count[1], count[2], count[3]);
		KUNIT_EXPECT_EQ(test, count[0], DIV_ROUND_UP(LAG_BUCKETS, n));
		KUNIT_EXPECT_EQ(test, count[n - 1], LAG_BUCKETS / n);
	}
}

/* One of four fails: only its buckets move, spread over the others. */
static void lag_bucket_fail_one_test(struct kunit *test)
{
	struct lag_bucket_table t, before;
	unsigned int k, i, count[LAG_MAX_PORTS], moved, stayed;

	for (k = 0; k < LAG_MAX_PORTS; k++) {
		lag_bucket_init(&t);
		lag_bucket_update(&t, 0xf);
		before = t;
		lag_bucket_update(&t, 0xf & ~BIT(k));
		expect_fair(test, &t, 0xf & ~BIT(k));

		moved = 0;
		stayed = 0;
		for (i = 0; i < LAG_BUCKETS; i++) {
			if (lag_bucket_get(&before, i) == k)
				stayed += lag_bucket_get(&t, i) == k;
			else
				moved += lag_bucket_get(&t, i) !=
					 lag_bucket_get(&before, i);
		}
		KUNIT_EXPECT_EQ_MSG(test, stayed, 0U,
				    "buckets left on failed slot %u", k);
		KUNIT_EXPECT_EQ_MSG(test, moved, 0U,
				    "surviving buckets moved when %u failed", k);
		/* 64 orphans over 3 survivors: 21 or 22 each, 85/86 total. */
		count_slots(&t, count);
		for (i = 0; i < LAG_MAX_PORTS; i++)
			if (i != k)
				KUNIT_EXPECT_GE(test, count[i], 85U);
	}
}

/* It comes back: takes about 1/N and nothing moves between survivors. */
static void lag_bucket_return_test(struct kunit *test)
{
	unsigned int k, i, taken, between;
	struct lag_bucket_table t, before;

	for (k = 0; k < LAG_MAX_PORTS; k++) {
		lag_bucket_init(&t);
		lag_bucket_update(&t, 0xf);
		lag_bucket_update(&t, 0xf & ~BIT(k));
		before = t;
		lag_bucket_update(&t, 0xf);
		expect_fair(test, &t, 0xf);
		expect_minimal_moves(test, &before, 0xf & ~BIT(k), &t, 0xf);

		taken = 0;
		between = 0;
		for (i = 0; i < LAG_BUCKETS; i++) {
			if (lag_bucket_get(&t, i) == lag_bucket_get(&before, i))
				continue;
			if (lag_bucket_get(&t, i) == k)
				taken++;
			else
				between++;
		}
		KUNIT_EXPECT_GE(test, taken, LAG_BUCKETS / 4 - 1);
		KUNIT_EXPECT_LE(test, taken, LAG_BUCKETS / 4 + 1);
		KUNIT_EXPECT_EQ_MSG(test, between, 0U,
				    "buckets moved between survivors (%u)", k);
	}
}

/* A slot leaves and another joins in one update: a straight hand over. */
static void lag_bucket_swap_test(struct kunit *test)
{
	struct lag_bucket_table t, before;
	unsigned int i;

	lag_bucket_init(&t);
	lag_bucket_update(&t, 0x7);
	before = t;
	lag_bucket_update(&t, 0xb);
	expect_fair(test, &t, 0xb);
	for (i = 0; i < LAG_BUCKETS; i++)
		if (lag_bucket_get(&before, i) == 2)
			lag_bucket_set(&before, i, 3);
	expect_same_buckets(test, &t, &before);
}

/* A slot joins next to a fuller one: the remainder stays where it is. */
static void lag_bucket_join_low_test(struct kunit *test)
{
	struct lag_bucket_table t, before;

	lag_bucket_init(&t);
	lag_bucket_update(&t, 0x6);		/* 128 + 128 */
	before = t;
	lag_bucket_update(&t, 0x7);		/* slot 0 joins: takes 85 */
	expect_fair(test, &t, 0x7);
	expect_minimal_moves(test, &before, 0x6, &t, 0x7);
	before = t;
	lag_bucket_update(&t, 0x7);
	expect_same_buckets(test, &t, &before);
	KUNIT_EXPECT_EQ(test, t.active, before.active);
}

/* The same mask again, or an already active slot again: nothing moves. */
static void lag_bucket_idempotent_test(struct kunit *test)
{
	struct lag_bucket_table t, before;
	unsigned int mask;

	for (mask = 1; mask <= LAG_BUCKET_SLOTS_MASK; mask++) {
		lag_bucket_init(&t);
		lag_bucket_update(&t, 0xf);
		lag_bucket_update(&t, mask);
		before = t;
		lag_bucket_update(&t, mask);
		expect_same_buckets(test, &t, &before);
		KUNIT_EXPECT_EQ(test, t.active, before.active);
		/* Bits above the slots are ignored. */
		lag_bucket_update(&t, mask | 0xf0);
		expect_same_buckets(test, &t, &before);
		KUNIT_EXPECT_EQ(test, t.active, before.active);
	}
}

/* Empty mask: nothing moves; the next activation spreads afresh. */
static void lag_bucket_empty_test(struct kunit *test)
{
	struct lag_bucket_table t, before;

	lag_bucket_init(&t);
	lag_bucket_update(&t, 0);
	KUNIT_EXPECT_EQ(test, t.active, 0);

	lag_bucket_update(&t, 0xf);
	lag_bucket_update(&t, 0xd);
	before = t;
	lag_bucket_update(&t, 0);
	KUNIT_EXPECT_EQ(test, t.active, 0);
	expect_same_buckets(test, &t, &before);

	lag_bucket_update(&t, 0x6);
	expect_fair(test, &t, 0x6);
	expect_round_robin(test, &t, 0x6);
}

/* Random fail/return steps from a fixed seed keep every invariant. */
static void lag_bucket_random_steps_test(struct kunit *test)
{
	struct lag_bucket_table t, before;
	struct rnd_state rnd;
	unsigned int mask = 0xf, step, r;

	prandom_seed_state(&rnd, 0x6c61675f62756bULL);
	lag_bucket_init(&t);
	lag_bucket_update(&t, mask);

	for (step = 0; step < 2000; step++) {
		unsigned int new_mask;

		r = prandom_u32_state(&rnd);
		if (r & 0x10)
			new_mask = mask ^ BIT(r & 3);	/* one fails or returns */
		else
			new_mask = (r >> 8) & 0xf;	/* several at once */

		before = t;
		lag_bucket_update(&t, new_mask);
		if (new_mask == mask) {
			expect_same_buckets(test, &t, &before);
			KUNIT_EXPECT_EQ(test, t.active, before.active);
		} else if (!new_mask) {
			KUNIT_EXPECT_EQ(test, t.active, 0);
			expect_same_buckets(test, &t, &before);
		} else if (!mask) {
			expect_fair(test, &t, new_mask);
			expect_round_robin(test, &t, new_mask);
		} else {
			expect_fair(test, &t, new_mask);
			expect_minimal_moves(test, &before, mask, &t, new_mask);
		}
		if (test->status == KUNIT_FAILURE) {
			kunit_info(test, "first failure at step %u: %#x -> %#x\n",
				   step, mask, new_mask);
			return;
		}
		mask = new_mask;
	}
}

/* Packed buckets: each one reads back what was set, its neighbours too. */
static void lag_bucket_pack_test(struct kunit *test)
{
	struct lag_bucket_table t;
	unsigned int i, j, s;

	lag_bucket_init(&t);
	for (i = 0; i < LAG_BUCKETS; i++)
		KUNIT_EXPECT_EQ(test, lag_bucket_get(&t, i), 0U);
	for (i = 0; i < LAG_BUCKETS; i++)
		lag_bucket_set(&t, i, (i * 7 + i / 5) % LAG_MAX_PORTS);
	for (i = 0; i < LAG_BUCKETS; i++)
		KUNIT_EXPECT_EQ_MSG(test, lag_bucket_get(&t, i),
				    (i * 7 + i / 5) % LAG_MAX_PORTS, "bucket %u", i);

	/* Every value in every position of one byte, the others untouched. */
	for (i = 0; i < LAG_BUCKETS_PER_BYTE; i++) {
		for (s = 0; s < LAG_MAX_PORTS; s++) {
			lag_bucket_init(&t);
			for (j = 0; j < LAG_BUCKETS_PER_BYTE; j++)
				lag_bucket_set(&t, j, LAG_MAX_PORTS - 1 - j);
			lag_bucket_set(&t, i, s);
			for (j = 0; j < LAG_BUCKETS_PER_BYTE; j++)
				KUNIT_EXPECT_EQ_MSG(test, lag_bucket_get(&t, j),
						    j == i ? s : LAG_MAX_PORTS - 1 - j,
						    "set %u to %u, read %u", i, s, j);
			KUNIT_EXPECT_EQ(test, lag_bucket_get(&t, LAG_BUCKETS_PER_BYTE), 0U);
		}
	}
	/* The lookup uses the hash's low bits only. */
	lag_bucket_set(&t, LAG_BUCKETS - 1, 2);
	KUNIT_EXPECT_EQ(test, lag_bucket_lookup(&t, 0xffffffff), 2U);
	KUNIT_EXPECT_EQ(test, lag_bucket_lookup(&t, 0x12345600 | (LAG_BUCKETS - 1)),
			2U);
	KUNIT_EXPECT_EQ(test, sizeof(t.slots), (size_t)64);
}

static struct kunit_case lag_bucket_cases[] = {
	KUNIT_CASE(lag_bucket_pack_test),
	KUNIT_CASE(lag_bucket_init_test),
	KUNIT_CASE(lag_bucket_fair_shares_test),
	KUNIT_CASE(lag_bucket_fail_one_test),
	KUNIT_CASE(lag_bucket_return_test),
	KUNIT_CASE(lag_bucket_swap_test),
	KUNIT_CASE(lag_bucket_join_low_test),
	KUNIT_CASE(lag_bucket_idempotent_test),
	KUNIT_CASE(lag_bucket_empty_test),
	KUNIT_CASE(lag_bucket_random_steps_test),
	{}
};

static struct kunit_suite lag_bucket_suite = {
	.name = "lag_bucket",
	.test_cases = lag_bucket_cases,
};

kunit_test_suites(&lag_bucket_suite);

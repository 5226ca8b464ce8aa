// SPDX-License-Identifier: GPL-2.0
/*
 * lag: resilient hash bucket table (writer side).
 *
 * On every change of the active slot set, each active slot is given a quota
 * of LAG_BUCKETS / n buckets (n active slots), the remainder going one each
 * to the slots that hold the most buckets already, so that a table that is
 * balanced stays untouched. Then one pass over the buckets keeps every
 * bucket whose slot is active and within its quota and moves the others
 * (those of slots that left, and the excess of slots over quota) to the
 * slot furthest below its quota. Slots that left therefore spread their
 * buckets evenly over the survivors; a slot that joins is filled from the
 * slots above quota, which are the most loaded ones; no other bucket moves.
 *
 * Writer side only: O(LAG_BUCKETS * LAG_MAX_PORTS), no allocation, no lock
 * of its own; it may run in softirq under the caller's writer lock.
 */

#include <linux/bitops.h>
#include <linux/bits.h>
#include <linux/compiler.h>
#include <linux/export.h>
#include <kunit/visibility.h>

#include "lag_bucket.h"

/**
 * lag_bucket_init - reset a table
 * @t: the table
 *
 * No slot is active afterwards and every bucket names slot 0. Writer side.
 */
void lag_bucket_init(struct lag_bucket_table *t)
{
	unsigned int i;

	for (i = 0; i < LAG_BUCKETS / LAG_BUCKETS_PER_BYTE; i++)
		WRITE_ONCE(t->slots[i], 0);
	WRITE_ONCE(t->active, 0);
}
EXPORT_SYMBOL_IF_KUNIT(lag_bucket_init);

/* Spread all buckets round robin over the slots of @mask (not empty). */
static void lag_bucket_spread(struct lag_bucket_table *t, unsigned int mask)
{
	u8 order[LAG_MAX_PORTS];
	unsigned int i, j, n = 0;

	for (i = 0; i < LAG_MAX_PORTS; i++)
		if (mask & BIT(i))
			order[n++] = i;

	for (i = 0, j = 0; i < LAG_BUCKETS; i++) {
		lag_bucket_set(t, i, order[j]);
		if (++j == n)
			j = 0;
	}
}

/* Slot with the most buckets still missing; lowest index on ties. */
static unsigned int lag_bucket_neediest(const unsigned int *need)
{
	unsigned int s, best = 0;

	for (s = 1; s < LAG_MAX_PORTS; s++)
		if (need[s] > need[best])
			best = s;
	return best;
}

/**
 * lag_bucket_update - spread the buckets over a new set of active slots
 * @t: the table
 * @active_mask: bit i set when slot i may carry traffic; bits at and above
 *	%LAG_MAX_PORTS are ignored
 *
 * Writer side: call with the caller's writer lock held (may be in softirq;
 * allocates nothing). Moves the fewest buckets that bring every active slot
 * within one bucket of LAG_BUCKETS / n:
 *
 * - buckets of slots leaving the mask go, one at a time, to the active slot
 *   furthest below its share (lowest slot index on ties), so the survivors
 *   stay balanced;
 * - a slot joining the mask takes its share from the slots holding more
 *   than theirs, i.e. the most loaded ones; buckets never move between
 *   slots that stay within their share;
 * - an empty mask moves nothing (the caller does no lookup then);
 * - the first activation, and the first one after the mask was empty,
 *   spreads the buckets round robin: bucket i goes to the (i mod n)-th
 *   active slot.
 *
 * Calling it again with the same mask moves nothing. Buckets are written
 * with WRITE_ONCE() for the lockless readers of lag_bucket_lookup().
 */
void lag_bucket_update(struct lag_bucket_table *t, unsigned int active_mask)
{
	unsigned int count[LAG_MAX_PORTS] = {}, quota[LAG_MAX_PORTS] = {};
	unsigned int need[LAG_MAX_PORTS], kept[LAG_MAX_PORTS] = {};
	unsigned int mask = active_mask & LAG_BUCKET_SLOTS_MASK;
	unsigned int i, s, n, base, extra;

	if (!mask) {
		WRITE_ONCE(t->active, 0);
		return;
	}
	if (!t->active) {
		lag_bucket_spread(t, mask);
		WRITE_ONCE(t->active, mask);
		return;
	}

	for (i = 0; i < LAG_BUCKETS; i++) {
		s = lag_bucket_get(t, i);
		if (s < LAG_MAX_PORTS && (mask & BIT(s)))
			count[s]++;
	}

	n = hweight32(mask);
	base = LAG_BUCKETS / n;
	extra = LAG_BUCKETS - base * n;
	for (s = 0; s < LAG_MAX_PORTS; s++)
		if (mask & BIT(s))
			quota[s] = base;
	/* One more for the fullest slots, so a balanced table stays as is. */
	while (extra--) {
		unsigned int best = LAG_MAX_PORTS;

		for (s = 0; s < LAG_MAX_PORTS; s++) {
			if (!(mask & BIT(s)) || quota[s] != base)
				continue;
			if (best == LAG_MAX_PORTS || count[s] > count[best])
				best = s;
		}
		quota[best]++;
	}
	for (s = 0; s < LAG_MAX_PORTS; s++)
		need[s] = quota[s] > count[s] ? quota[s] - count[s] : 0;

	for (i = 0; i < LAG_BUCKETS; i++) {
		s = lag_bucket_get(t, i);
		if (s < LAG_MAX_PORTS && kept[s] < quota[s]) {
			kept[s]++;
			continue;
		}
		s = lag_bucket_neediest(need);
		need[s]--;
		lag_bucket_set(t, i, s);
	}
	WRITE_ONCE(t->active, mask);
}
EXPORT_SYMBOL_IF_KUNIT(lag_bucket_update);

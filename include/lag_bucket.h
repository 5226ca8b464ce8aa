/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lag: resilient hash bucket table.
 *
 * A flow's transmit hash selects one of LAG_BUCKETS buckets; each bucket
 * names the slot (member port index, below LAG_MAX_PORTS) that carries it.
 * When the set of active slots changes, only the buckets that must move do:
 * a slot that leaves hands its buckets to the survivors, a slot that joins
 * takes its fair share from the most loaded ones, and every other flow keeps
 * its link (and so its packet order).
 */
#ifndef _LAG_BUCKET_H
#define _LAG_BUCKET_H

#include <linux/compiler.h>
#include <linux/types.h>

#define LAG_BUCKETS	256	/* power of two: lookup masks, never divides */
#define LAG_MAX_PORTS	4	/* slots 0 .. LAG_MAX_PORTS - 1 */

/* Bits of an active mask that name a slot. */
#define LAG_BUCKET_SLOTS_MASK	((1U << LAG_MAX_PORTS) - 1)

static_assert((LAG_BUCKETS & (LAG_BUCKETS - 1)) == 0);
static_assert(LAG_MAX_PORTS <= 8);	/* the slot bitmask fits in a u8 */

/**
 * struct lag_bucket_table - bucket to slot map of one LAG
 * @slot: slot index carrying each bucket
 * @active: bitmask of the slots the buckets are spread over (0: none, the
 *	caller does no lookup then)
 *
 * Locking: readers (lag_bucket_lookup()) take no lock; they run in the
 * caller's RCU read-side section (the transmit path). There is a single
 * writer at a time (lag_bucket_init(), lag_bucket_update()), serialised by
 * the caller's writer lock. Each bucket is written with WRITE_ONCE() and
 * read with READ_ONCE(), so a reader never sees a torn value; during an
 * update it may see a bucket still pointing at its old slot or already at
 * its new one. Both are valid because the caller publishes a joining slot's
 * port before handing it buckets, and retires a leaving slot's port only
 * after its buckets moved, freeing it after an RCU grace period: a reader
 * that still sees the old bucket finds the old port, or NULL if the caller
 * already cleared the pointer (readers must then drop, not dereference).
 */
struct lag_bucket_table {
	u8 slot[LAG_BUCKETS];
	u8 active;
};

void lag_bucket_init(struct lag_bucket_table *t);
void lag_bucket_update(struct lag_bucket_table *t, unsigned int active_mask);

/**
 * lag_bucket_lookup - slot carrying a flow
 * @t: the table, with at least one active slot
 * @hash: the flow's transmit hash
 *
 * Hot path, lockless. @hash is used as is, without another mix: it comes
 * from lag_hash_skb(), whose jhash finish spreads entropy over all bits, the
 * low ones included.
 *
 * Return: the slot index, below %LAG_MAX_PORTS.
 */
static inline unsigned int lag_bucket_lookup(const struct lag_bucket_table *t,
					     u32 hash)
{
	return READ_ONCE(t->slot[hash & (LAG_BUCKETS - 1)]);
}

#endif /* _LAG_BUCKET_H */

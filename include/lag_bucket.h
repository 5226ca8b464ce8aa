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

#include "uapi/linux/if_lag.h"

#define LAG_BUCKETS	256	/* power of two: lookup masks, never divides */

/* Bits of an active mask that name a slot. */
#define LAG_BUCKET_SLOTS_MASK	((1U << LAG_MAX_PORTS) - 1)

/* A bucket's slot takes 2 bits: the 256 buckets fit in one 64-byte line. */
#define LAG_BUCKET_BITS		2
#define LAG_BUCKETS_PER_BYTE	(8 / LAG_BUCKET_BITS)
#define LAG_BUCKET_MASK		((1U << LAG_BUCKET_BITS) - 1)

static_assert((LAG_BUCKETS & (LAG_BUCKETS - 1)) == 0);
static_assert(LAG_MAX_PORTS <= 1U << LAG_BUCKET_BITS);

/**
 * struct lag_bucket_table - bucket to slot map of one LAG
 * @slots: slot index carrying each bucket, %LAG_BUCKETS_PER_BYTE buckets to
 *	a byte, bucket i in bits (i % 4) * 2 and up of byte i / 4; read with
 *	lag_bucket_get(), written with lag_bucket_set()
 * @active: bitmask of the slots the buckets are spread over (0: none, the
 *	caller does no lookup then)
 *
 * Locking: readers (lag_bucket_lookup()) take no lock; they run in the
 * caller's RCU read-side section (the transmit path). There is a single
 * writer at a time (lag_bucket_init(), lag_bucket_update()), serialised by
 * the caller's writer lock. The byte holding a bucket is written with
 * WRITE_ONCE() and read with READ_ONCE(), so a reader never sees a torn
 * value (the writer, being the only one, may read-modify-write it); during an
 * update it may see a bucket still pointing at its old slot or already at
 * its new one. Both are valid because the caller publishes a joining slot's
 * port before handing it buckets, and retires a leaving slot's port only
 * after its buckets moved, freeing it after an RCU grace period: a reader
 * that still sees the old bucket finds the old port, or NULL if the caller
 * already cleared the pointer (readers must then drop, not dereference).
 */
struct lag_bucket_table {
	u8 slots[LAG_BUCKETS / LAG_BUCKETS_PER_BYTE];
	u8 active;
};

/**
 * lag_bucket_get - slot carrying a bucket
 * @t: the table
 * @bucket: bucket index, below %LAG_BUCKETS
 *
 * Lockless; see &struct lag_bucket_table.
 *
 * Return: the slot index, below %LAG_MAX_PORTS.
 */
static inline unsigned int lag_bucket_get(const struct lag_bucket_table *t,
					  unsigned int bucket)
{
	unsigned int shift = bucket % LAG_BUCKETS_PER_BYTE * LAG_BUCKET_BITS;

	return READ_ONCE(t->slots[bucket / LAG_BUCKETS_PER_BYTE]) >> shift &
	       LAG_BUCKET_MASK;
}

/**
 * lag_bucket_set - move a bucket to a slot
 * @t: the table
 * @bucket: bucket index, below %LAG_BUCKETS
 * @slot: slot index, below %LAG_MAX_PORTS
 *
 * Writer side only (single writer, under the caller's writer lock): the
 * other buckets of the byte are rewritten with the values they have.
 */
static inline void lag_bucket_set(struct lag_bucket_table *t,
				  unsigned int bucket, unsigned int slot)
{
	unsigned int shift = bucket % LAG_BUCKETS_PER_BYTE * LAG_BUCKET_BITS;
	u8 *byte = &t->slots[bucket / LAG_BUCKETS_PER_BYTE];

	WRITE_ONCE(*byte, (*byte & ~(LAG_BUCKET_MASK << shift)) |
			  (slot & LAG_BUCKET_MASK) << shift);
}

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
	return lag_bucket_get(t, hash & (LAG_BUCKETS - 1));
}

#endif /* _LAG_BUCKET_H */

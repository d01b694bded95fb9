/*
 * minhash_sets.h: the MinHash signatures of many sets at once, from
 * (id, item) pairs in any order, without grouping them first.
 *
 * Each new id gets the next index and, once finished, the signature that
 * sy_minhash_add would build from the id's items alone, so it compares with
 * signatures built any other way with the same family.
 *
 * Pairs are not added as they come: each would cost a miss in the id table
 * and the misses of a whole signature (8 cache lines at k = 128), mostly to
 * add an item seen before (a usage table repeats the same account from the
 * same address).  They wait, 4 per set (at least 2^20); then their ids are
 * looked up a batch at a time with the table's slots prefetched ahead, a
 * counting sort puts them in index order, and they are added signature
 * after signature, in cache.  Ids are found by an open-addressing table of
 * (id, index) slots, load at most one half.  Memory, per set of capacity
 * (the sets rounded up to a power of two): 4k + 8 bytes, 32 for the id
 * table, and until finished 4 for counts and 112 for waiting pairs.
 */
#ifndef SYBIL_CORE_MINHASH_SETS_H
#define SYBIL_CORE_MINHASH_SETS_H

#include <stdbool.h>
#include <stdint.h>

#include "env.h"
#include "minhash.h"

typedef struct sy_set_slot
{
	int64_t		id;
	uint32_t	index_plus_1;	/* 0: an empty slot */
} sy_set_slot;

typedef struct sy_minhash_sets
{
	const sy_env *env;
	const sy_minhash_family *family;
	uint32_t	n;				/* sets so far, indices 0 .. n - 1 */
	uint32_t	capacity;
	int64_t    *ids;			/* ids[i]: the id of set i */
	uint32_t   *mins;			/* k minima a set, set i at mins + i * k */
	sy_set_slot *slots;
	uint32_t	slot_mask;		/* slots - 1, a power of two minus one */
	uint32_t   *starts;			/* capacity + 1 counts, then offsets */
	uint32_t	waiting;		/* pairs not added yet */
	uint32_t	waiting_capacity;
	int64_t    *waiting_id;
	uint64_t   *waiting_item;
	uint32_t   *waiting_index;
	uint64_t   *sorted_item;	/* waiting items in index order */
} sy_minhash_sets;

/* An empty collection of sets signed with family. */
void		sy_minhash_sets_init(sy_minhash_sets *s, const sy_env *env,
								 const sy_minhash_family *family);

/* Add the item whose stable hash is item to the set of id. */
sy_status	sy_minhash_sets_add(sy_minhash_sets *s, int64_t id, uint64_t item);

/*
 * Add the pairs still waiting: the n signatures are then complete.  The
 * buffers of waiting pairs are freed; no pair may be added after this.
 */
sy_status	sy_minhash_sets_finish(sy_minhash_sets *s);

/* The index of id's set, if it has one. */
bool		sy_minhash_sets_find(const sy_minhash_sets *s, int64_t id, uint32_t *index);

void		sy_minhash_sets_free(sy_minhash_sets *s);

#endif

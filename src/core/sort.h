/*
 * sort.h: in-place heapsort of an index array under a caller's order, and
 * the distinct values of a uint64 array.
 *
 * C99 has no qsort with a context argument; heapsort needs no extra memory
 * and is O(n log n) on every input, so hostile data cannot make it slow.
 * It is not stable: give it a total order.
 */
#ifndef SYBIL_CORE_SORT_H
#define SYBIL_CORE_SORT_H

#include <stddef.h>
#include <stdint.h>
#include "env.h"

typedef int (*sy_index_cmp) (uint32_t a, uint32_t b, const void *ctx);

/* Polls env between sift-downs, so sorting millions of entries can be
 * cancelled. */
void		sy_sort_indices(uint32_t *idx, uint32_t n, sy_index_cmp cmp, const void *ctx,
							const sy_env *env);

/*
 * Sort items ascending and drop repeats, in place; the number kept.  Few
 * items (a set's, a group's) are sorted by insertion, more by qsort.
 */
size_t		sy_sort_distinct_u64(uint64_t *items, size_t n);

#endif

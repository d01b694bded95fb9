/*
 * sort.h: in-place heapsort of an index array under a caller's order.
 *
 * C99 has no qsort with a context argument; heapsort needs no extra memory
 * and is O(n log n) on every input, so hostile data cannot make it slow.
 * It is not stable: give it a total order.
 */
#ifndef SYBIL_CORE_SORT_H
#define SYBIL_CORE_SORT_H

#include <stdint.h>
#include "env.h"

typedef int (*sy_index_cmp) (uint32_t a, uint32_t b, const void *ctx);

/* Polls env between sift-downs, so sorting millions of entries can be
 * cancelled. */
void		sy_sort_indices(uint32_t *idx, uint32_t n, sy_index_cmp cmp, const void *ctx,
							const sy_env *env);

#endif

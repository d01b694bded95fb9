/* sort.c: heapsort of index arrays, distinct uint64 values. */
#include "sort.h"

#include <stdlib.h>

#define SMALL_SORT 32				/* items sorted by insertion */

/* Restore the max-heap property below position root of idx[0..n). */
static void
sift_down(uint32_t *idx, uint32_t root, uint32_t n, sy_index_cmp cmp, const void *ctx)
{
	uint32_t	value = idx[root];

	for (;;)
	{
		uint64_t	child = 2 * (uint64_t) root + 1;

		if (child >= n)
			break;
		if (child + 1 < n && cmp(idx[child + 1], idx[child], ctx) > 0)
			child++;
		if (cmp(idx[child], value, ctx) <= 0)
			break;
		idx[root] = idx[child];
		root = (uint32_t) child;
	}
	idx[root] = value;
}

void
sy_sort_indices(uint32_t *idx, uint32_t n, sy_index_cmp cmp, const void *ctx,
				const sy_env *env)
{
	uint32_t	i;

	if (n < 2)
		return;
	for (i = n / 2; i-- > 0;)
	{
		sift_down(idx, i, n, cmp, ctx);
		sy_poll(env, i);
	}
	for (i = n - 1; i > 0; i--)
	{
		uint32_t	top = idx[0];

		idx[0] = idx[i];
		idx[i] = top;
		sift_down(idx, 0, i, cmp, ctx);
		sy_poll(env, i);
	}
}

static int
compare_u64(const void *a, const void *b)
{
	uint64_t	x = *(const uint64_t *) a;
	uint64_t	y = *(const uint64_t *) b;

	return (x > y) - (x < y);
}

size_t
sy_sort_distinct_u64(uint64_t *items, size_t n)
{
	size_t		kept = 0;

	if (n > SMALL_SORT)
		qsort(items, n, sizeof(uint64_t), compare_u64);
	else
		for (size_t i = 1; i < n; i++)
		{
			uint64_t	item = items[i];
			size_t		j = i;

			for (; j > 0 && items[j - 1] > item; j--)
				items[j] = items[j - 1];
			items[j] = item;
		}
	for (size_t i = 0; i < n; i++)
		if (kept == 0 || items[i] != items[kept - 1])
			items[kept++] = items[i];
	return kept;
}

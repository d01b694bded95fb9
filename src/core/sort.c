/* sort.c: heapsort of index arrays. */
#include "sort.h"

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
